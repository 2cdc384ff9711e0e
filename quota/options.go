package quota

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
)

// Outcome says whether a deal is still open or was closed as won or lost.
// Its text form is its name. The zero Outcome is unset: it encodes as empty
// text and back, and Validate refuses it.
type Outcome string

// The outcomes of a deal.
const (
	OutcomeOpen Outcome = "open"
	OutcomeWon  Outcome = "won"
	OutcomeLost Outcome = "lost"
)

// DefaultOutcome classifies a deal of the default pipeline: won in stage
// [pipeline.DealWon], lost in [pipeline.DealLost], open in any other stage
// (and for a nil deal).
func DefaultOutcome(d *pipeline.Deal) Outcome {
	if d == nil {
		return OutcomeOpen
	}
	switch closed, won := closedByStage(d.Stage); {
	case won:
		return OutcomeWon
	case closed:
		return OutcomeLost
	}
	return OutcomeOpen
}

// closedByStage is [DefaultOutcome] of a deal in stage s as two booleans,
// which a pass over a million deals tests without comparing Outcomes:
// whether the deal is closed, and whether it is won.
func closedByStage(s pipeline.DealStage) (closed, won bool) {
	won = s == pipeline.DealWon
	return won || s == pipeline.DealLost, won
}

// OutcomeBy returns a classification by deal pipeline definitions: a deal
// is won or lost when its stage is of kind [pipeline.KindWon] or
// [pipeline.KindLost] in the definition whose name is the deal's
// [pipeline.Deal.Pipeline], and open otherwise, a stage the definition does
// not know included. A deal whose pipeline is not among defs is classified
// by [DefaultOutcome]. Nil definitions are skipped; of two with the same
// name the first wins. A nil deal is open. The classification is safe for
// concurrent use.
func OutcomeBy(defs ...*pipeline.Definition) func(*pipeline.Deal) Outcome {
	byName := make(map[string]*pipeline.Definition, len(defs))
	for _, def := range defs {
		if def == nil {
			continue
		}
		if _, dup := byName[def.Name()]; !dup {
			byName[def.Name()] = def
		}
	}
	return func(d *pipeline.Deal) Outcome {
		if d == nil {
			return OutcomeOpen
		}
		def, ok := byName[d.Pipeline]
		if !ok {
			return DefaultOutcome(d)
		}
		switch k, _ := def.Kind(d.Stage); k {
		case pipeline.KindWon:
			return OutcomeWon
		case pipeline.KindLost:
			return OutcomeLost
		}
		return OutcomeOpen
	}
}

// FunnelStages returns the stage order of a deal pipeline for [Funnel] and
// [Options.Stages]: its open stages by order, then its first won stage. A
// nil def gives the default pipeline's order.
func FunnelStages(def *pipeline.Definition) []pipeline.DealStage {
	if def == nil {
		return defaultStages()
	}
	var open []pipeline.DealStage
	var won pipeline.DealStage
	for st := range def.Stages() {
		switch st.Kind {
		case pipeline.KindOpen:
			open = append(open, st.Key)
		case pipeline.KindWon:
			if won == "" {
				won = st.Key
			}
		}
	}
	if won != "" {
		open = append(open, won)
	}
	return open
}

func defaultStages() []pipeline.DealStage {
	return []pipeline.DealStage{
		pipeline.DealProspecting, pipeline.DealQualification, pipeline.DealProposal,
		pipeline.DealNegotiation, pipeline.DealWon,
	}
}

