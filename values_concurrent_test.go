package salesprocess_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// sharers is the number of goroutines of the tests of this file.
const sharers = 16

// Amounts and periods shared by 16 goroutines, each computing with them at
// once, give every goroutine what a serial run gives, and stay as they
// were: the package's values are immutable. Run with -race.
func TestValuesSharedBetweenGoroutines(t *testing.T) {
	a, err := sp.ParseMoney("1234.56 EUR")
	require.NoError(t, err)
	b, err := sp.ParseMoney("0.07 EUR")
	require.NoError(t, err)
	factor := decimal.RequireFromString("1.005")
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	march := sp.Month(2026, time.March, berlin)
	q1 := sp.Quarter(2026, 1, berlin)
	summary := func() string {
		var w strings.Builder
		sum, err1 := a.Add(b)
		diff, err2 := a.Sub(b)
		parts, err3 := a.Allocate(1, 2, 3)
		split, err4 := b.AllocateDecimal(decimal.New(1, 0), decimal.New(2, 0))
		c, err5 := a.Cmp(b)
		text, err6 := a.MarshalJSON()
		pt, err7 := march.MarshalText()
		fmt.Fprintln(&w, sum, diff, a.Mul(factor), a.Mul(factor).Round(sp.HalfEven), a.Mul(factor).Round(sp.HalfUp),
			a.Neg().Abs(), parts, split, c, string(text), a, b, errors.Join(err1, err2, err3, err4, err5, err6, err7))
		fmt.Fprintln(&w, march, string(pt), march.Days(), march.Duration(), march.Next(), march.Prev(), march.Kind(), q1.Coverage(march))
		for m := range q1.Months() {
			fmt.Fprint(&w, m, m.Start(), m.Days(), " ")
		}
		return w.String()
	}
	want := summary()
	require.Contains(t, want, "1234.63 EUR 1234.49 EUR")
	require.Contains(t, want, "2026-03[Europe/Berlin] 2026-03[Europe/Berlin] 31 743h0m0s")

	const rounds = 20
	got := make([][]string, sharers)
	var wg sync.WaitGroup
	for w := range sharers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				got[w] = append(got[w], summary())
			}
		}()
	}
	wg.Wait()
	for w := range sharers {
		require.Len(t, got[w], rounds, "goroutine %d", w)
		for i, s := range got[w] {
			assert.Equal(t, want, s, "goroutine %d, round %d", w, i)
		}
	}
	assert.Equal(t, "1234.56 EUR", a.String())
	assert.Equal(t, "2026-03[Europe/Berlin]", march.String())
}

