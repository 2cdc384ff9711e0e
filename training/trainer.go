package training

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/salesprocess/salesprocess"
)

// Trainer runs training on a host's [Store] and a [Catalog] of modules and
// curricula: it publishes briefs, records attempts, certifies reps,
// assigns retraining, onboards reps and runs field tests. It validates
// every input before it writes, so bad input changes nothing; store
// errors are returned wrapped. It is safe for concurrent use if its store
// is. Make one with [NewTrainer]: the zero Trainer, like a nil *Trainer,
// has no store and an empty catalog (see NewTrainer).
type Trainer struct {
	store     Store
	catalog   *Catalog
	clock     salesprocess.Clock
	zones     repZones // Options.Location
	readiness *Readiness
	// attemptLocks serialize, by rep and module, the count and the write
	// of attempts at a module with a limit, so that concurrent attempts
	// through this Trainer cannot together pass it. Each is a channel of
	// capacity one, held by the call that sent to it, so that a call
	// waiting for one stops when its context is done.
	attemptLocks [16]chan struct{}
	lockSeed     maphash.Seed // spreads the rep and module keys over attemptLocks
}

// NewTrainer returns a [Trainer] on store and catalog. A nil catalog is an
// empty one. opts may be nil. A nil store, like a nil *Trainer, makes every
// method that reads or writes the store fail with an error wrapping
// [salesprocess.ErrInvalid], as [NewReadiness] does with nil stores.
func NewTrainer(store Store, catalog *Catalog, opts *Options) *Trainer {
	if catalog == nil {
		catalog, _ = NewCatalog(nil, nil)
	}
	t := &Trainer{store: store, catalog: catalog, clock: opts.clock(), zones: opts.location(), readiness: NewReadiness(store, store, opts)}
	t.lockSeed = maphash.MakeSeed()
	for i := range t.attemptLocks {
		t.attemptLocks[i] = make(chan struct{}, 1)
	}
	return t
}

// Readiness returns the [Readiness] on the trainer's store, the value to
// hand to package pipeline as its eligibility check. The engine may ask it
// inside a transaction of the engine's store, and it reads the trainer's
// store outside that transaction: when the two are one store, the read
// may wait on the transaction, and the command with it (see pipeline's
// Options).
func (t *Trainer) Readiness() *Readiness {
	if t == nil || t.readiness == nil {
		return NewReadiness(nil, nil, nil)
	}
	return t.readiness
}

// Catalog returns the trainer's catalog.
func (t *Trainer) Catalog() *Catalog { return t.cat() }

// st returns the trainer's store; a nil Trainer, or one without a store,
// fails every operation with an error wrapping [salesprocess.ErrInvalid].
func (t *Trainer) st() Store {
	if t.storeless() {
		return noStore{}
	}
	return t.store
}

func (t *Trainer) cat() *Catalog {
	if t == nil {
		return nil
	}
	return t.catalog
}

// repZones returns the zones of the reps (see [Options].Location), nil
// for a nil t.
func (t *Trainer) repZones() repZones {
	if t == nil {
		return nil
	}
	return t.zones
}

// orNow returns at, or the clock's time for the zero time: a query's time
// left unset.
func (t *Trainer) orNow(at time.Time) time.Time {
	if at.IsZero() {
		return t.now()
	}
	return at
}

func (t *Trainer) now() time.Time {
	if t == nil || t.clock == nil {
		return salesprocess.SystemClock{}.Now()
	}
	return t.clock.Now().Round(0) // see sp.Clock
}

// PublishBrief validates b and stores it as a new version of its product's
// brief. An invalid brief is an error wrapping [salesprocess.ErrInvalid]; a
// version already stored, [salesprocess.ErrDuplicate].
//
// b.Published is compared with neither the trainer's clock nor the other
// versions: the brief in force at a time is the highest version published
// at or before it (see [BriefSource]). So a version published with an
// earlier time changes the brief in force at the times since then, and what
// [Readiness] answers for them (a backdated major version outdates
// certificates from b.Published on), and a version below one already
// published is never in force from the higher one's Published on.
func (t *Trainer) PublishBrief(ctx context.Context, b Brief) error {
	if ctx == nil {
		return errNilContext("publish brief")
	}
	if err := b.Validate(); err != nil {
		return fmt.Errorf("training: publish brief: %w", err)
	}
	if err := t.st().AddBrief(ctx, b.Clone()); err != nil {
		return fmt.Errorf("training: publish brief %s %s: %w", salesprocess.Quote(string(b.Product)), b.Version, err)
	}
	return nil
}

// module returns the catalog's module id or an error wrapping
// [salesprocess.ErrInvalid] that places it at field.
func (t *Trainer) module(field string, id ModuleID) (Module, error) {
	m, ok := t.cat().Module(id)
	switch {
	case !ok && t.storeless():
		return Module{}, errNoStore() // not the caller's module at fault: the trainer
	case !ok:
		return Module{}, salesprocess.Invalid(field, "unknown module %s", salesprocess.Quote(string(id)))
	}
	return m, nil
}

// storeless reports whether t has no store, as a nil or zero Trainer has
// not (nor a catalog): its lookups in the catalog find nothing, which
// would blame the caller's module or curriculum for what is the trainer's.
func (t *Trainer) storeless() bool { return t == nil || t.store == nil }

