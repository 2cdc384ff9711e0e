// Quickstart runs a month of a small company's sales process through the
// library's public API, on in-memory stores, and prints the month's review
// as a Markdown report.
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -seed 7 -month 2027-03
//	go run ./examples/quickstart -format json
//
// The report goes to standard output; the usage (-h, or after a bad flag,
// then with exit status 2) and errors (status 1) go to standard error.
//
// The company, Sunfield Energy, sells home solar equipment in two regional
// divisions, Central (Europe/Berlin) and West (Europe/Lisbon). The story
// follows the steps of the process, each in a file of its own:
//
//   - Step 0, fieldtest.go: three months before the month under review the
//     new SunBox battery is sold in limited quantity in three localities
//     (a training.Pilot run by a training.Trainer); buyers' feedback finds
//     an issue, a new version fixes it, and the pilot's criteria decide the
//     launch.
//   - Step 1, training.go: the briefs say what to say and what not to say
//     (a pitch check catches both), six reps pass their assessments and are
//     certified, and onboarding assigns them to the divisions with monthly
//     goals, the new rep on a ramp (quota.Ramp).
//   - Step 2, selling.go: three campaigns on three channels bring a few
//     hundred inquiries; a pipeline.Engine records them, the managers
//     assign them to certified reps (training.Readiness is the engine's
//     eligibility), the reps call and visit, qualify or disqualify, convert
//     them to deals and win or lose them with a reason; won deals are
//     delivered and followed up, and customers give feedback. Halfway
//     through the month quota.Attain and quota.Forecast say how each rep
//     stands and the chance of reaching the goal.
//   - Step 3, review.go: a review.Reviewer reviews the month with its
//     default rules, traces each shortfall to its cause, and closes the
//     loop: retraining becomes training assignments, the product's
//     shortcomings go to its owner. The conversion by channel and by
//     campaign, with Wilson intervals (quota.CohortConversion), follows the
//     report.
//
// The company's cast is in company.go. The company's clock is a
// salesprocess.SteppingClock. Steps 0 and 1 give each record its time and
// set the clock before each certificate, which the trainer issues at the
// clock's time; in step 2 things happen in time order on an agenda
// (agenda.go), which sets the clock to the time of each of them; step 3
// sets it to the retakes' time before it records them, as the trainer
// records nothing dated after its clock's time. Nothing reads the wall
// clock. The market, in market.go (how many inquiries, about what, who
// qualifies, who buys, why deals are lost), is drawn from a math/rand/v2
// PCG generator seeded with -seed, so the same flags print the same bytes.
//
// # Flags
//
//   - -seed: the seed of the market; default 3, a month in which the
//     review finds every cause the story is about. Other seeds give other
//     months.
//   - -month: the month under review, as 2026-11, from 2000-01 to 2999-12
//     (a calendar month at the head office, in Europe/Berlin); default
//     2026-11. The field test runs three months before it, the training
//     round on the 15th two months before it.
//   - -format: markdown (the default: the story, the review's report and
//     the conversion tables) or json (the review's report alone, in its
//     stable JSON form, which review.ParseReport reads back).
package main
