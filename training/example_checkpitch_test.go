package training_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// One e-mail draft checked against the brief: a draft that says what it
// must and nothing it must not is clean.
func ExampleCheckPitch() {
	brief := training.Brief{
		Product: "solar-kit", Version: training.MustParseVersion("1.0"),
		Published: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Prohibited: []training.Claim{
			{Phrase: "no maintenance", Reason: "the panels need a yearly check", Severity: training.SeverityWarning},
		},
		Disclosures: []training.Disclosure{{Phrase: "prices exclude installation", Severity: training.SeverityWarning}},
	}
	draft := "Dear Ms Lee, the kit costs 4990 EUR; prices exclude installation."
	r, err := training.CheckPitch(brief, "online", draft)
	fmt.Println(r.Clean(), r.Worst() == "", err)

	r, _ = training.CheckPitch(brief, "online", "No-maintenance panels, 4990 EUR!")
	fmt.Println(r.Clean(), r.Worst(), len(r.Violations), len(r.Missing))

	_, err = training.CheckPitch(training.Brief{}, "online", draft)
	fmt.Println(errors.Is(err, salesprocess.ErrInvalid))
	// Output:
	// true true <nil>
	// false warning 1 1
	// true
}