// RecordAttempt records a rep's attempt at a module's assessment and
// returns it as stored: with the time of the trainer's clock if a.Time is
// zero, the module's brief version, and Passed decided by the module's
// pass mark (a.BriefVersion and a.Passed as given are ignored). An attempt
// is recorded once it has been made: a.Time after the trainer's clock's
// time, read once by the call, is an error wrapping
// [salesprocess.ErrInvalid] that names "attempt.time" and writes the
// clock's time, found before the store is read (with no tolerance, as
// package pipeline's engine refuses an activity done after its clock's
// time). A score above the assessment's maximum, an unknown module or
// another invalid field is an error wrapping [salesprocess.ErrInvalid]; an
// attempt beyond the assessment's MaxAttempts (counted per major brief
// version, since the rep last passed the module or was last assigned it,
// by the time of the attempt), one wrapping
// [salesprocess.ErrForbidden]; an attempt ID
// already stored, [salesprocess.ErrDuplicate]. A retry of one of the rep's
// attempts at the module is a duplicate even when no attempts are left,
// but an ID stored for another rep or module is found only by the store's
// write, so when no attempts are left it gets ErrForbidden. Concurrent
// attempts through one Trainer keep to MaxAttempts; Trainers in other
// processes sharing the store may together pass it.
func (t *Trainer) RecordAttempt(ctx context.Context, a Attempt) (Attempt, error) {
	if ctx == nil {
		return Attempt{}, errNilContext("record attempt")
	}
	now := t.now()
	if a.Time.IsZero() {
		a.Time = now
	}
	m, err := t.module("attempt.module", a.Module)
	if err != nil {
		return Attempt{}, fmt.Errorf("training: record attempt: %w", err)
	}
	a.BriefVersion = m.BriefVersion
	a.Passed = m.Assessment.Passes(a.Score)
	if err := a.Validate(); err != nil {
		return Attempt{}, fmt.Errorf("training: record attempt: %w", err)
	}
	if err := happened("attempt.time", "an attempt", a.Time, now); err != nil {
		return Attempt{}, fmt.Errorf("training: record attempt: %w", err)
	}
	if a.Score > m.Assessment.MaxScore {
		return Attempt{}, fmt.Errorf("training: record attempt: %w", salesprocess.Invalid("attempt.score", "%d above the maximum %d", a.Score, m.Assessment.MaxScore))
	}
	if max := m.Assessment.MaxAttempts; max > 0 {
		if lock := t.attemptLocks[maphash.String(t.lockSeed, string(a.Rep)+"\x00"+string(a.Module))%uint64(len(t.attemptLocks))]; lock != nil {
			select {
			case lock <- struct{}{}:
				defer func() { <-lock }()
			case <-ctx.Done():
				return Attempt{}, fmt.Errorf("training: record attempt: %w", ctx.Err())
			}
		}
		// An assignment of the module (a review's retraining) gives the
		// rep its attempts anew: those before the latest are not counted.
		var assigned time.Time
		for as, err := range t.st().ListAssignments(ctx, a.Rep) {
			if err != nil {
				return Attempt{}, fmt.Errorf("training: record attempt: %w", err)
			}
			if as.Module == a.Module && as.Rep == a.Rep && !as.Assigned.After(a.Time) && as.Assigned.After(assigned) {
				assigned = as.Assigned
			}
		}
		n := 0
		for prev, err := range t.st().ListAttempts(ctx, a.Rep, a.Module) {
			if err != nil {
				return Attempt{}, fmt.Errorf("training: record attempt: %w", err)
			}
			if prev.ID == a.ID { // a retry of a stored attempt, not one more
				return Attempt{}, fmt.Errorf("training: record attempt: attempt %s already stored: %w", salesprocess.Quote(string(a.ID)), salesprocess.ErrDuplicate)
			}
			switch {
			case prev.BriefVersion.Major != a.BriefVersion.Major, prev.Time.Before(assigned):
			case prev.Passed:
				n = 0 // a pass ends the attempts it took; a renewal starts anew
			default:
				n++
			}
		}
		if n >= max {
			used := fmt.Sprintf("all %d attempts", max)
			if max == 1 {
				used = "the only attempt"
			}
			return Attempt{}, fmt.Errorf("training: record attempt: rep %s has used %s at module %s: %w",
				salesprocess.Quote(string(a.Rep)), used, salesprocess.Quote(string(a.Module)), salesprocess.ErrForbidden)
		}
	}
	if err := t.st().AddAttempt(ctx, a); err != nil {
		return Attempt{}, fmt.Errorf("training: record attempt: %w", err)
	}
	return a, nil
}

// Progress is how far a rep has come in a curriculum at a time. The zero
// Progress is of no curriculum, with no module, not complete.
type Progress struct {
	Rep          salesprocess.RepID `json:"rep"`
	Curriculum   CurriculumID       `json:"curriculum"`
	BriefVersion Version            `json:"brief_version"` // the version of the product's brief in force at At
	At           time.Time          `json:"at"`
	Modules      []ModuleProgress   `json:"modules"`
	Complete     bool               `json:"complete"` // every module passed
}

// ModuleProgress is how far a rep has come in one module. For a
// product-knowledge module only attempts on the major brief version in
// force count. The zero ModuleProgress is of no module, with no attempt,
// not passed.
type ModuleProgress struct {
	Module    ModuleID  `json:"module"`
	Attempts  int       `json:"attempts"`
	BestScore int       `json:"best_score"`
	Passed    bool      `json:"passed"`
	PassedAt  time.Time `json:"passed_at"` // the first passing attempt, if passed
	Detail    string    `json:"detail,omitempty"`
}

// IncompleteError reports that a rep has not completed a curriculum, so
// cannot be certified. It unwraps to [salesprocess.ErrForbidden]. Its fields
// give a host its parts, for a response body, say, without parsing the
// message. The zero IncompleteError names no rep, curriculum or module, and
// still unwraps to ErrForbidden.
type IncompleteError struct {
	Rep        salesprocess.RepID
	Curriculum CurriculumID
	// Missing lists the modules not passed (since Since, when it is set).
	Missing []ModuleID
	// Notes says why each module of Missing is not passed where
	// [Trainer.Certify] can say more (a pass on another major version of
	// the brief than the one in force): Notes[i] is about Missing[i], ""
	// when there is nothing more to say. It may be shorter than Missing.
	Notes []string
	// Since, when not zero, is the time from which Certify counted the
	// rep's passes: the issue of the rep's earlier certificate, or its
	// lapse (see there); passes before it did not count. It is in the rep's
	// zone where [Options].Location gives one.
	Since time.Time
}

// Error returns "training: rep R has not completed curriculum C: modules
// not passed: M1, M2", or, from [Trainer.Certify] when it counts only the
// passes made after time T, the issue of the rep's earlier certificate, or
// at or after T, its lapse (see there), "... modules not passed since T:
// M1, M2".
// From Certify, a module the rep passed only on another major version of
// the brief than the one in force is followed by the versions, as in "M1
// (brief 2.0 is in force and needs a pass on major version 2; passed on
// brief 1.0)", with "; the module teaches brief 1.0" before the closing
// parenthesis when the catalog's module teaches another major version than
// the one in force.
func (e *IncompleteError) Error() string {
	ms := make([]string, len(e.Missing))
	for i, m := range e.Missing {
		ms[i] = string(m)
		if i < len(e.Notes) && e.Notes[i] != "" {
			ms[i] += " (" + e.Notes[i] + ")"
		}
	}
	since := ""
	if !e.Since.IsZero() {
		since = " since " + salesprocess.FormatTime(e.Since)
	}
	return fmt.Sprintf("training: rep %s has not completed curriculum %s: modules not passed%s: %s",
		salesprocess.Quote(string(e.Rep)), salesprocess.Quote(string(e.Curriculum)), since, strings.Join(ms, ", "))
}

// Unwrap returns [salesprocess.ErrForbidden].
func (e *IncompleteError) Unwrap() error { return salesprocess.ErrForbidden }

