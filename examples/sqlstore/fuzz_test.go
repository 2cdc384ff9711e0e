package sqlstore_test

import (
	"context"
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
