// Package quotatest helps hosts test what they build on package quota: an
// in-memory [quota.GoalStore], [MemGoalStore], and the conformance suite
// every goal store must pass, [RunGoalStoreTests].
package quotatest