// Progress returns how far rep has come in curriculum id at time at:
// attempts made at or before at, judged against the product's brief in
// force at at; a zero at is the Trainer's clock's time. An unknown
// curriculum, an invalid rep or an at that [salesprocess.ValidateTime]
// refuses is an error wrapping [salesprocess.ErrInvalid]; a product without
// a brief in force, one wrapping [salesprocess.ErrNotFound].
func (t *Trainer) Progress(ctx context.Context, rep salesprocess.RepID, id CurriculumID, at time.Time) (Progress, error) {
	if ctx == nil {
		return Progress{}, errNilContext("progress")
	}
	at = t.orNow(at)
	if err := validateTime("at", at, false); err != nil {
		return Progress{}, fmt.Errorf("training: progress: %w", err)
	}
	p, _, err := t.progress(ctx, rep, id, at, countFrom{})
	if err != nil {
		return Progress{}, fmt.Errorf("training: progress: %w", err)
	}
	return p, nil
}

// countFrom is the time from which [Trainer.Certify] counts passes: at or
// after at or, with after, only after it. The zero countFrom counts every
// pass.
type countFrom struct {
	at    time.Time
	after bool
}

// skips reports whether a pass at time a does not count.
func (c countFrom) skips(a time.Time) bool {
	return a.Before(c.at) || c.after && a.Equal(c.at)
}

// later returns the later of c and d; of two at the same time, the one
// that counts only after it.
func (c countFrom) later(d countFrom) countFrom {
	if d.at.After(c.at) || d.at.Equal(c.at) && d.after {
		return d
	}
	return c
}

// progress is [Trainer.Progress] counting only the attempts made from
// since on. With it come notes, one per module of the curriculum: for a
// module not passed, the versions needed and passed on, or the empty
// string (see [IncompleteError.Error]).
func (t *Trainer) progress(ctx context.Context, rep salesprocess.RepID, id CurriculumID, at time.Time, since countFrom) (Progress, []string, error) {
	if err := requireID("rep", rep); err != nil {
		return Progress{}, nil, err
	}
	cu, ok := t.cat().Curriculum(id)
	switch {
	case !ok && t.storeless():
		return Progress{}, nil, errNoStore()
	case !ok:
		return Progress{}, nil, salesprocess.Invalid("curriculum", "unknown curriculum %s", salesprocess.Quote(string(id)))
	}
	version, err := versionAt(ctx, t.st(), cu.Product, at)
	if err != nil {
		return Progress{}, nil, fmt.Errorf("brief of product %s: %w", salesprocess.Quote(string(cu.Product)), err)
	}
	p := Progress{Rep: rep, Curriculum: id, BriefVersion: version, At: at, Complete: true}
	var notes []string
	for _, mid := range cu.Modules {
		m, _ := t.cat().Module(mid)
		mp := ModuleProgress{Module: mid}
		current := m.Kind != ModuleProductKnowledge || m.BriefVersion.Major == version.Major
		if !current {
			mp.Detail = fmt.Sprintf("the module teaches brief %s; brief %s is in force", m.BriefVersion, version)
		}
		var passedOn Version // the latest version of a pass on another major version, if any
		passedOther := false
		for a, err := range t.st().ListAttempts(ctx, rep, mid) {
			if err != nil {
				return Progress{}, nil, err
			}
			if a.Time.After(at) || since.skips(a.Time) {
				continue
			}
			if m.Kind == ModuleProductKnowledge && a.BriefVersion.Major != version.Major {
				if a.Passed && (!passedOther || a.BriefVersion.Compare(passedOn) > 0) {
					passedOn, passedOther = a.BriefVersion, true
				}
				continue
			}
			mp.Attempts++
			mp.BestScore = max(mp.BestScore, a.Score)
			if a.Passed && !mp.Passed {
				mp.Passed, mp.PassedAt = true, a.Time
			}
		}
		p.Complete = p.Complete && mp.Passed
		p.Modules = append(p.Modules, mp)
		note := ""
		if !mp.Passed && passedOther {
			note = fmt.Sprintf("brief %s is in force and needs a pass on major version %d; passed on brief %s", version, version.Major, passedOn)
			if !current {
				note += fmt.Sprintf("; the module teaches brief %s", m.BriefVersion)
			}
		}
		notes = append(notes, note)
	}
	return p, notes, nil
}

// Certify issues rep a certificate for the product (and channel) of
// curriculum id, at the time of the trainer's clock, on the brief then in
// force, valid for the curriculum's calendar months (from January 31, one
// month runs to February 28 or 29), counted in the rep's time zone
// ([Options].Location) or, without one, in the zone of the clock's time,
// at the same time of day (or as much later as clocks spring forward
// over it that day, and the first time it comes where they turn back over
// it); it replaces the rep's earlier certificate for the same product and
// channel. A rep who has not passed every module (counted as below) gets
// an [*IncompleteError] (wrapping [salesprocess.ErrForbidden]), but for
// the case of the last paragraph; other errors are as for
// [Trainer.Progress].
//
// The passes count as for [Trainer.Progress] at the clock's time, but only
// those made since the rep's earlier certificates for the product whose
// work overlaps the new one's: the one for the same channel, the one for
// every channel (which covers each channel) and, for a certificate for
// every channel, those for single channels. From each such certificate the
// passes count after its Issued (not at it: the passes that earned it may
// bear that very time) or, when it has lapsed by the clock's time (it was
// withdrawn, see [Certificate], or it expired), at or after its Expires;
// with several, from the latest of those times. So no
// certificate is renewed, issued again after a withdrawal or an expiry,
// or extended by one for another channel from the passes that earned it:
// the rep passes every module of the curriculum again first. A
// certificate outdated by a major brief version (see
// [Certificate.Status]) is replaced, on the brief in force, likewise.
//
// A rep who has not passed every module since then but holds a
// certificate for the same product and channel that is valid at the
// clock's time, or that was issued after it (by a trainer whose clock runs
// ahead), gets that certificate back unchanged, with a nil error, and
// nothing is written: so a retried call returns the certificate it issued.
// An outdated certificate is not returned so, since [Readiness] refuses
// the rep it certifies: the rep gets an [*IncompleteError], as after a
// lapse.
//
// Without a zone for the rep, the months are those of the calendar of the
// clock's zone: with [salesprocess.SystemClock], the machine's
// ([time.Local], UTC on most servers). A rep in Pacific/Auckland certified
// for one month at 09:00 on March 1 by a trainer whose clock reads UTC,
// where it is 20:00 on February 28, holds the certificate until 09:00 on
// March 29 there, not April 1. To count months on the calendar of the
// rep's region, give the Trainer an [Options].Location that returns the
// region's zone: the certificate is then issued at 09:00 on March 1 in
// Auckland and held until 09:00 on April 1 there, and an
// [*IncompleteError] writes its time there too. A zone in which the
// clock's time has no RFC 3339 form is an error wrapping
// [salesprocess.ErrInvalid] that names "options.location", and nothing is
// written.
func (t *Trainer) Certify(ctx context.Context, rep salesprocess.RepID, id CurriculumID) (Certificate, error) {
	if ctx == nil {
		return Certificate{}, errNilContext("certify")
	}
	now := t.now()
	since, held, err := t.earlier(ctx, rep, id, now)
	if err != nil {
		return Certificate{}, fmt.Errorf("training: certify: %w", err)
	}
	p, notes, err := t.progress(ctx, rep, id, now, since)
	if err != nil {
		return Certificate{}, fmt.Errorf("training: certify: %w", err)
	}
	if !p.Complete {
		if held != nil {
			if s := held.Status(p.BriefVersion, now); s == CertValid || s == CertNotYetValid {
				return *held, nil // nothing passed since: the certificate stands as it is
			}
		}
		e := &IncompleteError{Rep: rep, Curriculum: id, Since: since.at}
		if !since.at.IsZero() {
			e.Since = t.repZones().in(rep, since.at)
		}
		for i, m := range p.Modules {
			if !m.Passed {
				e.Missing = append(e.Missing, m.Module)
				e.Notes = append(e.Notes, notes[i])
			}
		}
		return Certificate{}, e
	}
	issued := now
	loc, err := t.repZones().of(rep, now)
	if err != nil {
		return Certificate{}, fmt.Errorf("training: certify: %w", err)
	}
	if loc != nil {
		issued = now.In(loc)
	}
	cu, _ := t.cat().Curriculum(id)
	c := Certificate{
		Rep: rep, Product: cu.Product, Channel: cu.Channel, BriefVersion: p.BriefVersion, Curriculum: id,
		Issued: issued, Expires: addMonths(issued, cu.ValidMonths),
	}
	if err := c.Validate(); err != nil { // only a clock outside the calendar gets here
		return Certificate{}, fmt.Errorf("training: certify: %w", err)
	}
	if err := t.st().PutCertificate(ctx, c); err != nil {
		return Certificate{}, fmt.Errorf("training: certify: %w", err)
	}
	return c, nil
}

