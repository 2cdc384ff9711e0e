package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/examples/sqlstore"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/quota"
)

// FuzzListInquiries checks the translation of filters into SQL against
// InquiryFilter.Match on SQLite: each input adds an inquiry (any bytes in
// its ID and owner, any instant; those the store refuses are checked to be
// refused) and lists with a filter of any owner, After and period; the
// listing must yield exactly the stored inquiries that Match accepts, in
// byte order of ID.
func FuzzListInquiries(f *testing.F) {
	f.Add("i1", "ann", "", "", int64(0), int64(-1), int64(1))
	f.Add("i2", "ann", "ann", "i1", int64(1), int64(1), int64(2))
	f.Add("\xff", "b\x00b", "b\x00b", "\xfe", int64(math.MaxInt64), int64(math.MinInt64+1), int64(math.MaxInt64))
	f.Add("a\x00", "", "", "a", int64(math.MinInt64), int64(0), int64(0))
	f.Add("é", "x", "", "e\xcc", int64(-1), int64(-2), int64(-1))
	ctx := context.Background()
	var (
		s      *sqlstore.Store
		stored map[sp.InquiryID]pipeline.Inquiry
	)
	f.Cleanup(func() {
		if s != nil {
			_ = s.Close()
		}
	})
	f.Fuzz(func(t *testing.T, id, owner, filterOwner, after string, received, start, end int64) {
		if len(stored) >= 64 || s == nil {
			// A fresh store now and then keeps each run quick.
			if s != nil {
				_ = s.Close()
			}
			var err error
			if s, err = sqlstore.Open(ctx, sqlstore.SQLite, "", &sqlstore.Options{PageSize: 3}); err != nil {
				t.Fatal(err)
			}
			stored = map[sp.InquiryID]pipeline.Inquiry{}
		}
		in := pipeline.Inquiry{ID: sp.InquiryID(id), Owner: sp.RepID(owner), Stage: pipeline.InquiryNew, Version: 1,
			Received: time.Unix(0, received).UTC()}
		err := s.CreateInquiry(ctx, in)
		_, exists := stored[in.ID]
		switch {
		case !text(id) || !text(owner):
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("CreateInquiry of text a column cannot hold: want ErrInvalid, got %v", err)
			}
		case received == math.MinInt64:
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("CreateInquiry of a time the store cannot index: want ErrInvalid, got %v", err)
			}
		case exists:
			if !errors.Is(err, sp.ErrDuplicate) {
				t.Fatalf("CreateInquiry of a stored ID: want ErrDuplicate, got %v", err)
			}
		case err != nil:
			t.Fatalf("CreateInquiry: %v", err)
		default:
			stored[in.ID] = in
		}

		f := pipeline.InquiryFilter{Owner: sp.RepID(filterOwner), After: sp.InquiryID(after)}
		if p, err := sp.NewPeriod(time.Unix(0, start).UTC(), time.Unix(0, end).UTC()); err == nil {
			f.Received = p
		}
		var want []sp.InquiryID
		for id, in := range stored {
			if f.Match(in) {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		var got []sp.InquiryID
		for in, err := range s.ListInquiries(ctx, f) {
			if err != nil {
				t.Fatalf("ListInquiries: %v", err)
			}
			got = append(got, in.ID)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("ListInquiries(%+v) yielded %q, want %q", f, got, want)
		}
	})
}

// text reports whether a text column can hold s.
func text(s string) bool { return utf8.ValidString(s) && !strings.Contains(s, "\x00") }

// FuzzRoundTrip checks on SQLite that what a store accepts it gives back
// unchanged: a deal with text of any bytes, any instants and any amount,
// and a goal of any month and target, each either refused with an error
// wrapping ErrInvalid or read back equal to what was written (as JSON, the
// form the store keeps); an update from a stale version changes nothing.
func FuzzRoundTrip(f *testing.F) {
	f.Add("d1", "ann", "widget", int64(100_000), int64(0), int64(86_400e9), "2026-11", int64(5))
	f.Add("é\u00ff", "", "\x00", int64(-1), int64(math.MinInt64), int64(math.MaxInt64), "1677-12", int64(0))
	f.Add("\xff", "a b", "p", int64(math.MaxInt64), int64(1), int64(-1), "2262-04", int64(-3))
	ctx := context.Background()
	var s *sqlstore.Store
	n := 0
	f.Cleanup(func() {
		if s != nil {
			_ = s.Close()
		}
	})
	f.Fuzz(func(t *testing.T, id, owner, product string, cents, created, closed int64, month string, deals int64) {
		if s == nil || n >= 64 {
			if s != nil {
				_ = s.Close()
			}
			var err error
			if s, err = sqlstore.Open(ctx, sqlstore.SQLite, "", nil); err != nil {
				t.Fatal(err)
			}
			n = 0
		}
		n++
		d := deal(sp.DealID(id))
		d.Owner, d.Product = sp.RepID(owner), sp.ProductID(product)
		d.Amount, _ = sp.NewMoneyFromMinor(cents, "EUR")
		d.Created, d.Closed = time.Unix(0, created).UTC(), time.Unix(0, closed).UTC()
		before, beforeErr := s.GetDeal(ctx, d.ID)
		err := s.CreateDeal(ctx, d)
		switch {
		case errors.Is(err, sp.ErrInvalid):
			got, gerr := s.GetDeal(ctx, d.ID)
			if (beforeErr == nil) != (gerr == nil) {
				t.Fatalf("a refused CreateDeal changed the store: before %v, after %v", beforeErr, gerr)
			}
			same(t, before, got)
		case errors.Is(err, sp.ErrDuplicate):
			got, gerr := s.GetDeal(ctx, d.ID)
			if gerr != nil {
				t.Fatalf("GetDeal of a duplicate: %v", gerr)
			}
			same(t, before, got)
		case err != nil:
			t.Fatalf("CreateDeal: %v", err)
		default:
			got, err := s.GetDeal(ctx, d.ID)
			if err != nil {
				t.Fatalf("GetDeal after CreateDeal: %v", err)
			}
			same(t, d, got)
			// A stale update changes nothing.
			next := d
			next.Version, next.Owner = 3, "someone else"
			if err := s.UpdateDeal(ctx, next, 2); !errors.Is(err, sp.ErrConflict) {
				t.Fatalf("UpdateDeal from a stale version: want ErrConflict, got %v", err)
			}
			got, err = s.GetDeal(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			same(t, d, got)
		}

		p, err := sp.ParsePeriod(month)
		if err != nil {
			return
		}
		g := quota.Goal{Rep: sp.RepID(owner), Period: p, Deals: deals}
		err = s.PutGoal(ctx, g)
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("PutGoal: want nil or ErrInvalid, got %v", err)
			}
			return
		}
		found := false
		for got, err := range s.ListGoals(ctx, p) {
			if err != nil {
				t.Fatalf("ListGoals: %v", err)
			}
			if got.Key() == g.Key() {
				found = true
				same(t, g, got)
			}
		}
		if !found {
			t.Fatalf("a stored goal is not listed in its own period: %v", g)
		}
	})
}

// same fails t unless a and b have the same JSON form.
func same[T any](t *testing.T, a, b T) {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(ja) != string(jb) {
		t.Fatalf("stored and read back differ:\n%s\n%s", ja, jb)
	}
}
