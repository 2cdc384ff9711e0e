// Package review is step 3 of the sales process, feedback and analysis:
// "the sales targets if achieved are applauded while sales targets which
// fall short are examined ... the reason for low sales is examined right
// from shortcomings in the product or incompetence on the part of sales
// representatives. The feedback is used to make changes." It measures a
// period against its goals, traces each shortfall to a cause with the
// figures that decided it, and feeds the findings back: retraining becomes
// training assignments, product shortcomings go to the product's owner with
// the loss reasons and customers' feedback behind them.
//
// # Reviews
//
// A [Reviewer], built by [New] from a rules document and [Options], runs
// [Reviewer.Review] on an [Input]: the period, the deals, inquiries and
// feedback (as iterators of pointers, read once each, which
// [quota.Records] makes of a store's listing; training's
// Trainer.FieldFeedback lists the field-test feedback of several products
// in one), the goals, and the reps, regions and products. It returns a
// [Report]. Training status comes through the small [Certificates] interface (*training.Readiness satisfies it, and
// its optional capabilities [ExpiryLister] and [CertificateFinder]),
// assignments go through [Assigner] (*training.Trainer satisfies it), the
// module that teaches a product comes from [Options.Modules]
// ([CatalogModules] reads a training catalog) and the modules of a
// curriculum, to renew its certificate, from [Options.Curricula]
// ([CatalogCurricula]), the curriculum that certifies a product from
// [Options.Certifying] ([CatalogCertifying]), and events go to a
// [sp.Publisher]. Time comes from the [sp.Clock]; the
// same inputs and clock give the same report, assignment IDs and event IDs,
// except that a rerun reports the assignments the first run stored as
// [StatusExisting] rather than [StatusDone].
//
// The review judges every goal at one as-of time, by default the clock's
// time until the period under review is over, and then its end or, for
// goals whose periods end at the same reading of the clocks of zones west
// of its own, the last of their ends (see [Input].AsOf): a month-end
// review of regions in several time zones, whose goals are months in their
// regions' zones, looks from the end of the last region's month, so that
// no region's goal is judged as still under way (see ExampleInput_asOf).
// It closes the loop as far as the training store: it assigns modules, but
// a rep who passes them is certified by the host's call of
// training.Trainer.Certify with a curriculum the assignments name
// ([AssignmentResult].Curricula).
//
// # Snapshot
//
// The [Snapshot] holds the period per rep, region, product and rep ×
// product ([Figures]): won and lost deals and the exact won amount, the win
// rate, the cohort conversion of the period's inquiries (each rate exact,
// with its Wilson interval and an estimate shrunk toward its group's rate
// by [quota.FitPrior]), open deals, activities, losses by category,
// follow-up ([FollowUp]: first-response times, overdue inquiries under the
// follow-up policy), certification status (with the curriculum of a
// certificate that has expired or is outdated) and expiring certificates,
// feedback per product (customers', or from the sources the feedback rule
// lists), and per goal the attainment and its status, the weighted
// pipeline, the coverage and the chance of reaching it ([quota.Forecast],
// [quota.Reach]). It is built in one pass over the inquiries, one over the
// deals, the deals' pass feeding quota's forecast at the same time, and one
// over the feedback, with integer counters and exact [sp.Accumulator] sums
// per group: its counting allocates per group, not per record (the forecast
// allocates for each open deal, the first-response times and the feedback
// are kept to summarize them, and the period's inquiries by ID to find the
// won deals that convert them).
// Statistics are computed in float64 inside package quota;
// everything reported is an exact count, exact money or a decimal rounded
// half-up to [Analysis.Places], but for a goal's percentage and coverage,
// rounded half-up to two places, its expected shortfall, which quota
// rounds to the currency's minor unit, and the bound of its chance,
// rounded up to the places (see [GoalRow]).
//
// # Rules
//
// A [Rule] reads the snapshot and returns [Finding] values: subject,
// severity, cause, evidence (name/value text) and [Action] values
// (recognize, coach, retrain on a module, product feedback, adjust a goal).
// The built-in rules, each switched on and tuned by the rules document:
//
//   - target_met: a goal attained to at least min_percent: applause.
//   - target_missed: a goal whose status is one of statuses (missed,
//     at_risk by default): examined, with its root cause and the actions
//     the cause calls for.
//   - conversion_below_peers: a rep whose rate is significantly below the
//     rest of the team's.
//   - rep_product_lag: a rep whose rate on a product is significantly below
//     the other reps' on that product, where the product is not at fault.
//   - slow_follow_up: a rep whose median first response or share of
//     overdue inquiries is above the follow-up signal's limits: cause
//     process, and the rep is coached on following up.
//   - product_losses: a product whose lost deals point at it across many
//     reps: cause product, and its owner gets the product feedback.
//   - thin_pipeline: a goal still open whose coverage or chance is low:
//     cause process (market, where the goal's region is weak), and a
//     rep or a region's team is coached on building pipeline; below
//     adjust_below_chance a lower goal is proposed.
//   - certification: a rep who sold or worked on a product in the period
//     (won, lost or open deals, inquiries) without a valid certificate for
//     it (a warning), and certificates about to expire (info) of the
//     review's reps (those listed in the input or given goals, and the
//     owners of the records it counts; see [Snapshot].Expiring): cause
//     rep, and a retraining assignment of the product's module; renewing a
//     certificate takes a pass of every module of its curriculum again
//     (see [training.Trainer.Certify]), which the actions' notes say, and
//     the action on an expiring certificate names its curriculum, as does
//     the one on a certificate that has expired, been withdrawn or been
//     outdated when [Options.Certificates] is a [CertificateFinder]
//     (*training.Readiness is), so that with [Options.Curricula] it
//     assigns every module of it. For a rep who holds no certificate for
//     the product, [Options.Certifying] ([CatalogCertifying]) names the
//     curriculum that certifies it, whose every module the action then
//     assigns, as passing them all is what earns the certificate.
//   - feedback_pileup: a product with much low-rated feedback in the period
//     from the rule's sources (customers' by default): cause product, and
//     its owner gets the product feedback.
//
// A host adds its own rules with [Options.Rules] (see [NewRule]); their
// settings live in the document's "custom" section.
//
// # The rules document
//
// [Rules] is data: a JSON document a manager edits, with a version.
// [DefaultRules] returns the shipped one; [ParseRules] reads one, taking
// defaults for what it leaves out, and refuses unknown fields, fields given
// twice (in the host's settings under "custom" too), values of the wrong
// type and values out of range with an error naming the field by its JSON
// path:
//
//	{
//	  "version": 1,
//	  "analysis": {
//	    "confidence": "0.95", "adjustment": "bonferroni", "rate": "win_rate",
//	    "min_deals": 5, "min_inquiries": 5, "places": 4,
//	    "product": {"loss_categories": ["product"], "min_losses": 3, "min_loss_share": "0.5",
//	                "min_reps": 2, "min_rep_share": "0.5", "min_share_of_sales": "0.25"},
//	    "market": {"min_reps": 2, "min_rep_share": "0.5"},
//	    "follow_up": {"first_contact": "24h0m0s", "next_touch": "72h0m0s",
//	                  "max_median_first_response": "24h0m0s", "max_overdue_share": "0.25"}
//	  },
//	  "actions": {"retrain_due_days": 14, "max_items": 10},
//	  "rules": {
//	    "target_met": {"min_percent": "100"},
//	    "target_missed": {"statuses": ["missed", "at_risk"], "critical_below_percent": "70"},
//	    "conversion_below_peers": {"rate": "conversion"},
//	    "rep_product_lag": {"rate": "win_rate"},
//	    "slow_follow_up": {"critical_overdue_share": "0.5"},
//	    "product_losses": {"critical_loss_share": "0.75"},
//	    "thin_pipeline": {"min_coverage": "1", "min_chance": "0.5", "adjust_below_chance": "0.1"},
//	    "certification": {"expiring_within_days": 30},
//	    "feedback_pileup": {"sources": ["customer"], "min_count": 5, "max_rating": 2, "min_low_share": "0.5"}
//	  },
//	  "custom": {"big_deals": {"min_amount": "50000"}}
//	}
//
// # Root cause
//
// [Snapshot.Diagnose] decides between five causes: product, rep, market
// (region-wide), process (follow-up) and data (too few cases to judge, or
// nothing significant: the figures do not tell the causes apart). It
// compares rates of one kind (the win rate by default, or the conversion)
// with [quota.Compare]: Newcombe's hybrid score interval for the
// difference of two proportions; a rate is significantly below its peers
// when the whole interval lies below zero. Peers are always the others: a
// rep against the team without the rep, a rep on a product against the
// other reps on that product, a product against the other products, a
// region against the other regions. The comparisons of each of these four
// kinds hold together at the analysis' confidence (95 % by default): with
// m of a kind, each is made at 1 − 0.05/m and shows the adjusted
// p-value, m × p up to 1 (Bonferroni; "adjustment": "none" turns it off),
// so that a company of a thousand reps does not get hundreds of findings
// by chance. The p-value is the pooled two-proportion z-test's, which the
// evidence names; the verdict is the interval's, and with few cases the
// two can disagree (4 won of 5 against 20 of 20: p = 0.0412, the interval
// spans zero, inconclusive). Two signals are computed once per snapshot:
//
//   - A product is at fault when its losses point at it (at least
//     min_losses lost deals of loss_categories, at least min_loss_share of
//     its losses, from at least min_reps reps who are at least
//     min_rep_share of those who closed deals on it), or when its rate is
//     significantly below the other products' and at least min_rep_share
//     (and min_reps) of the reps who sold it did worse on it than the other
//     products' rate: a product that fails for most of the reps who sell
//     it, not one rep's bad luck. It explains a shortfall only where it
//     makes at least min_share_of_sales of the sales: of the closed deals,
//     won or lost (of the inquiries, for the conversion), and where the rate
//     on it is below the rate on the other products, so that it is not
//     blamed for the shortfall of a rep who did well on it.
//   - A region's market is weak when its rate is significantly below the
//     other regions' and at least the market's min_rep_share (and min_reps)
//     of its reps with enough data did worse than the other regions' rate.
//     A rep of a weak market is compared on a product with the region's
//     other reps only, so that the market is not blamed on its reps; the
//     market explains a rep's shortfall only where the rep's rate is below
//     the other regions'.
//
// For a rep the steps are, the first that holds deciding:
//
//  1. data: fewer than min_deals closed deals (min_inquiries inquiries for
//     conversion): no comparison is trusted, whatever it says.
//  2. rep, on a product: the rep's rate on a product is significantly
//     below the other reps' on it, and the product is not at fault; the
//     product with the largest shortfall is named, and the rep is
//     retrained on its module and coached on selling it.
//  3. product: a product the rep sold is at fault, makes enough of the
//     rep's sales and the rep's rate on it is below the rep's rate on their
//     other products (below the other products' rate, for a rep who sold
//     nothing else), the rates compared exactly (the one of most of the
//     sales is named; of several with as many, the smallest product ID);
//     its owner gets the product feedback, and the rep is not retrained.
//  4. market: the rep's region is weak, the rep's rate is below the other
//     regions' (compared exactly: a rep at or above it was not held back by
//     the market) and the rep is not significantly below the region's
//     other reps; a goal adjustment is proposed, in proportion of the
//     region's rate to the other regions'.
//  5. process: the rep's follow-up is slow or missing (median first
//     response or overdue share above the follow-up signal's limits); the
//     rep is coached on following up.
//  6. rep, overall: the rep's rate is significantly below the rest of the
//     team's; the rep is coached.
//  7. data: nothing significant: the figures do not tell the causes apart.
//
// A rep on one product is judged the same way, the product's own fault
// coming first and without step 6: the product at fault where the rep's
// rate on it is below the rep's rate on their other products (as in step
// 3), else, where the product is not at fault, its lag on the product (step
// 2), and a rep who lags only overall gets cause data on the product. A
// product is at fault by its signal, or else a rep who lags on it is named;
// a region by its market, then a product at fault that makes enough of its
// reps' sales and on which their rate is below their rate on the other
// products, a rep of the region who lags the team, and its follow-up; the
// company by a product at fault that makes enough of the sales and whose
// rate is below the other products', a weak region and its follow-up. So 2
// won of 5 against a team at 60 % is not flagged, because the interval of
// the difference spans zero, and a rep with 3 deals gets cause data, because
// 3 is below min_deals.
//
// # Reports
//
// A [Report] has a stable, versioned JSON form ([ReportVersion],
// [Report.WriteJSON], [ParseReport]) that round-trips, and renders as
// Markdown ([Report.Markdown]) and plain text ([Report.Text]) with aligned
// tables. Its [Outcome] lists the assignments made ([AssignmentResult]),
// the product feedback sent ([ProductFeedback]) and the goal adjustments
// proposed ([GoalProposal]), each once with the findings behind it.
//
// [Compare] follows the findings of one report into the next, as a manager
// compares this month's review with last month's (or with a run earlier in
// the same period), which closes the loop: [Changes] lists the findings
// new, recurring (with both findings, so that a change of severity or
// cause shows) and resolved, each finding matched by its rule, its subject
// and its ID without the goal's period, and, for a recurring or resolved
// finding about a rep, the retraining the previous review assigned the
// rep, so that the manager sees whether it helped. Changes have a JSON
// form and render as Markdown ([Changes.Markdown]) and plain text
// ([Changes.Text]) as reports do.
//
// [ParseReport] checks the version and the rules document; the
// UnmarshalJSON methods of the other types report malformed JSON, a value
// its own type refuses (an unknown cause, a malformed period), and a
// decimal that would be written out in more digits in a row than a
// document may hold ([sp.MaxDigitRun]: a confidence of "1e-9999"), as an
// error wrapping [sp.ErrInvalid] that names the field, but do not validate
// the decoded value. [Finding.Validate], [Action.Validate] and
// [Subject.Validate] do, and [ParseRules] (or [Rules.Validate]) for a
// rules document; the other types, the results of a review (the
// [Snapshot] and its rows, the [Outcome] with its [ProductFeedback], and a
// report beyond its version and rules), have no Validate method, and a
// decoded one is taken as written: a Markdown or text rendering shows its
// figures as they are.
//
// Errors wrap the sentinels of package salesprocess and are prefixed
// "review: ", but for those that check a value, which name the field at
// fault only ("invalid subject.kind: ..."), so that a caller's own error
// can take them in: those of the Validate, MarshalText, UnmarshalText and
// JSON methods of every type but the two documents, [Rules] and [Report],
// whose errors are prefixed too. No function panics on any input.
package review
