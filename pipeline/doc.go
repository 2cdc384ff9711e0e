// Package pipeline models sales plan execution, step 2 of the sales
// process: inquiries come in from campaigns and channels, reps follow them
// up with calls and visits, qualified inquiries become deals, and deals are
// won or lost; won deals go on to delivery and a follow-up service contact
// at which the customer's feedback is recorded.
//
// # Records
//
// An [Inquiry] (where it came from, what it asks about, who owns it) moves
// through New → Contacted → Qualified → Converted, or to Disqualified with
// a reason; a manager may reopen a disqualified one. Follow-ups are
// [Activity] values (call, visit, e-mail, meeting, demo), logged planned
// and completed once done ([Engine.CompleteInquiryActivity]), or logged
// done; a [FollowUpPolicy] says which inquiries are overdue, and
// [FirstResponse] what each one's first-response time was. A [Deal]
// carries its owner, customer, [Line] items or amount ([sp.Money],
// exact), expected close date, stage, win probability and history; a won
// deal gains a [Service] record: awaiting delivery → delivered → followed
// up.
//
// Every record carries its own stage and its History of [Transition]
// values (from, to, time, actor, reason), beginning with a transition from
// the empty stage, each to a stage at a time that is not zero and none
// going back in time; the last transition's To is the current stage
// ([CheckHistory]). An inquiry and a deal carry a Version too (1 when
// created, +1 per stored change); a Service has none, and is stored with
// its deal, whose Version each of its changes raises.
//
// # Stage machines
//
// A [Machine] is a generic, validated, immutable stage machine over a stage
// type S: an [InquiryStage], a [DealStage] and a [ServiceStage] are
// different types, so a move of one kind of record to a stage of another
// does not compile. Its records are this package's own: a host type cannot
// satisfy [Record], so a host's own machine moves an [Inquiry], a [Deal]
// (whose stage takes any well-formed key) or a [Service], or a host type
// that embeds one of them; the stages of an inquiry or a service machine
// are among the package's stages of that type, the only keys their text
// form writes. [NewMachine] refuses unknown and duplicate stages, keys the
// stage type cannot write, stages unreachable from the initial one, and
// open stages with no way to a terminal one. A [Guard] refuses a move with a
// readable reason, a [Hook] acts on entering or leaving a stage, and
// terminal stages are left only by reopening. A refused move returns a
// [*TransitionError] that unwraps to [sp.ErrInvalidTransition] and leaves
// the record unchanged; so does, from the record's stage to itself, a
// command that moves no stage but that the stage does not allow (assigning a
// closed inquiry or deal, setting the terms or the probability of a closed
// deal), while [sp.ErrInvalid] is kept for arguments bad in themselves; a
// target stage is not one of those: a malformed key, like a key the machine
// does not have, is a move to no stage of the machine and is refused with a
// *TransitionError. A transition allocates nothing beyond the amortized
// growth of the history (losing a deal also allocates what it records; see
// [Definition.Lose]), and a refusal of a move between two stages of the
// machine nothing after the first (the error is kept; see
// [TransitionError]). Machines render as Mermaid ([Machine.Mermaid]) and DOT
// ([Machine.DOT]).
//
// A [Definition] is a deal pipeline built from a [Spec]: stages with their
// order, kind (open, won, lost) and default probability; the allowed moves
// (by default forward to any later open stage or to a closed one, backward
// only if allowed); reopen moves; and gates ([Gate]) such as
// [RequireAmount] and [RequireCertifiedOwner]. [DefaultDefinition] is
// Prospecting, Qualification, Proposal, Negotiation, then Won or Lost. The
// deal rules hold whatever the pipeline: winning needs a positive amount
// and sets the close time; losing needs a [LossReason]; the probability is
// the stage's default unless overridden on an open stage, is 1 when won and
// 0 when lost, and goes back to the stage's default on any stage change, so
// a reopened deal never keeps a stale override. Packages quota and review
// tell a won or lost deal by its stage, by default by the default
// pipeline's DealWon and DealLost: a host whose pipelines close deals in
// stages of other keys gives quota's Options.Outcome (review's through its
// Options.Quota) the classification of quota's OutcomeBy over its
// definitions, or those deals count as open.
//
// # Engine, stores and policies
//
// The [Engine] runs the commands (receive, assign, log activity, complete a
// planned activity, contact, qualify, disqualify, convert, open, set terms,
// advance, win, lose, reopen, override and reset probability, deliver,
// follow up) on the host's [InquiryStore] and [DealStore]. Each command
// loads its record, asks the [Policy] (by default [DefaultPolicy]: reps act
// on their own records, managers on their regions', admins and the system on
// any) and, for ownership, the [Eligibility] (which training's readiness
// satisfies), applies the change, stores it with the version it read (a
// concurrent change of the record gives [sp.ErrConflict] and nothing is
// overwritten; a store must not fail commands on distinct records for each
// other's sake, see [Transactor]), and emits an event ([DealEvent],
// [InquiryEvent]): through the [sp.Publisher] once the change is stored or,
// when the DealStore is a [Transactor] and an [Outbox] and the command's
// records live in it (see [Outbox]), into the store in the change's own
// transaction, so that the change and its event commit together (a
// transactional outbox the host relays). A refusal (an error wrapping
// [sp.ErrForbidden]) changes nothing and emits nothing; a host that audits
// refusals gets each one through [Options].OnRefused. An inquiry command
// that the inquiry's stage does not allow is refused with the inquiry
// machine's [*TransitionError], whose Reason says, where there is
// something to do, what to do first or instead: the steps to take ("no
// such move; contact and qualify the inquiry first"), reopening a
// disqualified inquiry, or the deal a converted one became (see
// [Engine.Qualify]). Moving a closed deal, assigning it or setting its
// terms is refused likewise, with the advice to reopen it first or, where
// no Reopen move of its pipeline leaves its stage, the reason that the
// stage cannot be reopened, which [Engine.ReopenDeal] then gives too.
// Commands may carry an idempotency key ([CommandOptions]); outcomes are
// kept by an [IdempotencyStore], in the record's transaction when the
// DealStore is a [Transactor] that keeps them itself and the command's
// records live in it (inquiries only when the InquiryStore is the same
// store), and otherwise after the record, outside any transaction (see
// [IdempotencyStore], and [Transactor] for the isolation a SQL store
// needs). Conversion derives the deal's ID from the inquiry's, so a retry
// after a crash between its two writes completes it without a second deal.
// A command may also name the version of the record that the caller's
// change was made on ([CommandOptions].IfVersion): if another has changed
// the record since, the command fails with [sp.ErrConflict] rather than
// apply the change over theirs.
//
// Package pipelinetest has the conformance suite a host store must pass
// (RunStoreTests), in-memory stores that pass it (with and without an
// outbox), and fixtures for scenario tests.
//
// Records and events marshal to JSON and back, in the forms of the module's
// convention ("JSON forms" in the doc of package salesprocess: a zero time
// such as an open deal's closed left out, lists never null): decoding what
// they marshaled and encoding it again gives the same bytes, and times come
// back as the same instants at the same UTC offsets (see package
// salesprocess for amounts and time zones). So does a pipeline's [Spec], for
// a host that keeps its pipelines in configuration, but for the gates and
// hooks of its stages, which are functions: the host attaches them in code
// to the decoded spec ([Spec.Stage] finds a stage by key) before
// [NewDefinition]. A record or event ignores a member it does not know, so
// that one written by a later version reads; a spec, its stages and moves,
// and a [FollowUpPolicy], which a person writes as configuration, refuse one
// (a misspelt "probabilty", "gates") as an error wrapping [sp.ErrInvalid]
// that names it by its path ("spec.stages[1].probabilty"), and so a member
// given twice, by the same key or one that differs in case
// ("spec.stages[0].Order: given twice, first as order"), which would
// otherwise leave its field at the last of its values. The filters
// ([InquiryFilter], [DealFilter]) and the arguments of the commands
// ([Conversion], [Terms], [Line], [Activity], [ActivityCompletion],
// [LossReason]) decode as records do, ignoring a member they do not know, so
// that a client's misspelt "ownr" in a filter widens a listing to every
// owner; a host that takes one from a client and wants such a member refused
// decodes it with [sp.DecodeJSONStrict] into a type of the same fields,
// which checks the members of that type, not those of a value within it that
// decodes by a method of its own (the [Terms] of a [Conversion], an amount).
// All their UnmarshalJSON methods report malformed JSON, a value its own
// type refuses (an unknown stage, a malformed amount), and a decimal that
// would be written out in more digits in a row than a document may hold
// ([sp.MaxDigitRun]: a discount of "1e-9999"), as an error wrapping
// [sp.ErrInvalid] that names the field, but do not validate the decoded
// value: the [Engine] validates what its commands take, and NewDefinition a
// spec. [Inquiry] and [Deal] have no Validate method. A host that reads them
// from elsewhere (a file, another system) checks them with the checks of
// their parts: the Validate methods of the IDs, the stage, [sp.Money],
// [Activity] and [LossReason], [CheckHistory] for a history that agrees with
// the stage, and [LinesTotal] for lines that make the amount. The package's
// UnmarshalJSON and UnmarshalText methods, called on a nil receiver, return
// an error wrapping [sp.ErrInvalid] that names the type ("cannot decode into
// a nil *pipeline.Deal"), as [sp.CheckTarget] gives it. Nothing checks that
// a record keeps the deal rules (a won deal has a close time and probability
// 1, a lost one a loss reason): packages quota and review refuse only what
// their documentation names (a negative amount, say) and otherwise take a
// record as it reads, so a won deal without a close time counts as closed in
// no period.
//
// Errors wrap the sentinels of package salesprocess and are prefixed
// "pipeline: ", but for those that check a value, which name the field at
// fault only ("invalid lines[0].quantity: ..."), so that a caller's own
// error can take them in: those of the Validate, MarshalText,
// UnmarshalText and JSON methods, of [Line.Total], [LinesTotal] and
// [CheckHistory]. No function panics on any input except the Must
// helpers.
package pipeline
