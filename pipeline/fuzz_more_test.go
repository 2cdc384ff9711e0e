package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// FuzzInquiryCommands drives inquiries through random sequences of commands,
// by random actors, some keyed, on a store that is an outbox or not (see
// commandScenario): every command succeeds or fails with a sentinel; a
// failure changes no record and emits nothing; a success moves the version
// by one and emits exactly its events (Convert two, every other command
// one), valid, about the inquiry and with IDs of their own; a success
// that changes nothing (a keyed replay) emits nothing; the history always
// agrees with the stage; a closed inquiry is left only by reopening; a
// converted inquiry and its deal point at each other; and a refusal happens
// exactly when DefaultPolicy refuses.
func FuzzInquiryCommands(f *testing.F) {
	seeds := [][]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
		{3, 0, 3, 1, 4, 2, 6, 0, 1, 1, 2, 2, 3, 3, 9, 9, 9},
		[]byte("contact, qualify, convert, then everything again by everyone"),
		// ann contacts, qualifies and converts i0; contacts and disqualifies i1,
		// which the north manager reopens and ann converts, keyed, twice.
		{0, 2, 1, 2, 4, 2, 0, 3, 2, 3, 3, 7, 0, 3, 1, 3, 4, 15, 4, 15, 5, 2, 6, 3},
	}
	for _, outbox := range []bool{false, true} { // each seed on both stores
		for _, seed := range seeds {
			f.Add(seed, outbox)
		}
	}
	actors := []sp.Actor{system, ann, bob, pipelinetest.Manager(pipelinetest.RegionNorth),
		sp.ManagerActor("mgr-south", pipelinetest.RegionSouth), pipelinetest.Admin()}
	f.Fuzz(func(t *testing.T, data []byte, outbox bool) {
		ctx := context.Background()
		r := &bytesReader{b: data}
		s, log := commandScenario(t, outbox, &pipeline.Options{Eligibility: pipelinetest.Certified{
			pipelinetest.RepAnn: {pipelinetest.ProductWidget}, pipelinetest.RepBob: {pipelinetest.ProductWidget},
		}})
		ids := []sp.InquiryID{"i0", "i1"}
		for _, id := range ids {
			if _, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry(id), nil); err != nil {
				t.Fatal(err)
			}
			if got := log.added(t, string(id)); len(got) != 1 {
				t.Fatalf("ReceiveInquiry emitted %d events", len(got))
			}
		}
		state := func() string {
			var all []any
			for in, err := range s.Store.ListInquiries(ctx, pipeline.InquiryFilter{}) {
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, in)
			}
			for d, err := range s.Store.ListDeals(ctx, pipeline.DealFilter{}) {
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, d)
			}
			raw, _ := json.Marshal(all)
			return string(raw)
		}
		for step := 0; r.more() && step < 100; step++ {
			op, arg := r.next()%9, r.next()
			id := ids[arg%2]
			by := actors[(arg/2)%len(actors)]
			var opts *pipeline.CommandOptions
			if arg%5 == 0 {
				opts = &pipeline.CommandOptions{IdempotencyKey: fmt.Sprintf("k%d", arg%3)}
			}
			before := state()
			prev, err := s.Engine.GetInquiry(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var cerr error
			switch op {
			case 0:
				_, cerr = s.Engine.Contact(ctx, by, id, pipeline.Activity{}, opts)
			case 1:
				_, cerr = s.Engine.Qualify(ctx, by, id, opts)
			case 2:
				_, cerr = s.Engine.Disqualify(ctx, by, id, "no budget", opts)
			case 3:
				_, cerr = s.Engine.ReopenInquiry(ctx, by, id, opts)
			case 4:
				_, _, cerr = s.Engine.Convert(ctx, by, id, pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.EUR("100")}}, opts)
			case 5:
				rep := []sp.RepID{pipelinetest.RepAnn, pipelinetest.RepBob, "rep-carl"}[arg%3]
				_, cerr = s.Engine.AssignInquiry(ctx, by, id, rep, opts)
			case 6:
				a := pipeline.Activity{ID: fmt.Sprintf("a%d", arg%4), Kind: pipeline.ActivityEmail, Done: pipelinetest.Epoch()}
				_, cerr = s.Engine.LogInquiryActivity(ctx, by, id, a, opts)
			case 7:
				_, cerr = s.Engine.Contact(ctx, by, id, pipeline.Activity{ID: fmt.Sprintf("a%d", arg%4), Kind: pipeline.ActivityCall}, opts)
			case 8:
				_, cerr = s.Engine.ReceiveInquiry(ctx, by, pipelinetest.NewInquiry(id), opts)
			}
			cur, err := s.Engine.GetInquiry(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if err := pipeline.CheckHistory(cur.Stage, cur.History); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			events := log.added(t, string(id)) // a converted inquiry's deal has its ID
			switch {
			case cerr != nil:
				if !errors.Is(cerr, sp.ErrInvalidTransition) && !errors.Is(cerr, sp.ErrInvalid) &&
					!errors.Is(cerr, sp.ErrForbidden) && !errors.Is(cerr, sp.ErrDuplicate) {
					t.Fatalf("step %d op %d: error without a sentinel: %v", step, op, cerr)
				}
				if state() != before || len(events) != 0 {
					t.Fatalf("step %d op %d: a failed command changed something or emitted %d events: %v", step, op, len(events), cerr)
				}
				if errors.Is(cerr, sp.ErrForbidden) && !errors.Is(cerr, sp.ErrInvalidTransition) {
					target := pipeline.Target{Kind: "inquiry", ID: string(id), Owner: prev.Owner, Region: prev.Region}
					perr := pipeline.DefaultPolicy{}.Authorize(ctx, by, commandOf(op), target)
					if perr == nil && op != 5 && op != 8 { // an ineligible owner is refused by the eligibility
						t.Fatalf("step %d op %d: refused although the policy allows %s: %v", step, op, by.ID, cerr)
					}
				}
			case cur.Version == prev.Version:
				if opts == nil && op != 4 && op != 8 {
					t.Fatalf("step %d op %d: success without a change", step, op)
				}
				if len(events) != 0 {
					t.Fatalf("step %d op %d: a success without a change emitted %d events", step, op, len(events))
				}
			default:
				if cur.Version != prev.Version+1 {
					t.Fatalf("step %d op %d: version %d after %d", step, op, cur.Version, prev.Version)
				}
				want := 1
				if op == 4 {
					want = 2 // the deal opened, the inquiry converted
				}
				if len(events) != want {
					t.Fatalf("step %d op %d: a change emitted %d events; want %d", step, op, len(events), want)
				}
			}
			if cur.Stage != prev.Stage && !prev.Stage.IsOpen() && op != 3 {
				t.Fatalf("step %d op %d: left the closed stage %s for %s without reopening", step, op, prev.Stage, cur.Stage)
			}
			if cur.Stage == pipeline.InquiryConverted {
				d, err := s.Engine.GetDeal(ctx, cur.Deal)
				if err != nil || d.Inquiry != cur.ID {
					t.Fatalf("step %d: converted inquiry %s points at deal %s: %v", step, cur.ID, cur.Deal, err)
				}
			}
		}
	})
}

