package training_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// FuzzEnums checks the UnmarshalText of the string enums: what they accept
// is valid (or empty) and round-trips; what they refuse leaves the value
// alone.
func FuzzEnums(f *testing.F) {
	for _, s := range []string{"", "info", "critical", "product", "technique", "valid", "expired", "no_brief", "brief_outdated", "min_feedback", "x", "INFO"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(name string, u interface{ UnmarshalText([]byte) error }, validate func() error, text func() string) {
			before := text()
			if err := u.UnmarshalText([]byte(s)); err != nil {
				if !errors.Is(err, salesprocess.ErrInvalid) {
					t.Fatalf("%s: error without ErrInvalid: %v", name, err)
				}
				if text() != before {
					t.Fatalf("%s: a refused %q changed the value", name, s)
				}
				return
			}
			if text() != s {
				t.Fatalf("%s: %q decoded to %q", name, s, text())
			}
			if s != "" && validate() != nil {
				t.Fatalf("%s: %q accepted but invalid", name, s)
			}
		}
		sev := training.SeverityWarning
		check("severity", &sev, func() error { return sev.Validate() }, func() string { return string(sev) })
		kind := training.ProductKnowledge
		check("module kind", &kind, func() error { return kind.Validate() }, func() string { return string(kind) })
		st := training.CertValid
		check("cert status", &st, func() error { return st.Validate() }, func() string { return string(st) })
		code := training.ReasonExpired
		check("reason code", &code, func() error { return code.Validate() }, func() string { return string(code) })
		crit := training.CriterionFeedback
		check("criterion", &crit, func() error { return crit.Validate() }, func() string { return string(crit) })
	})
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