// Accumulators of 16 goroutines, each its own, merged when they are done,
// as the Accumulator's documentation says to sum in parallel, give the
// total a serial Sum gives, amounts that spill out of the fast sum
// included. Run with -race.
func TestAccumulatorsMergedAcrossGoroutines(t *testing.T) {
	const each = 200
	amounts := make([]sp.Money, sharers*each)
	for i := range amounts {
		s := fmt.Sprintf("%d.%02d EUR", i*37%1000, i%100)
		if i%97 == 0 {
			s = "123456789012345678901234.5 EUR" // beyond 18 digits: spills
		}
		m, err := sp.ParseMoney(s)
		require.NoError(t, err)
		amounts[i] = m
	}
	want, err := sp.Sum(sp.Currency("EUR"), func(yield func(sp.Money) bool) {
		for _, m := range amounts {
			if !yield(m) {
				return
			}
		}
	})
	require.NoError(t, err)
	accs := make([]sp.Accumulator, sharers)
	errs := make([]error, sharers)
	var wg sync.WaitGroup
	for w := range sharers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, m := range amounts[w*each : (w+1)*each] {
				if errs[w] = accs[w].Add(m); errs[w] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	total := sp.NewAccumulator(sp.Currency("EUR"))
	for w := range sharers {
		require.NoError(t, errs[w], "goroutine %d", w)
		require.NoError(t, total.Merge(&accs[w]), "goroutine %d", w)
	}
	assert.Equal(t, len(amounts), total.Count())
	assert.Equal(t, want.String(), total.Total().String())
}

// DecodeJSON and DecodeJSONStrict, called from 16 goroutines at once on
// types none has met before, fill their per-type caches (what each type
// is, its members, where it holds decimals) once: every goroutine decodes
// each document as a serial run does and refuses each bad one naming the
// same member. Run with -race.
func TestDecodeJSONFirstUseConcurrent(t *testing.T) {
	const types = 24
	dec := reflect.TypeFor[decimal.Decimal]()
	kinds := make([]reflect.Type, types)
	for i := range kinds {
		line := reflect.StructOf([]reflect.StructField{
			{Name: "Price", Type: dec, Tag: reflect.StructTag(fmt.Sprintf(`json:"price%d"`, i))},
			{Name: "Qty", Type: reflect.TypeFor[int](), Tag: `json:"qty"`},
		})
		kinds[i] = reflect.StructOf([]reflect.StructField{
			{Name: "Name", Type: reflect.TypeFor[string](), Tag: `json:"name"`},
			{Name: "Rate", Type: reflect.PointerTo(dec), Tag: `json:"rate"`},
			{Name: "Lines", Type: reflect.SliceOf(line), Tag: `json:"lines"`},
			{Name: "ByRegion", Type: reflect.MapOf(reflect.TypeFor[string](), dec), Tag: `json:"by_region"`},
		})
	}
	good := func(i int) string {
		return fmt.Sprintf(`{"name":"n%d","rate":"%d.5","lines":[{"price%d":"1.5","qty":2},{"price%d":"%d.25","qty":1}],"by_region":{"north":"7"}}`, i, i, i, i, i)
	}
	bad := func(i int) string {
		return fmt.Sprintf(`{"name":"n","lines":[{"price%d":"1"},{"price%d":"1e9999"}]}`, i, i)
	}
	unknown := func(i int) string { return fmt.Sprintf(`{"name":"n","lines":[{"price%d":"1","qtty":1}]}`, i) }
	// decode gives what decoding into type i shows: the decoded value, or
	// the field of the error.
	decode := func(i int) []string {
		v := reflect.New(kinds[i])
		var out []string
		if err := sp.DecodeJSON("doc", []byte(good(i)), v.Interface()); err != nil {
			out = append(out, "error: "+err.Error())
		} else {
			e := v.Elem()
			out = append(out, fmt.Sprint(e.Field(0), " ", e.Field(1).Elem(), " ", e.Field(2).Index(1).Field(0), " ", e.Field(3).MapIndex(reflect.ValueOf("north"))))
		}
		for _, doc := range []string{bad(i), unknown(i)} {
			err := sp.DecodeJSONStrict("doc", []byte(doc), reflect.New(kinds[i]).Interface())
			var ve *sp.ValidationError
			if errors.As(err, &ve) && errors.Is(err, sp.ErrInvalid) {
				out = append(out, ve.Field)
			} else {
				out = append(out, fmt.Sprint("not a validation error: ", err))
			}
		}
		return out
	}
	got := make([][][]string, sharers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range sharers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[w] = make([][]string, types)
			<-start
			for j := range types {
				i := (j + w*types/sharers) % types
				got[w][i] = decode(i)
			}
		}()
	}
	close(start)
	wg.Wait()
	for i := range types {
		want := []string{fmt.Sprintf("n%d %d.5 %d.25 7", i, i, i), "doc.lines[1].price" + fmt.Sprint(i), "doc.lines[0].qtty"}
		assert.Equal(t, want, decode(i), "type %d, decoded again", i)
		for w := range sharers {
			assert.Equal(t, want, got[w][i], "goroutine %d, type %d", w, i)
		}
	}
}

// One SteppingClock read by 8 goroutines and moved forward by 8 others at
// once gives every reading once, and ends as far on as all the steps and
// moves together take it. Run with -race.
func TestSteppingClockReadAndMovedConcurrently(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	c := sp.NewSteppingClock(start, time.Second)
	const readers, movers, each = 8, 8, 100
	seen := make([][]time.Time, readers)
	stalePeeks := make([]int, readers)
	var wg sync.WaitGroup
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				now := c.Now()
				if !c.Peek().After(now) {
					stalePeeks[r]++
				}
				seen[r] = append(seen[r], now)
			}
		}()
	}
	for range movers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				c.Advance(time.Minute)
			}
		}()
	}
	wg.Wait()
	distinct := map[time.Time]bool{}
	for r := range readers {
		assert.Zero(t, stalePeeks[r], "goroutine %d: Peeks not past the reading before them", r)
		for i, tm := range seen[r] {
			assert.False(t, distinct[tm], "goroutine %d, reading %d: %s read twice", r, i, tm)
			distinct[tm] = true
			if i > 0 {
				assert.True(t, tm.After(seen[r][i-1]), "goroutine %d: reading %d not after the one before", r, i)
			}
		}
	}
	assert.Equal(t, start.Add(readers*each*time.Second+movers*each*time.Minute), c.Peek())
	c.Set(start)
	assert.Equal(t, start, c.Now())
}