// earlier reads rep's certificates for the product of curriculum id whose
// work overlaps that of the certificate [Trainer.Certify] would issue
// (the one for the curriculum's channel, the one for every channel and,
// for a curriculum for every channel, those for single channels). It
// returns the time from which passes count: the latest, over them, of the
// Expires of one that has lapsed at now (at or after it) and the Issued of
// one that has not (after it); the zero countFrom without them; and the
// certificate for the
// curriculum's channel, if the rep holds one. An invalid rep or an
// unknown curriculum gives neither: progress reports it.
func (t *Trainer) earlier(ctx context.Context, rep salesprocess.RepID, id CurriculumID, now time.Time) (countFrom, *Certificate, error) {
	cu, ok := t.cat().Curriculum(id)
	if requireID("rep", rep) != nil || !ok {
		return countFrom{}, nil, nil
	}
	var since countFrom
	var held *Certificate
	for c, err := range t.st().ListCertificates(ctx, CertificateFilter{Rep: rep, Product: cu.Product}) {
		if err != nil {
			return countFrom{}, nil, err
		}
		if c.Rep != rep || c.Product != cu.Product || (c.Channel != cu.Channel && c.Channel != "" && cu.Channel != "") {
			continue
		}
		from := countFrom{at: c.Issued, after: true}
		if !now.Before(c.Expires) && c.Expires.After(c.Issued) { // lapsed: withdrawn or expired
			from = countFrom{at: c.Expires}
		}
		since = since.later(from)
		if c.Channel == cu.Channel {
			held = &c
		}
	}
	return since, held, nil
}

// addMonths returns t moved n calendar months on, at the same time of day
// on the same day of the month, or on the last day of the month when that
// is shorter: January 31 plus one month is February 28 (29 in a leap
// year), where [time.Time.AddDate] would overflow into March. Where
// clocks spring forward over that time of day, it is as much later as
// they do (02:30 becomes 03:30), never earlier; where they turn back over
// it, so that it comes twice, it is the first (as RFC 5545 reads such
// times), where time.Date gives the first or the second depending on the
// zone.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return salesprocess.WallTime(y, m+time.Month(n), min(d, last), hh, mm, ss, t.Nanosecond(), t.Location())
}

// AssignModule assigns a module to a rep, to be passed by a.Due, and
// returns the assignment as stored: with the time of the trainer's clock
// if a.Assigned is zero. An unknown module or an invalid field is an
// error wrapping [salesprocess.ErrInvalid]; an assignment ID already
// stored, [salesprocess.ErrDuplicate].
func (t *Trainer) AssignModule(ctx context.Context, a Assignment) (Assignment, error) {
	if ctx == nil {
		return Assignment{}, errNilContext("assign module")
	}
	if a.Assigned.IsZero() {
		a.Assigned = t.now()
	}
	if err := a.Validate(); err != nil {
		return Assignment{}, fmt.Errorf("training: assign module: %w", err)
	}
	if _, err := t.module("assignment.module", a.Module); err != nil {
		return Assignment{}, fmt.Errorf("training: assign module: %w", err)
	}
	if err := t.st().AddAssignment(ctx, a); err != nil {
		return Assignment{}, fmt.Errorf("training: assign module: %w", err)
	}
	return a, nil
}

// Assignments returns rep's assignments (every rep's when rep is empty),
// ordered by due time and then ID, each with its progress at time at: done
// when the rep passed the module at or after the assignment and not after
// at (any passing attempt at the module, whatever brief version it was
// recorded on), overdue when not done by a due time at or before at; a
// zero at is the Trainer's clock's time. An
// invalid rep or an at that [salesprocess.ValidateTime] refuses is an
// error wrapping [salesprocess.ErrInvalid].
func (t *Trainer) Assignments(ctx context.Context, rep salesprocess.RepID, at time.Time) ([]AssignmentProgress, error) {
	if ctx == nil {
		return nil, errNilContext("assignments")
	}
	if err := optionalID("rep", rep); err != nil {
		return nil, fmt.Errorf("training: assignments: %w", err)
	}
	at = t.orNow(at)
	if err := validateTime("at", at, false); err != nil {
		return nil, fmt.Errorf("training: assignments: %w", err)
	}
	// The assignments first, then the attempts of each: a store may hold
	// its connection while a listing runs.
	list, err := collect(t.st().ListAssignments(ctx, rep))
	if err != nil {
		return nil, fmt.Errorf("training: assignments: %w", err)
	}
	var out []AssignmentProgress
	for _, a := range list {
		ap := AssignmentProgress{Assignment: a}
		for at2, err := range t.st().ListAttempts(ctx, a.Rep, a.Module) {
			if err != nil {
				return nil, fmt.Errorf("training: assignments: %w", err)
			}
			if at2.Passed && !at2.Time.Before(a.Assigned) && !at2.Time.After(at) {
				ap.Done, ap.DoneAt = true, at2.Time
				break
			}
		}
		ap.Overdue = !ap.Done && !at.Before(a.Due)
		out = append(out, ap)
	}
	return out, nil
}