// commandOf returns the command of FuzzInquiryCommands's operation op.
func commandOf(op int) pipeline.Command {
	return []pipeline.Command{pipeline.CmdContact, pipeline.CmdQualify, pipeline.CmdDisqualify, pipeline.CmdReopenInquiry,
		pipeline.CmdConvert, pipeline.CmdAssign, pipeline.CmdLogActivity, pipeline.CmdContact, pipeline.CmdReceive}[op]
}

// FuzzRecordJSON decodes arbitrary JSON into every JSON type of the
// package: no decoder panics, every error wraps ErrInvalid, and what
// decodes and encodes decodes again to the same JSON.
func FuzzRecordJSON(f *testing.F) {
	ctx := context.Background()
	s := pipelinetest.NewScenario(f, nil)
	d, err := s.Engine.OpenDeal(ctx, system, pipelinetest.NewDeal("d1"), nil)
	if err != nil {
		f.Fatal(err)
	}
	in, err := s.Engine.ReceiveInquiry(ctx, system, pipelinetest.NewInquiry("i1"), nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range []any{d, in, d.Lines[0], pipeline.Terms{Lines: d.Lines}, pipeline.LossReason{Category: "price", Detail: "x"}} {
		raw, _ := json.Marshal(v)
		f.Add(raw)
	}
	for _, s := range []string{`{"stage":"Won"}`, `{"lines":[{"discount":"1e-99999"}]}`, `{"history":[{"at":"x"}]}`,
		`{"received":"2026[Local]"}`, `{"first_contact":1e30}`, `{"result":[`, `null`, `[]`, `{"stages":["x"]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRecord[pipeline.Deal](t, data)
		fuzzRecord[pipeline.Inquiry](t, data)
		fuzzRecord[pipeline.Activity](t, data)
		fuzzRecord[pipeline.Line](t, data)
		fuzzRecord[pipeline.LossReason](t, data)
		fuzzRecord[pipeline.Service](t, data)
		fuzzRecord[pipeline.Terms](t, data)
		fuzzRecord[pipeline.Conversion](t, data)
		fuzzRecord[pipeline.Outcome](t, data)
		fuzzRecord[pipeline.InquiryFilter](t, data)
		fuzzRecord[pipeline.DealFilter](t, data)
		fuzzRecord[pipeline.FollowUpPolicy](t, data)
		fuzzRecord[pipeline.InquiryEvent](t, data)
		fuzzRecord[pipeline.DealEvent](t, data)
		fuzzRecord[pipeline.Overdue](t, data)
	})
}

func fuzzRecord[T any, P interface {
	*T
	json.Unmarshaler
}](t *testing.T, data []byte) {
	var v T
	if err := P(&v).UnmarshalJSON(data); err != nil {
		if !errors.Is(err, sp.ErrInvalid) {
			t.Fatalf("%T: error without ErrInvalid: %v", v, err)
		}
		if !reflect.ValueOf(v).IsZero() {
			t.Fatalf("%T: a failed decoding changed the value: %v", v, err)
		}
		return
	}
	out, err := json.Marshal(v)
	if err != nil {
		return // a decoded value may not encode (an amount beyond bounds, a year past 9999)
	}
	var again T
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("%T: re-decoding %s: %v", v, out, err)
	}
	if !sameJSON(v, again) {
		t.Fatalf("%T: the round trip changed %s", v, out)
	}
}

// FuzzLinesTotal computes totals of random lines: every error wraps
// ErrInvalid or ErrCurrencyMismatch; a total is a valid amount of the
// lines' currency, rounded to its minor unit, and the sum of the lines'
// totals, which each lie between zero and quantity × unit price.
func FuzzLinesTotal(f *testing.F) {
	f.Add([]byte{1, 10, 0, 200, 2, 0, 1, 5}, int64(0))
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 127}, int64(-5))
	f.Add([]byte{}, int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, data []byte, exp int64) {
		r := &bytesReader{b: data}
		var lines []pipeline.Line
		for r.more() && len(lines) < 50 {
			q := int64(r.next()) - 8
			if r.next()%5 == 0 {
				q *= math.MaxInt64 / 256
			}
			cur := []sp.Currency{"EUR", "JPY", "KWD"}[r.next()%3]
			price, err := sp.NewMoney(decimal.New(int64(r.next())*int64(r.next()+1), -int32(r.next()%6)), cur)
			if err != nil {
				t.Fatal(err)
			}
			disc := decimal.New(int64(r.next()), -int32(r.next()%4))
			if r.next()%17 == 0 {
				disc = decimal.New(1, int32(exp)) // any exponent, even absurd ones
			}
			lines = append(lines, pipeline.Line{Product: "p", Quantity: q, UnitPrice: price, Discount: disc})
		}
		total, err := pipeline.LinesTotal(lines)
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) && !errors.Is(err, sp.ErrCurrencyMismatch) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			return
		}
		if err := total.Validate(); err != nil {
			t.Fatalf("total %s is not a valid amount: %v", total, err)
		}
		minor, _ := total.Currency().MinorUnits()
		sum := sp.NewAccumulator(total.Currency())
		for i, l := range lines {
			lt, err := l.Total()
			if err != nil {
				t.Fatalf("line %d refused alone but not in the total: %v", i, err)
			}
			if lt.Sign() < 0 || lt.Amount().Exponent() != -minor {
				t.Fatalf("line %d: total %s", i, lt)
			}
			gross := l.UnitPrice.Mul(decimal.NewFromInt(l.Quantity)).Round(sp.HalfUp)
			if c, _ := lt.Cmp(gross); c > 0 {
				t.Fatalf("line %d: total %s above the gross %s", i, lt, gross)
			}
			if err := sum.Add(lt); err != nil {
				t.Fatal(err)
			}
		}
		if !sum.Total().Equal(total) {
			t.Fatalf("total %s, sum of lines %s", total, sum.Total())
		}
	})
}

// FuzzNewDefinition builds deal pipelines from random specs, valid or not,
// with probabilities of any exponent: NewDefinition returns an error
// wrapping ErrInvalid or a pipeline whose stages, kinds and probabilities
// agree with the spec, that renders, and on which a deal starts.
func FuzzNewDefinition(f *testing.F) {
	f.Add([]byte{4, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0}, int32(-2))
	f.Add([]byte{3, 9, 9, 9, 1, 2, 2, 2, 0, 1, 0, 1}, int32(math.MinInt32))
	f.Add([]byte{6, 0, 1, 2, 0, 1, 2, 5, 5, 5, 5, 5, 5, 3, 3, 3}, int32(math.MaxInt32))
	f.Fuzz(func(t *testing.T, data []byte, exp int32) {
		r := &bytesReader{b: data}
		n := r.next() % 10
		spec := pipeline.Spec{Name: []string{"", "p", "Bad Name\n"}[r.next()%3], Backward: r.next()%2 == 1}
		kinds := []pipeline.StageKind{pipeline.KindOpen, pipeline.KindWon, pipeline.KindLost, "maybe"}
		for i := range n {
			st := pipeline.StageSpec{
				Key:   pipeline.DealStage(fmt.Sprintf("s%d", r.next()%12)),
				Order: r.next() % 8, Kind: kinds[r.next()%4],
				Probability: decimal.New(int64(r.next()%130)-10, -2),
			}
			if r.next()%9 == 0 {
				st.Probability = decimal.New(int64(r.next()%3), exp)
			}
			if i%3 == 2 && r.next()%2 == 0 {
				st.Key = "Bad Key"
			}
			spec.Stages = append(spec.Stages, st)
		}
		for r.more() && len(spec.Reopen) < 8 {
			spec.Reopen = append(spec.Reopen, pipeline.Move{
				From: pipeline.DealStage(fmt.Sprintf("s%d", r.next()%12)), To: pipeline.DealStage(fmt.Sprintf("s%d", r.next()%12)),
			})
		}
		def, err := pipeline.NewDefinition(spec)
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		var keys []pipeline.DealStage
		for st := range def.Stages() {
			keys = append(keys, st.Key)
			k, ok := def.Kind(st.Key)
			p, _ := def.Probability(st.Key)
			if !ok || k != st.Kind || !p.Equal(st.Probability) {
				t.Fatalf("stage %s: kind %s %v, probability %s; listed %s %s", st.Key, k, ok, p, st.Kind, st.Probability)
			}
			if p.Sign() < 0 || p.GreaterThan(decimal.New(1, 0)) {
				t.Fatalf("stage %s: probability %s outside 0 to 1", st.Key, p)
			}
		}
		if len(keys) != len(spec.Stages) || !slices.Contains(keys, def.Initial()) {
			t.Fatalf("stages %v of %d, initial %s", keys, len(spec.Stages), def.Initial())
		}
		_ = def.Mermaid()
		_ = def.DOT()
		d := &pipeline.Deal{ID: "d", Owner: "o", Product: "p", Amount: pipelinetest.EUR("1")}
		if err := def.Start(d, stamp(0)); err != nil {
			t.Fatal(err)
		}
		if k, _ := def.Kind(d.Stage); k != pipeline.KindOpen {
			t.Fatalf("a deal starts in %s, a %s stage", d.Stage, k)
		}
	})
}
