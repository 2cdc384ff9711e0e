package training_test

import (
	"strings"
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// t0 is the base time of the tests.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func v(s string) training.Version { return training.MustParseVersion(s) }

func claim(phrase string, sev training.Severity, variants ...string) training.Claim {
	return training.Claim{Phrase: phrase, Variants: variants, Reason: "reason for " + phrase, Severity: sev}
}

func disclosure(phrase string, sev training.Severity) training.Disclosure {
	return training.Disclosure{Phrase: phrase, Severity: sev}
}

// testBrief returns a valid brief for product "p1".
func testBrief(version string, claims ...training.Claim) training.Brief {
	return training.Brief{Product: "p1", Version: v(version), Published: t0, Prohibited: claims}
}

// spans renders the violations of r as "matched[start:end]=text".
func spans(text string, r training.Report) []string {
	var out []string
	for _, x := range r.Violations {
		out = append(out, x.Matched+"["+itoa(x.Start)+":"+itoa(x.End)+"]="+text[x.Start:x.End])
	}
	return out
}

func itoa(n int) string {
	var b strings.Builder
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append(d, byte('0'+n%10))
	}
	for i := len(d) - 1; i >= 0; i-- {
		b.WriteByte(d[i])
	}
	return b.String()
}

func salesChannel(s string) salesprocess.ChannelID { return salesprocess.ChannelID(s) }

// machineLocal is the machine's time zone as Go names it where the TZ
// environment variable is unset: time.Local, named "Local", which has no
// IANA name and which the module refuses. Where TZ names a zone, time.Local
// takes that name and is valid, so a fixed zone named "Local", refused
// alike, stands in for it, and the tests do not depend on the machine.
var machineLocal = func() *time.Location {
	if time.Local.String() == "Local" {
		return time.Local
	}
	return time.FixedZone("Local", 0)
}()