// Onboard checks that o is valid and that its rep is trained (holds a
// certificate valid at o.Start for some product) and returns o, ready to
// be turned into goals by package quota and applied to the rep with
// [Onboarding.Assign]. Invalid input is an error wrapping
// [salesprocess.ErrInvalid]; an untrained rep gets a [*NotReadyError]
// (wrapping [salesprocess.ErrForbidden]) with the reasons: one per product
// the rep holds certificates for, the state of the best of them on any
// channel (see [Readiness.Status]), naming no channel, with the time that
// certificate is valid from, the time it lapsed or the brief it was earned
// on in the detail.
func (t *Trainer) Onboard(ctx context.Context, o Onboarding) (Onboarding, error) {
	if ctx == nil {
		return Onboarding{}, errNilContext("onboard")
	}
	if err := o.Validate(); err != nil {
		return Onboarding{}, fmt.Errorf("training: onboard: %w", err)
	}
	nre := &NotReadyError{Rep: o.Rep}
	var products []salesprocess.ProductID
	for c, err := range t.st().ListCertificates(ctx, CertificateFilter{Rep: o.Rep}) {
		if err != nil {
			return Onboarding{}, fmt.Errorf("training: onboard: %w", err)
		}
		if !slices.Contains(products, c.Product) {
			products = append(products, c.Product)
		}
	}
	for _, p := range products {
		s, c, err := t.Readiness().status(ctx, o.Rep, p, o.Start)
		if err != nil {
			return Onboarding{}, fmt.Errorf("training: onboard: %w", err)
		}
		if s == CertValid {
			o.Ramp = slices.Clone(o.Ramp)
			return o, nil
		}
		nre.Reasons = append(nre.Reasons, Reason{Code: statusReason(s), Detail: onboardDetail(p, s, c, t.repZones())})
	}
	if len(nre.Reasons) == 0 {
		nre.Reasons = []Reason{{Code: ReasonNoCertificate, Detail: "no certificate for any product"}}
	}
	return Onboarding{}, nre
}

// onboardDetail is the detail of a [Trainer.Onboard] reason: the state
// of the best certificate c for product p in words, and what put it there
// (the time it is valid from, the time it lapsed, written in the zone of
// the rep in zones, the brief it was earned on), so that a host sees
// whether to move the start or retrain the rep.
func onboardDetail(p salesprocess.ProductID, s CertStatus, c Certificate, zones repZones) string {
	d := fmt.Sprintf("certificate for product %s %s", salesprocess.Quote(string(p)), strings.ReplaceAll(string(s), "_", " "))
	switch s {
	case CertNotYetValid:
		d += ": issued at " + zones.format(c.Rep, c.Issued)
	case CertExpired:
		d += " at " + zones.format(c.Rep, c.Expires)
	case CertOutdated:
		d += fmt.Sprintf(": earned on brief %s, before the major version in force", c.BriefVersion)
	}
	return d
}

func statusReason(s CertStatus) ReasonCode {
	switch s {
	case CertExpired:
		return ReasonExpired
	case CertOutdated:
		return ReasonBriefOutdated
	case CertNotYetValid:
		return ReasonNotYetValid
	}
	return ReasonNoCertificate
}

// StartPilot validates p and stores it as a new field test at Rev 1,
// whatever p.Rev holds, returning it as stored. The product version
// piloted should have a brief (see [Trainer.PublishBrief]) so that reps
// can be trained for the pilot; that is not checked. Invalid input is an
// error wrapping [salesprocess.ErrInvalid]; a pilot ID already stored,
// [salesprocess.ErrDuplicate].
func (t *Trainer) StartPilot(ctx context.Context, p Pilot) (Pilot, error) {
	if ctx == nil {
		return Pilot{}, errNilContext("start pilot")
	}
	p = p.Clone()
	p.Rev = 1
	if err := p.Validate(); err != nil {
		return Pilot{}, fmt.Errorf("training: start pilot: %w", err)
	}
	if err := t.st().CreatePilot(ctx, p); err != nil {
		return Pilot{}, fmt.Errorf("training: start pilot: %w", err)
	}
	return p, nil
}

// RecordSale records a sale made in a field test. The sale must be in one of
// the pilot's localities, within its period, and within the quantity the
// pilot has left given the sales stored so far. When the store is a
// [LimitedSaleStore], RecordSale checks the quantity and stores the sale in
// one atomic call of AddSaleWithin, so that concurrent sales of a pilot
// cannot together pass its quantity, and reads none of the sales stored
// before; otherwise it lists the pilot's sales on each call and then adds
// the sale, so that recording n sales of a pilot reads n²/2 sales, and two
// concurrent calls may together pass the quantity (a host that needs it
// exact serializes the sales of a pilot). The answers are the same either
// way: the units sold are the exact sum of the stored units, whatever their
// signs, or the bound of int64 that it passes (see [LimitedSaleStore]). An
// invalid sale (see [Sale.Validate]) is an error wrapping
// [salesprocess.ErrInvalid]. A sale is recorded once it has been made: a
// time after the trainer's clock's time, read once by the call, is an
// error wrapping [salesprocess.ErrInvalid] that names "sale.time" and
// writes the clock's time, found, like an invalid sale, before the store
// is read (with no tolerance, as package pipeline's engine refuses an
// activity done after its clock's time). Breaking a rule of the pilot is
// an error wrapping a [*salesprocess.ValidationError] (and so ErrInvalid)
// whose Field is "sale.locality", "sale.time" or, for a sale beyond the
// quantity left, "sale.units". An unknown pilot is an error wrapping
// [salesprocess.ErrNotFound]; a sale ID already stored,
// [salesprocess.ErrDuplicate]: for the same pilot before the quantity is
// looked at (a retry of a stored sale is not one more), for another pilot
// when the sale is within the quantity left.
func (t *Trainer) RecordSale(ctx context.Context, s Sale) error {
	if ctx == nil {
		return errNilContext("record sale")
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("training: record sale: %w", err)
	}
	if err := happened("sale.time", "a sale", s.Time, t.now()); err != nil {
		return fmt.Errorf("training: record sale: %w", err)
	}
	p, err := t.st().GetPilot(ctx, s.Pilot)
	if err != nil {
		return fmt.Errorf("training: record sale: pilot %s: %w", salesprocess.Quote(string(s.Pilot)), err)
	}
	switch {
	case !p.HasLocality(s.Locality):
		return fmt.Errorf("training: record sale: %w", salesprocess.Invalid("sale.locality", "%s is not a locality of pilot %s", salesprocess.Quote(s.Locality), salesprocess.Quote(string(p.ID))))
	case !p.Period.Contains(s.Time):
		return fmt.Errorf("training: record sale: %w", salesprocess.Invalid("sale.time", "outside the pilot period %s", p.Period))
	}
	if ls, ok := t.st().(LimitedSaleStore); ok {
		sold, added, err := ls.AddSaleWithin(ctx, s, p.Quantity)
		switch {
		case errors.Is(err, salesprocess.ErrDuplicate):
			return errSaleStored(s.ID)
		case err != nil:
			return fmt.Errorf("training: record sale: %w", err)
		case !added:
			return errBeyondQuantity(s, p, sold)
		}
		return nil
	}
	// The stored units, which the store does not validate, added up
	// exactly, as the stores that count them do: in any order, the same
	// sum.
	var sum, units big.Int
	for prev, err := range t.st().ListSales(ctx, p.ID) {
		if err != nil {
			return fmt.Errorf("training: record sale: %w", err)
		}
		if prev.ID == s.ID { // a retry of a stored sale, not one more
			return errSaleStored(s.ID)
		}
		sum.Add(&sum, units.SetInt64(prev.Units))
	}
	sold := clampInt64(&sum)
	if s.Units > unitsLeft(p.Quantity, sold) {
		return errBeyondQuantity(s, p, sold)
	}
	if err := t.st().AddSale(ctx, s); err != nil {
		if errors.Is(err, salesprocess.ErrDuplicate) {
			return errSaleStored(s.ID)
		}
		return fmt.Errorf("training: record sale: %w", err)
	}
	return nil
}

