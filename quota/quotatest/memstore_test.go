package quotatest_test

import (
	"testing"

	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
)

func TestMemGoalStore(t *testing.T) {
	quotatest.RunGoalStoreTests(t, func(*testing.T) quota.GoalStore { return &quotatest.MemGoalStore{} })
}
