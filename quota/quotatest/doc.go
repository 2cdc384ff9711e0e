// Package quotatest helps hosts test what they build on package quota: an
// in-memory [quota.GoalStore], [MemGoalStore], and the conformance suite
// every goal store must pass, [RunGoalStoreTests]. The suite's periods lie
// in several time zones; the package embeds the zone database
// (time/tzdata), so that no check is lost on a machine without one.
package quotatest

import _ "time/tzdata" // the zones of the suite's periods wherever the host's tests run