// errSaleStored is the error of [Trainer.RecordSale] for a sale whose ID
// is stored already.
func errSaleStored(id SaleID) error {
	return fmt.Errorf("training: record sale: sale %s already stored: %w", salesprocess.Quote(string(id)), salesprocess.ErrDuplicate)
}

// errBeyondQuantity is the error of [Trainer.RecordSale] for a sale s of
// pilot p beyond the quantity left when sold units are stored.
func errBeyondQuantity(s Sale, p Pilot, sold int64) error {
	return fmt.Errorf("training: record sale: %w", salesprocess.Invalid("sale.units", "%d wanted, %d left of the pilot's %d %s", s.Units, unitsLeft(p.Quantity, sold), p.Quantity, pick(p.Quantity == 1, "unit", "units")))
}

// unitsLeft returns what is left of quantity once sold units are sold, 0
// when none is, without wrapping around.
func unitsLeft(quantity, sold int64) int64 {
	switch {
	case sold >= quantity:
		return 0
	case sold < 0 && quantity > math.MaxInt64+sold:
		return math.MaxInt64
	}
	return quantity - sold
}

// RecordFeedback validates f and stores it. Field-test feedback
// ([salesprocess.FromFieldTest]) carries the locality it came from; it
// counts for the pilots of its product that run in that locality, named byte
// for byte as the pilot names it (see [Pilot.HasLocality]). RecordFeedback
// does not look at the pilots: feedback from a locality where no pilot of
// its product runs (a misspelt "osaka" for "Osaka", say) is stored all the
// same and counts for no pilot's [Decide]. To record field-test feedback
// against the pilot it is meant for, refused unless that pilot's Decide
// counts it, use [Trainer.RecordPilotFeedback]. Feedback is recorded once
// given: a time after the trainer's clock's time, read once by the call, is
// an error wrapping [salesprocess.ErrInvalid] that names "feedback.time"
// and writes that time (with no tolerance, as package pipeline's engine
// refuses an inquiry received or an activity done after its clock's time).
// Invalid feedback is an error wrapping [salesprocess.ErrInvalid]; an ID
// already stored, [salesprocess.ErrDuplicate].
func (t *Trainer) RecordFeedback(ctx context.Context, f salesprocess.Feedback) error {
	if ctx == nil {
		return errNilContext("record feedback")
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("training: record feedback: %w", err)
	}
	if err := happened("feedback.time", "feedback", f.Time, t.now()); err != nil {
		return fmt.Errorf("training: record feedback: %w", err)
	}
	if err := t.st().AddFeedback(ctx, f); err != nil {
		return fmt.Errorf("training: record feedback: %w", err)
	}
	return nil
}

// RecordPilotFeedback records field-test feedback f against pilot id: it
// loads the pilot and stores f as [Trainer.RecordFeedback] does, but only
// feedback that the pilot's [Decide] counts, so that a misspelt locality
// or a wrong product is refused rather than stored to count for no pilot.
// An empty f.Source is taken as [salesprocess.FromFieldTest], the source
// stored; another source is refused. f must be about the pilot's product,
// from one of its localities, named byte for byte (see
// [Pilot.HasLocality]), and given at or after the start of the pilot's
// period and, as for RecordFeedback, not after the trainer's clock's time,
// read once by the call. Decide counts such feedback in a decision at any
// time at or after f.Time, so feedback given after the period's end, from
// a buyer who answers late, is accepted and counts for a decision taken
// after it; feedback from before the period, which no decision counts, is
// refused.
//
// Breaking a rule is an error wrapping a [*salesprocess.ValidationError]
// (and so [salesprocess.ErrInvalid]) whose Field is "feedback.source",
// "feedback.product", "feedback.locality" or "feedback.time", and whose
// reason says what the pilot has (its product, its localities, the first
// ten and how many more, the start of its period) or, for a time after
// the clock's, the clock's time. An invalid pilot ID (the field "pilot"),
// feedback that [salesprocess.Feedback.Validate] refuses, another source
// and a time after the clock's are found before the pilot is read; an
// unknown pilot is an error wrapping [salesprocess.ErrNotFound]; an ID
// already stored, [salesprocess.ErrDuplicate]. Nothing is written on any
// of them; other errors of the store are passed on wrapped.
//
// Feedback names no pilot: stored, it counts for every pilot of its
// product that runs in its locality and has started by its time, as it
// would had RecordFeedback stored it.
func (t *Trainer) RecordPilotFeedback(ctx context.Context, id PilotID, f salesprocess.Feedback) error {
	if ctx == nil {
		return errNilContext("record pilot feedback")
	}
	if err := requireID("pilot", id); err != nil {
		return fmt.Errorf("training: record pilot feedback: %w", err)
	}
	if f.Source == "" {
		f.Source = salesprocess.FromFieldTest
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("training: record pilot feedback: %w", err)
	}
	if f.Source != salesprocess.FromFieldTest {
		return fmt.Errorf("training: record pilot feedback: %w", salesprocess.Invalid("feedback.source", "%s is not %s: pilot %s counts field-test feedback only",
			salesprocess.Quote(string(f.Source)), salesprocess.Quote(string(salesprocess.FromFieldTest)), salesprocess.Quote(string(id))))
	}
	if err := happened("feedback.time", "feedback", f.Time, t.now()); err != nil {
		return fmt.Errorf("training: record pilot feedback: %w", err)
	}
	p, err := t.st().GetPilot(ctx, id)
	if err != nil {
		return fmt.Errorf("training: record pilot feedback: pilot %s: %w", salesprocess.Quote(string(id)), err)
	}
	switch start := p.Period.Start(); {
	case f.Product != p.Product:
		return fmt.Errorf("training: record pilot feedback: %w", salesprocess.Invalid("feedback.product", "%s is not the product of pilot %s (its product: %s)",
			salesprocess.Quote(string(f.Product)), salesprocess.Quote(string(p.ID)), salesprocess.Quote(string(p.Product))))
	case !p.HasLocality(f.Locality):
		return fmt.Errorf("training: record pilot feedback: %w", salesprocess.Invalid("feedback.locality", "%s is not a locality of pilot %s (its localities: %s)",
			salesprocess.Quote(f.Locality), salesprocess.Quote(string(p.ID)), quoteLocalities(p.Localities)))
	case f.Time.Before(start):
		return fmt.Errorf("training: record pilot feedback: %w", salesprocess.Invalid("feedback.time", "%s is before pilot %s started at %s (its period: %s)",
			salesprocess.FormatTime(f.Time), salesprocess.Quote(string(p.ID)), salesprocess.FormatTime(start), p.Period))
	}
	if err := t.st().AddFeedback(ctx, f); err != nil {
		return fmt.Errorf("training: record pilot feedback: %w", err)
	}
	return nil
}