// Options tunes the calculators. A nil *Options, and every zero field,
// means the documented default. Options are read at the start of a call and
// not retained; the functions in them may be called from the calculator's
// goroutine only, once per record or less. A calculator only reads its
// Options, so one Options may serve calculators running at once on several
// goroutines; its functions are then called from each of them and must be
// safe for concurrent use, as a [Calendar] must. The zero Options are the
// defaults.
type Options struct {
	// Outcome classifies a deal as open, won or lost. Nil means
	// [DefaultOutcome]; [OutcomeBy] builds one from pipeline definitions.
	// Any other value it returns, the zero Outcome among them, counts as
	// open.
	Outcome func(*pipeline.Deal) Outcome

	// Splits returns the split credit of a deal, won for attainment and
	// open too for forecasts: the reps it is credited to and their
	// percentages, one split per rep, each positive, summing to exactly
	// 100 ([Credits] allocates the amount by them). Nil, or an empty
	// result, credits the deal's owner with all of it. Splits apply to
	// attainment and forecasts of rep goals; win rates and conversion
	// always count a deal for its owner.
	Splits func(*pipeline.Deal) []Split

	// Location returns the time zone of a region, in which a record's month
	// is reckoned when grouping by month ([Grouping.Month]). Nil, or a nil
	// result, means UTC. A zone without an IANA name ([time.FixedZone]'s,
	// [time.Local]) groups all the same, but its months, as Periods
	// ([sp.Period.MarshalText]), do not marshal, nor does the result.
	Location func(sp.RegionID) *time.Location

	// Calendar counts the elapsed part of a goal's period for pacing. Nil
	// means calendar time: the wall-clock share of the period elapsed.
	// One calendar paces every goal; it is given each day in the location
	// of the goal's period, by which it can keep each region's holidays.
	Calendar Calendar

	// Thresholds set where attainment status changes; zero fields take
	// their defaults (see [Thresholds]).
	Thresholds Thresholds

	// Stages is the stage order of the deal funnel: open stages in the
	// order deals pass them, then the won stage; 2 to [pipeline.MaxStages]
	// distinct stages. Nil means the default pipeline's: prospecting,
	// qualification, proposal, negotiation, won. See [FunnelStages] for a
	// custom pipeline.
	Stages []pipeline.DealStage

	// Confidence is the confidence level of the Wilson intervals in grouped
	// results, strictly between 0 and 1. Zero means 0.95.
	Confidence float64

	// PriorStrength is the weight, in pseudo-trials, of the group's rate
	// in the shrunk estimates of grouped results (see [Prior]). Zero means
	// estimated from the groups by the method of moments ([FitPrior]).
	PriorStrength float64

	// Places is the number of decimal places of rates, intervals and
	// shrunk estimates in grouped results, rounded half-up, from 1 to 18.
	// Zero means 4.
	Places int32
}

// settings are Options with the defaults filled in and checked.
type settings struct {
	outcome    func(*pipeline.Deal) Outcome
	splits     func(*pipeline.Deal) []Split
	location   func(sp.RegionID) *time.Location
	calendar   Calendar
	thresholds Thresholds
	stages     []pipeline.DealStage
	confidence float64
	strength   float64
	places     int32
}

// Validate reports whether o are options the calculators take: a funnel
// order of 2 to [pipeline.MaxStages] distinct stages, a confidence
// strictly between 0 and 1, a finite PriorStrength of at least 0, Places
// from 1 to 18 and thresholds in order, each zero value taken as its
// default, as every calculator checks them before it reads a record. A nil
// *Options is valid. An error wraps [sp.ErrInvalid] and names the field
// ("options.stages[1]"). The functions o holds, and the Splits a pass meets
// (see [Credits]), are judged only when a calculator uses them.
func (o *Options) Validate() error {
	_, err := o.settings()
	return err
}

