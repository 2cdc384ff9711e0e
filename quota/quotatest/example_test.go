package quotatest_test

import (
	"context"
	"fmt"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/quota/quotatest"
)

func ExampleMemGoalStore() {
	ctx := context.Background()
	var store quotatest.MemGoalStore
	nov := sp.Month(2026, time.November, nil)
	target, _ := sp.ParseMoney("9000.00 EUR")
	_ = store.PutGoal(ctx, quota.Goal{Rep: "ana", Period: nov, Revenue: target})
	_ = store.PutGoal(ctx, quota.Goal{Rep: "ana", Period: nov.Next(), Deals: 4})
	for g, err := range store.ListGoals(ctx, nov) {
		fmt.Println(g, err)
	}
	// Output: rep ana 2026-11: 9000.00 EUR <nil>
}