// happened checks that what the field dates (an attempt made, a sale
// made, feedback given) took place by now, the time of the trainer's
// clock: a time after it is an error wrapping [salesprocess.ErrInvalid]
// that names field and writes both times. A record is made once its
// event has happened, as the engine of package pipeline refuses an
// inquiry received, or an activity done, after its clock's time; a later
// time would place it where it has not happened yet, for [Decide],
// [Trainer.Certify] and a review of the period holding it.
func happened(field, what string, at, now time.Time) error {
	if at.After(now) {
		return salesprocess.Invalid(field, "%s is after the trainer's time %s: %s is recorded once it has happened",
			salesprocess.FormatTime(at), salesprocess.FormatTime(now), what)
	}
	return nil
}

// maxListedLocalities bounds the localities of a pilot that an error of
// [Trainer.RecordPilotFeedback] lists.
const maxListedLocalities = 10

// quoteLocalities returns the first [maxListedLocalities] of localities,
// each quoted, joined by ", ", and then how many more there are, if any;
// "none" for none (a stored pilot that its Validate would refuse).
func quoteLocalities(localities []string) string {
	if len(localities) == 0 {
		return "none"
	}
	n := min(len(localities), maxListedLocalities)
	qs := make([]string, n, n+1)
	for i, l := range localities[:n] {
		qs[i] = salesprocess.Quote(l)
	}
	if more := len(localities) - n; more > 0 {
		qs = append(qs, fmt.Sprintf("and %d more", more))
	}
	return strings.Join(qs, ", ")
}

// FieldFeedback lists the field-test feedback ([salesprocess.FromFieldTest])
// about the products given, to send back to their owners: each product's in
// the order of [FeedbackStore.ListFeedback], the products in the order
// given, a product given more than once listed once, where it first
// appears. Package review reads such feedback from its input's Feedback,
// which quota.Records makes of this listing, so that one call feeds the
// review of several products; it counts it only where its rules document
// lists "field_test" among the feedback rule's sources (by default it lists
// customers' feedback only).
//
// The sequence reads the store afresh on each iteration, one listing per
// product, and may be iterated more than once; the products are taken when
// FieldFeedback is called, so a caller may reuse the slice it passed.
// Iteration may stop early: no product after the one it stopped in is
// listed. On failure the sequence yields one (zero value, error) pair and
// stops: before any feedback for a nil ctx, for no product given or for an
// invalid one (an error wrapping [salesprocess.ErrInvalid] that names it,
// as "products[1]"); at the first error of a product's listing, wrapped and
// naming the product, after the feedback listed before it; and, when ctx is
// done before a product's listing starts, with ctx.Err() wrapped, whether or
// not the store checks it.
func (t *Trainer) FieldFeedback(ctx context.Context, products ...salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error] {
	ids, bad := distinctProducts(products)
	return func(yield func(salesprocess.Feedback, error) bool) {
		if ctx == nil {
			yield(salesprocess.Feedback{}, errNilContext("field feedback"))
			return
		}
		if bad != nil {
			yield(salesprocess.Feedback{}, fmt.Errorf("training: field feedback: %w", bad))
			return
		}
		for _, product := range ids {
			if err := ctx.Err(); err != nil {
				yield(salesprocess.Feedback{}, errFieldFeedback(product, err))
				return
			}
			for f, err := range t.st().ListFeedback(ctx, product) {
				if err != nil {
					yield(salesprocess.Feedback{}, errFieldFeedback(product, err))
					return
				}
				if f.Source == salesprocess.FromFieldTest && !yield(f, nil) {
					return
				}
			}
		}
	}
}

// distinctProducts validates the products given to [Trainer.FieldFeedback]
// and returns them in a slice of its own, each once, where it first
// appears. None given, or an invalid one, is an error wrapping
// [salesprocess.ErrInvalid].
func distinctProducts(products []salesprocess.ProductID) ([]salesprocess.ProductID, error) {
	if len(products) == 0 {
		return nil, salesprocess.Invalid("products", "none given")
	}
	for i, p := range products {
		if err := salesprocess.InElement("products", i, "product", p.Validate()); err != nil {
			return nil, err
		}
	}
	if len(products) == 1 {
		return []salesprocess.ProductID{products[0]}, nil
	}
	ids := make([]salesprocess.ProductID, 0, len(products))
	seen := make(map[salesprocess.ProductID]struct{}, len(products))
	for _, p := range products {
		if _, ok := seen[p]; !ok {
			seen[p] = struct{}{}
			ids = append(ids, p)
		}
	}
	return ids, nil
}

// errFieldFeedback is the error of [Trainer.FieldFeedback] for err, met
// listing the feedback about product.
func errFieldFeedback(product salesprocess.ProductID, err error) error {
	return fmt.Errorf("training: field feedback about %s: %w", salesprocess.Quote(string(product)), err)
}

// updatePilot loads pilot id, applies change and writes it back with
// optimistic concurrency, returning the pilot as stored. A concurrent
// change is an error wrapping [salesprocess.ErrConflict]; nothing is
// retried.
func (t *Trainer) updatePilot(ctx context.Context, id PilotID, change func(*Pilot) error) (Pilot, error) {
	if ctx == nil {
		return Pilot{}, salesprocess.Invalid("ctx", "nil context")
	}
	if err := requireID("pilot", id); err != nil {
		return Pilot{}, err
	}
	p, err := t.st().GetPilot(ctx, id)
	if err != nil {
		return Pilot{}, fmt.Errorf("pilot %s: %w", salesprocess.Quote(string(id)), err)
	}
	p = p.Clone()
	expected := p.Rev
	if err := change(&p); err != nil {
		return Pilot{}, err
	}
	if err := p.Validate(); err != nil {
		return Pilot{}, err
	}
	p.Rev = expected + 1
	if err := t.st().UpdatePilot(ctx, p, expected); err != nil {
		return Pilot{}, err
	}
	return p, nil
}

