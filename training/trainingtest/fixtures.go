package trainingtest

import (
	"time"

	"github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/training"
)

// Identifiers the fixtures use. ProductWidget and ChannelPhone have the
// values of the product and channel of package pipelinetest's fixtures
// (pipelinetest.ProductWidget, pipelinetest.ChannelPhone), so that a rep
// certified by these fixtures may own the inquiries and deals of those:
// they are repeated here, not imported, so that trainingtest depends on
// package training alone and not on package pipeline.
const (
	ProductWidget      salesprocess.ProductID = "widget"
	ChannelPhone       salesprocess.ChannelID = "phone"
	ModuleWidgetBasics training.ModuleID      = "widget-basics"
	CurriculumWidget   training.CurriculumID  = "widget-cert"
)

// BriefPublished is the time from which the fixtures' brief is in force:
// Sunday 2 November 2025, 09:00 UTC, a year before the start of
// pipelinetest's fixture time (pipelinetest.Epoch), so that the brief is
// in force throughout a scenario that starts there.
func BriefPublished() time.Time { return time.Date(2025, time.November, 2, 9, 0, 0, 0, time.UTC) }

// NewBrief returns version 1.0 of the widget's brief, published at
// [BriefPublished]: a pro, a con and a key message, one prohibited claim
// ("never breaks", a warning: the widget has a two-year warranty), one
// disclosure ("prices exclude shipping", a warning when left out), an
// answer to the objection "too expensive", and an override for the phone
// channel that adds a key message. It is valid by [training.Brief.Validate];
// each call returns a new brief, whose slices are the caller's.
func NewBrief() training.Brief {
	return training.Brief{
		Product:     ProductWidget,
		Version:     training.MustParseVersion("1.0"),
		Published:   BriefPublished(),
		Pros:        []string{"lasts for years with a yearly service"},
		Cons:        []string{"costs more than a basic widget"},
		KeyMessages: []string{"a two-year warranty covers parts and labour"},
		Prohibited: []training.Claim{{
			Phrase: "never breaks", Variants: []string{"cannot break"},
			Reason: "it has a two-year warranty, not a lifetime one", Severity: training.SeverityWarning,
		}},
		Disclosures: []training.Disclosure{{
			Phrase: "prices exclude shipping", Reason: "shipping is quoted apart", Severity: training.SeverityWarning,
		}},
		Objections: []training.Objection{{
			Objection: "too expensive", Answer: "it lasts twice as long as a basic widget",
		}},
		Channels: []training.ChannelOverride{{
			Channel: ChannelPhone, KeyMessages: []string{"offer a demonstration visit"},
		}},
	}
}

// NewModule returns the widget's product-knowledge module,
// [ModuleWidgetBasics], on brief version 1.0 (that of [NewBrief]), whose
// assessment is out of 10 points and passed with 8 or more, without a
// limit of attempts. It is valid by [training.Module.Validate].
func NewModule() training.Module {
	return training.Module{
		ID: ModuleWidgetBasics, Title: "Widget basics", Kind: training.ModuleProductKnowledge,
		Product: ProductWidget, BriefVersion: training.MustParseVersion("1.0"),
		Assessment: training.Assessment{MaxScore: 10, PassMark: 8},
	}
}

// NewCurriculum returns the widget's curriculum, [CurriculumWidget]: the
// one module of [NewModule], for a certificate on every channel (the
// phone channel among them) valid for 12 months. It is valid by
// [training.Curriculum.Validate]; each call returns a new curriculum, whose
// Modules are the caller's.
func NewCurriculum() training.Curriculum {
	return training.Curriculum{
		ID: CurriculumWidget, Title: "Widget certification", Product: ProductWidget,
		Modules: []training.ModuleID{ModuleWidgetBasics}, ValidMonths: 12,
	}
}

// NewCatalog returns a new [training.Catalog] of the module of [NewModule]
// and the curriculum of [NewCurriculum], for a [training.Trainer]: a rep
// who passes the module's assessment is certified by
// Trainer.Certify(ctx, rep, CurriculumWidget).
func NewCatalog() *training.Catalog {
	c, err := training.NewCatalog([]training.Module{NewModule()}, []training.Curriculum{NewCurriculum()})
	if err != nil { // unreachable: the fixtures are valid, as the package's tests check
		panic(err)
	}
	return c
}

// NewCertificate returns the certificate that rep would have earned by
// [NewCurriculum] at issued, for a rep trained before a scenario starts (put
// it in the store with PutCertificate): for the widget on every channel, on
// brief version 1.0, expiring 12 calendar months after issued, in issued's
// location, as [training.Trainer.Certify] reckons them (on the last day of
// the month when the day is past it: a certificate issued on 29 February
// expires on 28 February). It is valid by [training.Certificate.Validate]
// for a valid rep ID and an issued time other than the zero time whose
// expiry falls within the years [salesprocess.ValidateTime] accepts.
func NewCertificate(rep salesprocess.RepID, issued time.Time) training.Certificate {
	return training.Certificate{
		Rep: rep, Product: ProductWidget, BriefVersion: training.MustParseVersion("1.0"),
		Curriculum: CurriculumWidget, Issued: issued, Expires: yearOn(issued),
	}
}

// yearOn returns t a year on, at the same wall-clock time, on the same day
// of the month or, where that month is shorter, on its last day.
func yearOn(t time.Time) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	last := time.Date(y+1, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return salesprocess.WallTime(y+1, m, min(d, last), hh, mm, ss, t.Nanosecond(), t.Location())
}
