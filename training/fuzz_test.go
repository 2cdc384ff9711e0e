package training_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// FuzzEnums checks the text forms of the string enums: what UnmarshalText
// accepts is valid (or empty), marshals back to its text and round-trips
// through JSON; what it refuses leaves the value alone, and MarshalText
// refuses it too.
func FuzzEnums(f *testing.F) {
	for _, s := range []string{"", "info", "critical", "product", "technique", "valid", "expired", "no_brief", "brief_outdated", "min_feedback", "x", "INFO"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkEnumText(t, training.SeverityWarning, s)
		checkEnumText(t, training.ModuleProductKnowledge, s)
		checkEnumText(t, training.CertValid, s)
		checkEnumText(t, training.ReasonExpired, s)
		checkEnumText(t, training.CriterionFeedback, s)
	})
}

// textEnum is what FuzzEnums checks of each enum.
type textEnum interface {
	~string
	MarshalText() ([]byte, error)
	Validate() error
}

// checkEnumText checks the contract of FuzzEnums for the text s, decoded
// into a T that holds the valid value before.
func checkEnumText[T textEnum, P interface {
	*T
	UnmarshalText([]byte) error
}](t *testing.T, before T, s string) {
	t.Helper()
	v := T(s)
	valid := s == "" || v.Validate() == nil
	got := before
	if err := P(&got).UnmarshalText([]byte(s)); err != nil {
		if !errors.Is(err, salesprocess.ErrInvalid) {
			t.Fatalf("%T: error without ErrInvalid: %v", v, err)
		}
		if got != before {
			t.Fatalf("%T: a refused %q changed the value", v, s)
		}
		if valid {
			t.Fatalf("%T: %q refused but valid: %v", v, s, err)
		}
	} else if got != v || !valid {
		t.Fatalf("%T: %q decoded to %q; Validate: %v", v, s, got, v.Validate())
	}
	out, err := v.MarshalText()
	if !valid {
		if !errors.Is(err, salesprocess.ErrInvalid) {
			t.Fatalf("%T: MarshalText of %q, which UnmarshalText refuses: %q, %v", v, s, out, err)
		}
		if _, err := json.Marshal(v); !errors.Is(err, salesprocess.ErrInvalid) {
			t.Fatalf("%T: json.Marshal of %q, which UnmarshalText refuses: %v", v, s, err)
		}
		return
	}
	if err != nil || string(out) != s {
		t.Fatalf("%T: MarshalText of %q: %q, %v", v, s, out, err)
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T: json.Marshal of %q: %v", v, s, err)
	}
	back := before
	if err := json.Unmarshal(data, &back); err != nil || back != v {
		t.Fatalf("%T: %q marshals to %s, which decodes to %q, %v", v, s, data, back, err)
	}
}

// FuzzBriefJSON decodes arbitrary JSON as a brief: a brief that validates
// compiles, and checking a text with it never panics.
func FuzzBriefJSON(f *testing.F) {
	good, err := json.Marshal(fullBrief())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(good), "guaranteed returns, lowest price; prices exclude VAT")
	f.Add(`{"product":"p","version":"1.0","published":"2026-01-01T00:00:00Z","prohibited":[{"phrase":"a b","reason":"r","severity":"info"}]}`, "a b a b")
	f.Add(`{"version":"0.0"}`, "")
	f.Fuzz(func(t *testing.T, data, text string) {
		var b training.Brief
		if json.Unmarshal([]byte(data), &b) != nil || b.Validate() != nil {
			return
		}
		for _, ch := range []string{"", "retail", "web"} {
			c, err := training.NewChecker(b, salesChannel(ch))
			if err != nil {
				t.Fatalf("a valid brief does not compile for %q: %v", ch, err)
			}
			for _, v := range c.Check(text).Violations {
				if v.Start < 0 || v.End > len(text) || v.Start >= v.End {
					t.Fatalf("violation [%d:%d) outside the text", v.Start, v.End)
				}
			}
		}
		if _, err := json.Marshal(b); err != nil {
			t.Fatalf("a valid brief does not marshal: %v", err)
		}
	})
}
