package review_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/salesprocess/salesprocess/quota"
	"github.com/salesprocess/salesprocess/review"
)

// A Snapshot made by hand may be read from many goroutines at once, as
// one built by a review may; run with -race.
func TestHandMadeSnapshotConcurrentReads(t *testing.T) {
	s := &review.Snapshot{
		Rate: review.RateWinRate,
		Team: review.TeamRow{Figures: review.Figures{Won: 10, Lost: 10, WinRate: quota.RateEstimate{Rate: quota.Rate{Num: 10, Den: 20}}}},
		Reps: []review.RepRow{{Rep: "ann", Figures: review.Figures{Won: 2, Lost: 8, WinRate: quota.RateEstimate{Rate: quota.Rate{Num: 2, Den: 10}}}}},
	}
	const readers = 8
	causes := make([]review.Cause, readers)
	verdicts := make([]quota.Verdict, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			causes[i] = s.Diagnose(review.RepSubject("ann"), review.RateWinRate).Cause
			verdicts[i] = s.Compare(quota.Rate{Num: 2, Den: 10}, quota.Rate{Num: 8, Den: 10}).Verdict
		}()
	}
	wg.Wait()
	for i := range readers {
		assert.Equal(t, review.CauseRep, causes[i], "reader %d", i)
		assert.Equal(t, quota.VerdictBelow, verdicts[i], "reader %d", i)
	}
}