func (o *Options) settings() (settings, error) {
	var opt Options
	if o != nil {
		opt = *o
	}
	s := settings{
		outcome:    opt.Outcome,
		splits:     opt.Splits,
		location:   opt.Location,
		calendar:   opt.Calendar,
		stages:     slices.Clone(opt.Stages), // read now, not as the deals are
		confidence: opt.Confidence,
		strength:   opt.PriorStrength,
		places:     opt.Places,
	}
	if s.outcome == nil {
		s.outcome = DefaultOutcome
	} else {
		s.outcome = func(d *pipeline.Deal) Outcome {
			if out := opt.Outcome(d); out == OutcomeWon || out == OutcomeLost {
				return out
			}
			return OutcomeOpen
		}
	}
	if s.stages == nil {
		s.stages = defaultStages()
	}
	if err := checkStages(s.stages); err != nil {
		return settings{}, err
	}
	if s.confidence == 0 {
		s.confidence = 0.95
	}
	if err := checkConfidence(s.confidence); err != nil {
		return settings{}, sp.InField("options", err)
	}
	if s.strength < 0 || math.IsNaN(s.strength) || math.IsInf(s.strength, 0) {
		return settings{}, sp.Invalid("options.prior_strength", "%v is not a finite number of at least 0", s.strength)
	}
	if s.places == 0 {
		s.places = 4
	}
	if s.places < 1 || s.places > maxPlaces {
		return settings{}, sp.Invalid("options.places", "%d outside 1 to %d", s.places, maxPlaces)
	}
	t, err := opt.Thresholds.resolve()
	if err != nil {
		return settings{}, sp.InField("options", err)
	}
	s.thresholds = t
	return s, nil
}

// checkStages reports whether stages is a funnel order: 2 to
// [pipeline.MaxStages] distinct well-formed stages.
func checkStages(stages []pipeline.DealStage) error {
	if len(stages) < 2 || len(stages) > pipeline.MaxStages {
		noun := "stages"
		if len(stages) == 1 {
			noun = "stage"
		}
		return sp.Invalid("options.stages", "%d %s; want 2 to %d", len(stages), noun, pipeline.MaxStages)
	}
	for i, st := range stages {
		// The field is written out only for an error.
		field := func() string { return fmt.Sprintf("options.stages[%d]", i) }
		if err := st.Validate(); err != nil {
			return sp.InField(field(), err)
		}
		if slices.Contains(stages[:i], st) {
			return sp.Invalid(field(), "%q repeated", st)
		}
	}
	return nil
}

// maxPlaces bounds the decimal places of rates and statistics: beyond 18
// digits a float64 carries nothing.
const maxPlaces = 18

// Refs returns the elements of s as a sequence of pointers into s, the form
// the calculators take, so that a slice of records is read in place rather
// than copied record by record. A nil s gives the empty sequence. Each
// iteration reads s afresh: the sequence may be iterated again, and sees
// the elements as they are then.
func Refs[T any](s []T) iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for i := range s {
			if !yield(&s[i]) {
				return
			}
		}
	}
}

// Records adapts a store listing, such as [pipeline.DealStore.ListDeals],
// to the sequence of pointers the calculators of deals and inquiries take,
// as do the inputs of package review (its feedback too, from training's
// Trainer.FieldFeedback or a store's listing). [RollUp] takes its goals as
// values, not pointers: a [GoalStore] listing reaches it through a loop of
// the host's that stops at the first error (see the example of RollUp
// with a goal store). Each record is yielded as a pointer to one
// variable that the next record overwrites, so no record is copied to the
// heap. The first error of seq ends the sequence and is stored in *err,
// wrapped ("quota: reading records: ..."), if err is not nil; *err is left
// alone otherwise. Check it after the calculator returns, since a
// calculator sees an early end as the end of its input. Each range over the
// sequence ranges over seq, so it can be used only as often as seq: a
// store's listing may be single-use
// ([pipeline.InquiryStore.ListInquiries]), so give each calculator a
// listing of its own. A nil seq gives the empty sequence.
func Records[T any](seq iter.Seq2[T, error], err *error) iter.Seq[*T] {
	return func(yield func(*T) bool) {
		if seq == nil {
			return
		}
		var rec T
		for r, e := range seq {
			if e != nil {
				if err != nil {
					*err = fmt.Errorf("quota: reading records: %w", e)
				}
				return
			}
			rec = r
			if !yield(&rec) {
				return
			}
		}
	}
}

// orEmpty returns seq, or the empty sequence for a nil seq, so that the
// calculators take a nil sequence as no records rather than panic.
func orEmpty[T any](seq iter.Seq[T]) iter.Seq[T] {
	if seq == nil {
		return func(func(T) bool) {}
	}
	return seq
}

// errNil returns the error of a nil record in the sequence named field
// ("deals", "inquiries").
func errNil(field string) error { return sp.Invalid(field, "a nil record") }
