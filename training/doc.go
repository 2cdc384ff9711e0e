// Package training covers the steps of the sales process before selling:
// the field test of a product and the training of the reps who will sell
// it. It connects training to selling: package pipeline asks it whether a
// rep may own work for a product on a channel.
//
// # Product briefs and pitch checks
//
// A [Brief] is what reps learn about one [Version] of a product: pros and
// cons, key messages (what to say), prohibited claims (what not to say,
// with variants, reason and [Severity]), mandatory disclosures, answers to
// objections, and per-channel overrides ([Brief.ForChannel]). A major
// version change sends certified reps back to training; a minor one does
// not.
//
// A [Checker], compiled from a brief for a channel by [NewChecker], scans a
// text (a script, call notes, an e-mail draft) for every prohibited claim
// and every missing disclosure, with byte offsets into the text ([Report],
// [Violation]). Matching ignores case (Unicode simple folding), punctuation
// and runs of space and respects word boundaries (see [Normalize];
// punctuation separates words, so "risk-free" matches "risk free" but
// "guaran-teed" does not match "guaranteed"); it runs an Aho-Corasick
// automaton over the words of the text, so it takes time linear in the text
// however many phrases the brief holds, plus the occurrences it finds (up
// to one per phrase at each word of the text), of which a report holds at
// most [MaxViolations], marked Truncated when there were more.
//
// # Curricula and certification
//
// A [Catalog] holds training modules ([Module]: product knowledge of a
// brief version, or selling technique for a channel), each ending in an
// [Assessment] with a pass mark, and curricula ([Curriculum]) that lead to
// a [Certificate] for a product, on every channel or on one. A certificate
// records the brief version it was earned on and expires; [Certificate.Status]
// tells valid, expired and outdated (earned on an earlier major brief
// version) apart, and [Expiring] picks the certificates that expire within
// a window. [Trainer.RecordAttempt] records a rep's attempt at an
// assessment, made by the trainer's clock's time (an attempt dated after
// it is refused), and [Trainer.Certify] issues a certificate from the
// rep's passes; to renew one, or to replace one that lapsed or that a
// major version outdated, it counts only the passes made after the
// earlier one was issued (at or after its lapse, when it has lapsed), so
// the rep passes every module of the curriculum again; until then it
// returns a still-valid certificate unchanged. A certificate is valid for
// its curriculum's calendar months, counted in the rep's time zone where
// [Options].Location gives one, so that one Trainer serves reps in several
// zones, and in the zone of the trainer's clock otherwise; [Readiness] and
// [Trainer.Onboard] write the times in their reasons in the rep's zone too.
// A product-knowledge module names the brief version it teaches: after a
// new major version, reps requalify on a module that names it, in a new
// Catalog; one that keeps the curricula's IDs lets the curriculum a
// certificate names ([Certificate].Curriculum) lead to the modules that
// renew it, as package review's retraining does.
// An [Assignment] sends a rep back to a module by a due date.
//
// # Readiness
//
// [Readiness] answers "may this rep sell this product on this channel at
// this time?". Its Eligible method has the signature of the eligibility
// interface package pipeline declares, returning nil or a
// [*NotReadyError] (wrapping [salesprocess.ErrForbidden]) with
// machine-readable reasons ([ReasonCode]); [Readiness.Check] returns the
// whole [Verdict]. [Readiness.Status] tells the state of a rep's
// certification for a product on any channel, [Readiness.Certificate] the
// certificate in that state (and so the curriculum that earned it, to
// renew it), and [Readiness.Expiring] the certificates that expire within a
// window.
//
// # Onboarding
//
// An [Onboarding] assigns a trained rep to a regional division from a start
// time (an instant, given in the region's zone) with a monthly goal and a
// ramp, in root types only, so that package quota can turn it into goals;
// [Trainer.Onboard] checks that the rep holds a certificate valid then.
// It keeps no zone of its own: the region's is the host's
// [salesprocess.Region], and quota's Ramp, which reckons the months, takes
// it.
//
// # Field tests
//
// A [Pilot] sells a product in limited quantity in selected localities for
// a period. Its sales ([Sale]) and the field-test [salesprocess.Feedback]
// of its localities are weighed against its [Criteria] by [Decide], which
// returns a [Decision] to launch or not with every reason, met and unmet,
// and exact figures. Issues found are fixed in new versions, recorded as
// improvements ([Improvement]). A pilot's localities are matched byte for
// byte ([Pilot.HasLocality]): [Trainer.RecordFeedback] stores feedback
// from a misspelt locality all the same, to count for no pilot, where
// [Trainer.RecordPilotFeedback] records field-test feedback against the
// pilot it is meant for and refuses, naming the field and saying what the
// pilot has, what the pilot's decision would not count: another source or
// product, a locality the pilot does not name, a time before its period
// (feedback given after the period's end counts, and is accepted). Both
// refuse feedback dated after the trainer's clock's time, as
// [Trainer.RecordSale] refuses a sale and [Trainer.RecordAttempt] an
// attempt: a record is made once what it records has happened, as package
// pipeline records an inquiry or a done activity, so that no sale counts
// for a decision, and no pass for a certificate, from a time still to
// come.
// [Trainer.FieldFeedback] lists the field-test feedback about one product
// or several, the products in the order given, in one sequence that
// package review takes, through quota.Records, as the feedback of a
// review of those products.
//
// # Services and storage
//
// The host keeps the records; it implements the small store interfaces
// ([BriefStore], [CertificateStore], [AttemptStore], [AssignmentStore],
// [PilotStore], [SaleStore], [FeedbackStore], together [Store]); the
// contract every method keeps (concurrency, a done ctx, errors, copies,
// listings), and the rule its verbs follow (Get, List, Create, Update,
// Add, Put), is stated on [Store]. A [BriefStore] may also be a
// [BriefVersionSource], an optional capability that [Readiness] and the
// [Trainer]'s [Trainer.Progress] and [Trainer.Certify] use to read the
// version of a brief in force without the brief; a [SaleStore] may be a
// [LimitedSaleStore], one that adds a sale only within a limit of units in
// one atomic step, which [Trainer.RecordSale] uses to keep a pilot's sales
// within its quantity without listing them. Package trainingtest holds a
// conformance suite for them, the same cases as a suite per interface for
// a host that keeps some records apart, and an in-memory implementation.
// [Trainer] runs the process on a store: publishing briefs, recording
// attempts, certifying, assigning modules, onboarding, and running pilots.
//
// Every function validates its input and reports bad input with an error
// wrapping [salesprocess.ErrInvalid] that names the field, changing
// nothing; no function panics on any input except [MustParseVersion],
// the Must helper for literal versions. Time comes from a
// [salesprocess.Clock] ([Options]) or from explicit arguments. Values that
// leave the process marshal to JSON and back, in the forms of the module's
// convention ("JSON forms" in the doc of package salesprocess: a time that
// has not come, such as an open issue's resolved, left out, a result's
// lists [] when empty): decoding what they marshaled
// and encoding it again gives the same bytes, and times come back as the
// same instants at the same UTC offsets (see package salesprocess). Their
// UnmarshalJSON methods report malformed JSON, a value its own type
// refuses (an unknown severity, a malformed version), and a decimal that
// would be written out in more digits in a row than a document may hold
// ([salesprocess.MaxDigitRun]: a ramp's "1e-9999"), as an error wrapping
// [salesprocess.ErrInvalid] that names the field, but do not validate the
// decoded value: call its Validate method for that, or that of the record
// that holds it ([Brief.Validate] checks its claims, disclosures,
// objections and overrides, [Module.Validate] its assessment). Called on a
// nil receiver, an UnmarshalJSON or UnmarshalText method returns an error
// wrapping [salesprocess.ErrInvalid] that names the type ("cannot decode
// into a nil *training.Brief"), as [salesprocess.CheckTarget] gives it.
// The results of the package's functions ([Decision], [Progress], [Verdict],
// [Report] and their parts) have no Validate method. A record ignores a
// member it does not know, so that one written by a later version reads; the
// catalogue's types, which a person writes as configuration ([Module],
// [Assessment], [Curriculum]), refuse one, naming it ("module.titel"), and
// so a member given twice, by the same key or one that differs in case
// ("module.Title: given twice, first as title").
package training