// OpenIssue records an issue found in pilot id and returns the pilot as
// stored. The issue is opened at the time of the trainer's clock if
// is.Opened is zero. An invalid issue is an error wrapping
// [salesprocess.ErrInvalid]; an issue ID the pilot has (a retry of an
// issue opened already, say), [salesprocess.ErrDuplicate]; an unknown
// pilot, [salesprocess.ErrNotFound]; a concurrent change of the pilot,
// [salesprocess.ErrConflict], which stores nothing. The Trainer does not
// retry: a caller that gets ErrConflict calls again, which reads the pilot
// afresh.
func (t *Trainer) OpenIssue(ctx context.Context, id PilotID, is Issue) (Pilot, error) {
	if is.Opened.IsZero() {
		is.Opened = t.now()
	}
	p, err := t.updatePilot(ctx, id, func(p *Pilot) error {
		if err := is.Validate(); err != nil { // as the pilot's Validate would place it
			return salesprocess.InElement("pilot.issues", len(p.Issues), "issue", err)
		}
		if slices.ContainsFunc(p.Issues, func(x Issue) bool { return x.ID == is.ID }) {
			return fmt.Errorf("issue %s already opened: %w", salesprocess.Quote(string(is.ID)), salesprocess.ErrDuplicate)
		}
		p.Issues = append(p.Issues, is)
		return nil
	})
	if err != nil {
		return Pilot{}, fmt.Errorf("training: open issue: %w", err)
	}
	return p, nil
}

// Improve records an improvement of the product in pilot id: the pilot
// moves to im.Version, which must be after the pilot's version and must
// already have a brief (publish it first with [Trainer.PublishBrief]), and
// the issues im resolves are closed at im.Time (the trainer's clock if
// zero) as fixed in that version. It returns the pilot as stored. Errors
// are as for [Trainer.OpenIssue]; a version the pilot was improved to
// already (a retry of a recorded improvement, say) is an error wrapping
// [salesprocess.ErrDuplicate]; another version not after the pilot's, or
// an issue im resolves that the pilot does not have, that is resolved
// already or that was opened after im.Time, one wrapping
// [salesprocess.ErrInvalid]; a version without a brief, one wrapping
// [salesprocess.ErrNotFound].
func (t *Trainer) Improve(ctx context.Context, id PilotID, im Improvement) (Pilot, error) {
	if im.Time.IsZero() {
		im.Time = t.now()
	}
	im.Resolves = slices.Clone(im.Resolves)
	if err := im.Validate(); err != nil {
		return Pilot{}, fmt.Errorf("training: improve: %w", err)
	}
	p, err := t.updatePilot(ctx, id, func(p *Pilot) error {
		if slices.ContainsFunc(p.Improvements, func(x Improvement) bool { return x.Version == im.Version }) {
			return fmt.Errorf("improvement to version %s already recorded: %w", im.Version, salesprocess.ErrDuplicate)
		}
		if im.Version.Compare(p.Version) <= 0 {
			return salesprocess.Invalid("improvement.version", "%s is not after the pilot's version %s", im.Version, p.Version)
		}
		// The issues by ID, the first of an ID as a search would find it,
		// so that resolving every issue of a large pilot takes time
		// linear in its issues, not their square.
		var issues map[IssueID]int
		if len(im.Resolves) > 0 {
			issues = make(map[IssueID]int, len(p.Issues))
			for i := len(p.Issues) - 1; i >= 0; i-- {
				issues[p.Issues[i].ID] = i
			}
		}
		for j, rid := range im.Resolves {
			i, ok := issues[rid]
			switch {
			case !ok:
				return salesprocess.Invalid(fmt.Sprintf("improvement.resolves[%d]", j), "unknown issue %s", salesprocess.Quote(string(rid)))
			case !p.Issues[i].Resolved.IsZero():
				return salesprocess.Invalid(fmt.Sprintf("improvement.resolves[%d]", j), "issue %s already resolved", salesprocess.Quote(string(rid)))
			case im.Time.Before(p.Issues[i].Opened):
				return salesprocess.Invalid(fmt.Sprintf("improvement.resolves[%d]", j), "issue %s opened after the improvement", salesprocess.Quote(string(rid)))
			}
			p.Issues[i].Resolved, p.Issues[i].FixedIn = im.Time, im.Version
		}
		if _, err := t.st().GetBrief(ctx, p.Product, im.Version); err != nil {
			if errors.Is(err, salesprocess.ErrNotFound) {
				return fmt.Errorf("no brief %s of product %s (publish it before the improvement): %w", im.Version, salesprocess.Quote(string(p.Product)), err)
			}
			return fmt.Errorf("brief %s of product %s: %w", im.Version, salesprocess.Quote(string(p.Product)), err)
		}
		p.Version = im.Version
		p.Improvements = append(p.Improvements, im)
		return nil
	})
	if err != nil {
		return Pilot{}, fmt.Errorf("training: improve: %w", err)
	}
	return p, nil
}

// Decide decides, at time at, whether the product of pilot id may launch,
// from the pilot's sales and its product's feedback in the store; see the
// function [Decide] for the rule; a zero at is the Trainer's clock's time.
// An invalid pilot ID or an at that [salesprocess.ValidateTime] refuses is
// an error wrapping [salesprocess.ErrInvalid]; an unknown pilot, one
// wrapping [salesprocess.ErrNotFound].
func (t *Trainer) Decide(ctx context.Context, id PilotID, at time.Time) (Decision, error) {
	if ctx == nil {
		return Decision{}, errNilContext("decide")
	}
	if err := requireID("pilot", id); err != nil {
		return Decision{}, fmt.Errorf("training: decide: %w", err)
	}
	at = t.orNow(at)
	if err := validateTime("at", at, false); err != nil {
		return Decision{}, fmt.Errorf("training: decide: %w", err)
	}
	p, err := t.st().GetPilot(ctx, id)
	if err != nil {
		return Decision{}, fmt.Errorf("training: decide: pilot %s: %w", salesprocess.Quote(string(id)), err)
	}
	sales, err := collect(t.st().ListSales(ctx, id))
	if err != nil {
		return Decision{}, fmt.Errorf("training: decide: %w", err)
	}
	fb, err := collect(t.st().ListFeedback(ctx, p.Product))
	if err != nil {
		return Decision{}, fmt.Errorf("training: decide: %w", err)
	}
	return Decide(p, sales, fb, at)
}

func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
