// Package review is step 3 of the sales process, feedback and analysis:
// "the sales targets if achieved are applauded while sales targets which
// fall short are examined ... the reason for low sales is examined right
// from shortcomings in the product or incompetence on the part of sales
// representatives. The feedback is used to make changes."
//
// A review measures a period against its goals. It traces each shortfall
// to a cause, with the figures that decided it. Then it feeds the findings
// back: retraining becomes training assignments, and product shortcomings
// go to the product's owner with the loss reasons and customers' feedback
// behind them.
//
// # Building a reviewer
//
// [New] builds a [Reviewer] from a rules document ([DefaultRules], or one
// a manager tuned; see below) and [Options]. The options connect the
// review to the rest of the host:
//
//   - [Options.Certificates] tells the training status of reps. It is a
//     small [Certificates] interface, with the optional capabilities
//     [ExpiryLister] and [CertificateFinder]; *training.Readiness
//     satisfies all three.
//   - [Options.Assigner] receives the retraining assignments;
//     *training.Trainer satisfies [Assigner].
//   - [Options.Modules] names the module that teaches a product
//     ([CatalogModules] reads it from a training catalog).
//   - [Options.Curricula] lists the modules of a curriculum, which a rep
//     passes again to renew its certificate ([CatalogCurricula]).
//   - [Options.Certifying] names the curriculum that certifies a product
//     ([CatalogCertifying]).
//   - [Options.Publisher] receives events, a [sp.Publisher].
//   - [Options.Clock] gives the time, a [sp.Clock].
//   - [Options.Rules] adds the host's own rules (see [NewRule]).
//
// # Running a review
//
// [Reviewer.Review] runs a review on an [Input] and returns a [Report].
// The input holds the period and the records of its sales. The deals,
// inquiries and feedback come as iterators of pointers, each read once;
// [quota.Records] makes one of a store's listing. Training's
// Trainer.FieldFeedback lists the field-test feedback of several products
// in one. The input also holds the goals, and the reps, regions and
// products.
//
// The review judges every goal at one as-of time, [Input].AsOf. A zero
// AsOf is the clock's time until the period is over. Once the clock is
// past the period, it is the period's end, or a later end of a goal whose
// period ends at the same reading of its own zone's clocks (the same month
// in a zone to the west): the latest such end, but never later than the
// clock. So a month-end review of regions in several time zones, whose
// goals are months in their regions' zones, looks from the end of the
// westernmost region's month. No region's goal is then judged as still
// under way (see ExampleInput_asOf).
//
// The same inputs and clock give the same report, the same assignment IDs
// and the same event IDs, which are at most [MaxEventIDLength] bytes long
// (its doc gives their form). The one difference on a rerun: assignments that
// the first run stored are reported as [StatusExisting] rather than
// [StatusDone].
//
// # Reading the report
//
// A [Report] holds the rules the review ran under, the [Snapshot] of the
// period, the [Finding] values of the rules, and the [Outcome] of their
// actions. It renders for people as Markdown ([Report.Markdown]) and plain
// text ([Report.Text]), with aligned tables. Its JSON form is stable and
// versioned ([ReportVersion], [Report.WriteJSON], [ParseReport]), follows
// the module's convention ("JSON forms" in the doc of package
// salesprocess: every list [] when empty, decimals as strings, whatever
// decimal.MarshalJSONWithoutQuotes says), and it round-trips. The rows of
// a snapshot ([RepRow], [GoalRow], ...) are written within it; a row
// marshaled on its own has encoding/json's form of its fields. [Report.Finding] looks up the finding of a rule about a
// subject, and [Report.FindingsAbout] every finding about a subject, of
// some rules or of all.
//
// The snapshot holds the period's [Figures] per rep, region, product and
// rep × product:
//
//   - won and lost deals, the exact won amount and the win rate;
//   - the cohort conversion of the period's inquiries;
//   - open deals, activities and losses by category;
//   - follow-up ([FollowUp]): first-response times, and overdue inquiries
//     under the follow-up policy;
//   - certification status (with the curriculum of a certificate that has
//     expired or is outdated), and expiring certificates;
//   - feedback per product: customers', or from the sources the feedback
//     rule lists;
//   - per goal, the attainment and its status, the weighted pipeline, the
//     coverage and the chance of reaching it ([quota.Forecast],
//     [quota.Reach]).
//
// Each rate is exact, with its Wilson interval and an estimate shrunk
// toward its group's rate by [quota.FitPrior]. Statistics are computed in
// float64 inside package quota. Everything reported is an exact count,
// exact money or a decimal rounded half-up to [Analysis.Places], with
// three exceptions, all of a goal (see [GoalRow]): its percentage and
// coverage are rounded half-up to two places, its expected shortfall is
// rounded by quota to the currency's minor unit, and the bound of its
// chance is rounded up to the places.
//
// The snapshot is built in one pass over the inquiries, one over the
// deals, and one over the feedback; the deals' pass feeds quota's forecast
// at the same time. It counts with integer counters and exact
// [sp.Accumulator] sums per group, so its counting allocates per group,
// not per record. Some things are kept per record all the same: the
// forecast allocates for each open deal, the first-response times and the
// feedback are kept to summarize them, and the period's inquiries are kept
// by ID to find the won deals that convert them.
//
// # Findings
//
// A [Rule] reads the snapshot and returns findings. A finding has a
// subject, a severity, a cause, evidence (name/value text) and [Action]
// values: recognize, coach, retrain on a module, product feedback, or
// adjust a goal. The built-in rules, each switched on and tuned by the
// rules document, are these:
//
//   - target_met: a goal attained to at least min_percent: applause.
//   - target_missed: a goal whose status is one of statuses (missed and
//     at_risk by default): examined, with its root cause and the actions
//     the cause calls for.
//   - conversion_below_peers: a rep whose rate is significantly below the
//     rest of the team's.
//   - rep_product_lag: a rep whose rate on a product is significantly below
//     the other reps' on that product, where the product is not at fault.
//   - slow_follow_up: a rep whose median first response or share of
//     overdue inquiries is above the follow-up signal's limits. The cause
//     is process, and the rep is coached on following up.
//   - product_losses: a product whose lost deals point at it across many
//     reps. The cause is product, and its owner gets the product feedback.
//   - thin_pipeline: a goal still open whose coverage or chance is low. The
//     cause is process (market, where the goal's region is weak), and a
//     rep or a region's team is coached on building pipeline. Below
//     adjust_below_chance, a lower goal is proposed.
//   - certification: see below.
//   - feedback_pileup: a product with much low-rated feedback in the
//     period, from the rule's sources (customers' by default). The cause
//     is product, and its owner gets the product feedback.
//
// The certification rule finds two things, both of cause rep. The first
// is a rep who sold or worked on a product in the period (won, lost or
// open deals, inquiries) without a valid certificate for it: a warning.
// The second is a certificate about to expire: info. It looks at the
// review's reps only: those listed in the input or given goals, and the
// owners of the records the review counts (see [Snapshot].Expiring). Its
// action is a retraining assignment of the product's module. Which
// certificates expire within the rule's window does not depend on the
// reps' zones, since a certificate expires at an instant; the date it
// expires on does: [training.Trainer.Certify] counts a certificate's
// months on its rep's calendar ([training.Options].Location), and the
// review writes the expiry, in the finding, its evidence, the table of
// certificates and the action due by it, in the zone [Options].Location
// gives the rep (pass the trainer's), or else in the period's.
//
// Renewing a certificate takes a pass of every module of its curriculum
// again (see [training.Trainer.Certify]), and the actions' notes say so.
// The action names a curriculum in three cases:
//
//   - a certificate about to expire: its curriculum;
//   - a certificate that has expired, been withdrawn or been outdated: its
//     curriculum, when [Options.Certificates] is a [CertificateFinder]
//     (*training.Readiness is);
//   - a rep who holds no certificate for the product: the curriculum that
//     certifies it, when [Options.Certifying] names one, as passing every
//     module of it is what earns the certificate.
//
// With [Options.Curricula], an action that names a curriculum assigns
// every module of it.
//
// # Causes
//
// [Snapshot.Diagnose] decides between five causes: product, rep, market
// (region-wide), process (follow-up) and data. Data means too few cases
// to judge, or nothing significant: the figures do not tell the causes
// apart.
//
// It compares rates of one kind: the win rate by default, or the
// conversion. The comparison is [quota.Compare], Newcombe's hybrid score
// interval for the difference of two proportions. A rate is significantly
// below its peers when the whole interval lies below zero. Peers are
// always the others:
//
//   - a rep against the team without the rep;
//   - a rep on a product against the other reps on that product;
//   - a product against the other products;
//   - a region against the other regions.
//
// The comparisons of each of these four kinds hold together at the
// analysis' confidence (95 % by default). With m comparisons of a kind,
// each is made at 1 − 0.05/m and shows the adjusted p-value, m × p up to 1
// (Bonferroni; "adjustment": "none" turns it off). So a company of a
// thousand reps does not get hundreds of findings by chance. The p-value
// is the pooled two-proportion z-test's, which the evidence names. The
// verdict is the interval's, and with few cases the two can disagree: 4
// won of 5 against 20 of 20 gives p = 0.0412, but the interval spans zero,
// so the comparison is inconclusive.
//
// Two signals are computed once per snapshot. The first is a product at
// fault: a product that fails for most of the reps who sell it, not one
// rep's bad luck. A product is at fault in either of two ways:
//
//   - its losses point at it: at least min_losses lost deals of
//     loss_categories, at least min_loss_share of its losses, from at
//     least min_reps reps who are at least min_rep_share of those who
//     closed deals on it;
//   - its rate is significantly below the other products', and at least
//     min_rep_share (and min_reps) of the reps who sold it did worse on it
//     than the other products' rate.
//
// A product at fault explains a shortfall only where it makes at least
// min_share_of_sales of the sales (of the closed deals, won or lost; of
// the inquiries, for the conversion), and only where the rate on it is
// below the rate on the other products, so that it is not blamed for the
// shortfall of a rep who did well on it.
//
// The second signal is a weak market. A region's market is weak when its
// rate is significantly below the other regions', and at least the
// market's min_rep_share (and min_reps) of its reps with enough data did
// worse than the other regions' rate. A rep of a weak market is compared
// on a product with the region's other reps only, so that the market is
// not blamed on its reps. The market explains a rep's shortfall only
// where the rep's rate is below the other regions'.
//
// For a rep, the first of these steps that holds decides the cause:
//
//  1. data: fewer than min_deals closed deals (min_inquiries inquiries for
//     conversion). No comparison is trusted, whatever it says.
//  2. rep, on a product: the rep's rate on a product is significantly
//     below the other reps' on it, and the product is not at fault. The
//     product with the largest shortfall is named, and the rep is
//     retrained on its module and coached on selling it.
//  3. product: a product the rep sold is at fault and makes enough of the
//     rep's sales, and the rep's rate on it is below the rep's rate on
//     their other products (below the other products' rate, for a rep who
//     sold nothing else; below the other reps' rate on it, in a company of
//     one product). The rates are compared exactly. The product of
//     most of the sales is named; of several with as many, the smallest
//     product ID. Its owner gets the product feedback, and the rep is not
//     retrained.
//  4. market: the rep's region is weak, the rep's rate is below the other
//     regions' (compared exactly: a rep at or above it was not held back
//     by the market), and the rep is not significantly below the region's
//     other reps. A goal adjustment is proposed, in proportion of the
//     region's rate to the other regions'.
//  5. process: the rep's follow-up is slow or missing (median first
//     response or overdue share above the follow-up signal's limits). The
//     rep is coached on following up.
//  6. rep, overall: the rep's rate is significantly below the rest of the
//     team's. The rep is coached.
//  7. data: nothing significant: the figures do not tell the causes apart.
//
// A rep on one product is judged the same way, without step 6 and with
// the product's own fault first. The product is at fault where the rep's
// rate on it is below the rep's rate on their other products (as in step
// 3). Else, where the product is not at fault, the cause is the rep's lag
// on the product (step 2). A rep who lags only overall gets cause data on
// the product.
//
// The other subjects are judged in this order:
//
//   - a product: by its signal, or else a rep who lags on it is named;
//   - a region: by its market; then a product at fault that makes enough
//     of its reps' sales and on which their rate is below their rate on
//     the other products; then a rep of the region who lags the team; then
//     its follow-up;
//   - the company: a product at fault that makes enough of the sales and
//     whose rate is below the other products'; then a weak region; then
//     its follow-up.
//
// So 2 won of 5 against a team at 60 % is not flagged, because the
// interval of the difference spans zero. A rep with 3 deals gets cause
// data, because 3 is below min_deals.
//
// # Acting on the outcome
//
// The [Outcome] lists what the actions came to, each once with the
// findings behind it: the assignments made ([AssignmentResult]), the
// product feedback sent ([ProductFeedback]) and the goal adjustments
// proposed ([GoalProposal]). Without [Options.Assigner], the assignments
// are only proposed ([StatusProposed]). With [Options.Publisher], each
// product feedback and each finding goes out as an event
// ([EventProductFeedback], [EventFinding]); without it, the product
// feedback is only proposed too. A goal proposal is for the host to apply,
// or not.
//
// The review closes the loop as far as the training store. It assigns
// modules, but it does not certify. Once a rep has passed the modules, the
// host certifies the rep by calling training.Trainer.Certify with a
// curriculum that the assignments name ([AssignmentResult].Curricula).
//
// # Comparing with last month
//
// [Compare] follows the findings of one report into the next, as a manager
// compares this month's review with last month's, or with a run earlier
// in the same period. [Changes] lists the findings in three groups:
//
//   - new: in the current report only;
//   - recurring: in both, with both findings, so that a change of
//     severity or cause shows;
//   - resolved: in the previous report only.
//
// A finding is matched by its rule, its subject, and its ID without a goal's
// period (see [Compare]). A recurring or resolved finding about a rep comes
// with the retraining the previous review assigned the rep, so that the
// manager sees whether it helped. Changes has a JSON form, and renders as
// Markdown ([Changes.Markdown]) and plain text ([Changes.Text]) as a report
// does.
//
// # Tuning the rules
//
// [Rules] is data: a JSON document a manager edits, with a version.
// [DefaultRules] returns the shipped one. [ParseRules] reads one and takes
// defaults for what it leaves out. It refuses unknown fields, fields given
// twice (in the host's settings under "custom" too), values of the wrong
// type and values out of range, with an error that names the field by its
// JSON path. The shipped document, with a host rule's settings under
// "custom":
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
// A host adds its own rules with [Options.Rules] (see [NewRule]). Their
// settings live in the document's "custom" section.
//
// # Decoding and validation
//
// [ParseReport] checks the version and the rules document. The UnmarshalJSON
// methods of the other types report three faults as an error wrapping
// [sp.ErrInvalid] that names the field: malformed JSON; a value its own type
// refuses (an unknown cause, a malformed period); and a decimal that would
// be written out in more digits in a row than a document may hold
// ([sp.MaxDigitRun]: a confidence of "1e-9999"). They do not validate the
// decoded value. [Finding.Validate], [Action.Validate] and
// [Subject.Validate] do, and [ParseRules] (or [Rules.Validate]) for a rules
// document. Called on a nil receiver, every UnmarshalJSON and UnmarshalText
// method of the package returns an error wrapping [sp.ErrInvalid] that names
// the type ("cannot decode into a nil *review.Finding"), as [sp.CheckTarget]
// gives it. The parts of a rules document ([Analysis], [RuleSet],
// [ActionSettings], the settings of each rule such as [TargetMet]) are
// checked only as parts of one: decoded alone, by their own UnmarshalJSON,
// they ignore a member they do not know, take a decimal written as a number
// and a duration as an integer of nanoseconds, and keep zero for a member
// left out, where ParseRules refuses the first three and takes the default
// for the last; a host that takes one part on its own (a manager's form for
// one rule's thresholds) puts it into the document's JSON and reads the
// whole with ParseRules. The other types have no Validate method: the
// results of a review (the [Snapshot] and its rows, the [Outcome] with its
// [ProductFeedback], and a report beyond its version and rules). A decoded
// one is taken as written: a Markdown or text rendering shows its figures as
// they are.
//
// # Errors
//
// Errors wrap the sentinels of package salesprocess and are prefixed
// "review: ". The errors of the Validate, MarshalText, UnmarshalText and
// JSON methods are the exception: they name the field at fault only
// ("invalid subject.kind: ..."), so that a caller's own error can take
// them in. The errors of [Rules] and [Report], the two documents, are
// prefixed all the same. No function panics on any input.
package review
