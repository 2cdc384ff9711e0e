package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// FuzzInquiryCommands drives two inquiries through random sequences of
// commands on a store that is an outbox or not (see commandScenario).
// Mostly the owner issues the command that takes an inquiry a step on
// (contact, qualify, convert; disqualify, assign or log an activity now
// and then) and a manager or admin reopens a disqualified one, so that
// inquiries are converted and reopened often; one byte value in sixteen
// issues any command by any actor, and one in sixteen carries an
// idempotency key; now and then, in place of a wild command, the store
// holds an inquiry received past the year 9999, which its events carry,
// or no longer (poisonInquiry). Without an outbox, one input in three
// keeps the inquiries in a store apart from the deals. It checks: every
// command succeeds or fails with a sentinel; a command that fits the
// inquiry, by an actor the policy allows, without a key, succeeds unless
// the store holds such a time; a failure, an event or outcome that cannot
// be encoded among them, changes no record (a conversion creates no deal)
// and no outcome of its key, and emits nothing; a success moves the
// version by one, changes the stored records and not the other inquiry,
// returns what is stored, stores records whose JSON decodes back to them
// and, keyed, an outcome that holds what it returned, does what its
// command says (checkInquiryEffect), and emits exactly its events
// (Convert two, every other command one), valid, about the inquiry and
// with IDs of their own; a success that changes nothing (a keyed replay)
// emits nothing; the history always agrees with the stage; a closed
// inquiry is left only by reopening, and keeps its owner, AssignInquiry
// refused by its stage with a TransitionError from and to it; a converted
// inquiry and its deal point at each other; and DefaultPolicy allows
// every change and refuses every command refused as forbidden, but an
// assignment or receipt the eligibility refuses.
func FuzzInquiryCommands(f *testing.F) {
	seeds := [][]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
		{3, 0, 3, 1, 4, 2, 6, 0, 1, 1, 2, 2, 3, 3, 9, 9, 9},
		[]byte("contact, qualify, convert, then everything again by everyone"),
		{0, 2, 1, 2, 4, 2, 0, 3, 2, 3, 3, 7, 0, 3, 1, 3, 4, 15, 4, 15, 5, 2, 6, 3},
		// i0 contacted, qualified, disqualified, reopened by a manager, then
		// keyed (224 to 239) and any (240 to 255) commands.
		{0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 1, 0, 0, 0, 230, 2, 230, 2, 245, 1, 3, 250, 3, 1, 0, 0, 0, 0, 0, 0},
		// i0 contacted and qualified; then the store holds it received past
		// the year 9999 (240 0 9 0), and its owner converts it: refused,
		// without a deal, on stores apart too (this input's hash picks them).
		{0, 0, 0, 0, 240, 0, 9, 0, 0, 0},
		// i1's owner plans a call and completes it, twice.
		{15, 1, 15, 3, 15, 1, 15, 3},
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
		r := newFuzzStream(data)
		eopts := &pipeline.Options{Eligibility: pipelinetest.Certified{
			pipelinetest.RepAnn: {pipelinetest.ProductWidget}, pipelinetest.RepBob: {pipelinetest.ProductWidget},
		}}
		s, log := commandScenario(t, outbox, eopts)
		// inquiries is the store of the inquiries; s.Store holds the
		// deals and the outcomes. Without an outbox, one input in three
		// (by its hash, so that every input keeps its meaning) keeps the
		// inquiries apart from the deals, where no transaction holds a
		// conversion's two writes.
		inquiries := s.Store
		if !outbox && r.state%3 == 0 {
			inquiries = pipelinetest.NewMemStore()
			o := *eopts
			o.Clock, o.Publisher = s.Clock, s.Events
			e, err := pipeline.NewEngine(inquiries, s.Store, &o)
			if err != nil {
				t.Fatal(err)
			}
			s.Engine = e
		}
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
			for in, err := range inquiries.ListInquiries(ctx, pipeline.InquiryFilter{}) {
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, inquiryForm(t, in))
			}
			for d, err := range s.Store.ListDeals(ctx, pipeline.DealFilter{}) {
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, d)
			}
			raw, err := json.Marshal(all)
			if err != nil {
				t.Fatalf("the stored records do not encode: %v", err)
			}
			return string(raw)
		}
		owners := map[sp.RepID]sp.Actor{pipelinetest.RepAnn: ann, pipelinetest.RepBob: bob}
		managers := []sp.Actor{pipelinetest.Manager(pipelinetest.RegionNorth), pipelinetest.Admin(), system}
		activities := 0
		for step := 0; r.more() && step < 100; step++ {
			// One byte of input per command chooses it; the arguments may
			// come from the stream after the input. Mostly the inquiry's
			// owner issues the command that takes it a step on (contact,
			// qualify, convert; disqualify now and then; a manager
			// reopens a disqualified one), with valid arguments; byte
			// values 240 to 255 (6 %) issue any command by any actor, and
			// 224 to 239 (6 %) carry one of three idempotency keys.
			c := r.next()
			wild := c >= 240
			arg := r.next()
			id := ids[arg%2]
			prev, err := s.Engine.GetInquiry(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !wild && prev.Stage == pipeline.InquiryConverted { // nothing more to do with it: the other one
				id = ids[1-arg%2]
				if prev, err = s.Engine.GetInquiry(ctx, id); err != nil {
					t.Fatal(err)
				}
				wild = prev.Stage == pipeline.InquiryConverted // both converted: only refusals are left
			}
			var opts *pipeline.CommandOptions
			if c >= 224 && c < 240 {
				opts = &pipeline.CommandOptions{IdempotencyKey: fmt.Sprintf("k%d", arg%3)}
			}
			by := owners[prev.Owner]
			rep := pipelinetest.RepAnn
			if prev.Owner == rep {
				rep = pipelinetest.RepBob
			}
			op := 0
			switch w := c % 20; {
			case wild:
				op = r.next() % 11
				by = actors[r.next()%len(actors)]
				rep = []sp.RepID{pipelinetest.RepAnn, pipelinetest.RepBob, "rep-carl"}[arg%3]
				if arg%5 == 0 {
					opts = &pipeline.CommandOptions{IdempotencyKey: fmt.Sprintf("k%d", arg%3)}
				}
			case prev.Stage == pipeline.InquiryDisqualified:
				op, by = 3, managers[arg%len(managers)]
			case w < 12:
				op = map[pipeline.InquiryStage]int{pipeline.InquiryNew: 0, pipeline.InquiryContacted: 1, pipeline.InquiryQualified: 4}[prev.Stage]
				if op == 0 && w%2 == 1 {
					op = 7 // contact with an activity
				}
			case w < 15:
				op = 2
			case w < 18:
				op = 6 // log an activity, or one time in three complete the first planned one
				if arg%3 == 0 && firstPlanned(prev.Activities) != "" {
					op = 10
				}
			default:
				op = 5
			}
			if op == 9 {
				// Not a command: the host's store holds a value JSON
				// cannot write in the inquiry, or no longer (see
				// poisonInquiry).
				poisonInquiry(t, inquiries, id)
				continue
			}
			// fits: a command that fits the inquiry, by an actor the
			// policy allows, without a key: it must succeed, unless the
			// store holds a value its events cannot carry.
			fits := !wild && opts == nil && (prev.Stage.IsOpen() || op == 3) && !prev.Received.Equal(far)
			planned := firstPlanned(prev.Activities)
			if wild && (planned == "" || arg%2 == 1) {
				planned = fmt.Sprintf("w%d", arg%4) // unknown, planned or done
			}
			actID := fmt.Sprintf("a%d", activities) // a new activity, or in wild commands one of four others
			if wild {
				actID = fmt.Sprintf("w%d", arg%4)
			}
			before, outcome := state(), storedOutcome(t, s.Store, opts)
			var other pipeline.Inquiry
			if other, err = s.Engine.GetInquiry(ctx, ids[0]); id == ids[0] {
				other, err = s.Engine.GetInquiry(ctx, ids[1])
			}
			if err != nil {
				t.Fatal(err)
			}
			var ret pipeline.Inquiry
			var deal pipeline.Deal
			var cerr error
			switch op {
			case 0:
				ret, cerr = s.Engine.Contact(ctx, by, id, pipeline.Activity{}, opts)
			case 1:
				ret, cerr = s.Engine.Qualify(ctx, by, id, opts)
			case 2:
				ret, cerr = s.Engine.Disqualify(ctx, by, id, "no budget", opts)
			case 3:
				ret, cerr = s.Engine.ReopenInquiry(ctx, by, id, opts)
			case 4:
				ret, deal, cerr = s.Engine.Convert(ctx, by, id, pipeline.Conversion{Terms: pipeline.Terms{Amount: pipelinetest.MustEUR("100")}}, opts)
			case 5:
				ret, cerr = s.Engine.AssignInquiry(ctx, by, id, rep, opts)
			case 6:
				a := pipeline.Activity{ID: actID, Kind: pipeline.ActivityEmail, Done: pipelinetest.Epoch()}
				if arg%2 == 1 {
					a.Done, a.Due = time.Time{}, pipelinetest.Epoch().Add(24*time.Hour)
				}
				ret, cerr = s.Engine.LogInquiryActivity(ctx, by, id, a, opts)
			case 7:
				ret, cerr = s.Engine.Contact(ctx, by, id, pipeline.Activity{ID: actID, Kind: pipeline.ActivityCall}, opts)
			case 8:
				ret, cerr = s.Engine.ReceiveInquiry(ctx, by, pipelinetest.NewInquiry(id), opts)
			case 10:
				ret, cerr = s.Engine.CompleteInquiryActivity(ctx, by, id, planned, pipeline.ActivityCompletion{Notes: "answered"}, opts)
			}
			cur, err := s.Engine.GetInquiry(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if err := pipeline.CheckHistory(cur.Stage, cur.History); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			events := log.added(t, string(id)) // a converted inquiry's deal has its ID
			if fits && cerr != nil {
				t.Fatalf("step %d op %d: %s on %s %s by %s refused: %v", step, op, commandOf(op), prev.Stage, id, by.ID, cerr)
			}
			// A converted or disqualified inquiry keeps its owner: its
			// stage refuses AssignInquiry as it refuses a move, unless
			// the policy or a reused key refuse it first.
			if op == 5 && !prev.Stage.IsOpen() {
				var te *pipeline.TransitionError
				switch {
				case cerr == nil && cur.Version != prev.Version:
					t.Fatalf("step %d: the %s inquiry %s assigned", step, prev.Stage, id)
				case cerr == nil, errors.Is(cerr, sp.ErrForbidden), errors.Is(cerr, pipeline.ErrKeyReused):
				case !errors.As(cerr, &te) || !errors.Is(cerr, sp.ErrInvalidTransition) || te.From != string(prev.Stage) || te.To != string(prev.Stage):
					t.Fatalf("step %d: assigning the %s inquiry %s refused without a transition error from and to its stage: %v", step, prev.Stage, id, cerr)
				}
			}
			target := pipeline.Target{Kind: "inquiry", ID: string(id), Owner: prev.Owner, Region: prev.Region, Stage: string(prev.Stage)}
			perr := pipeline.DefaultPolicy{}.Authorize(ctx, by, commandOf(op), target)
			// A change (not the replay of a keyed command, which returns
			// the first outcome) is one the policy allows.
			if cerr == nil && cur.Version != prev.Version && perr != nil {
				t.Fatalf("step %d op %d: %s by %s done although the policy refuses it: %v", step, op, commandOf(op), by.ID, perr)
			}
			switch {
			case cerr != nil:
				if !errors.Is(cerr, sp.ErrInvalidTransition) && !errors.Is(cerr, sp.ErrInvalid) &&
					!errors.Is(cerr, sp.ErrForbidden) && !errors.Is(cerr, sp.ErrDuplicate) &&
					!(op == 10 && errors.Is(cerr, sp.ErrNotFound)) {
					t.Fatalf("step %d op %d: error without a sentinel: %v", step, op, cerr)
				}
				if state() != before || len(events) != 0 {
					t.Fatalf("step %d op %d: a failed command changed something or emitted %d events: %v", step, op, len(events), cerr)
				}
				if now := storedOutcome(t, s.Store, opts); now != outcome {
					t.Fatalf("step %d op %d: a failed command changed the outcome of its key from %q to %q: %v", step, op, outcome, now, cerr)
				}
				if errors.Is(cerr, sp.ErrForbidden) && !errors.Is(cerr, sp.ErrInvalidTransition) {
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
				if !sameJSON(ret, cur) {
					t.Fatalf("step %d op %d: returned an inquiry other than the one stored", step, op)
				}
				if now, err := s.Engine.GetInquiry(ctx, other.ID); err != nil || inquiryForm(t, now) != inquiryForm(t, other) {
					t.Fatalf("step %d op %d on %s changed the inquiry %s (%v)", step, op, id, other.ID, err)
				}
				checkInquiryEffect(t, op, prev, cur, rep)
				if op == 10 {
					checkCompleted(t, prev.Activities, cur.Activities, planned)
					if fc, ok := pipeline.FirstContact(cur); !ok || fc.After(cur.Activities[slices.IndexFunc(cur.Activities, func(a pipeline.Activity) bool { return a.ID == planned })].Done) {
						t.Fatalf("step %d: the completed activity %s is no contact (first contact %v, %v)", step, planned, fc, ok)
					}
				}
				if op == 4 {
					d, err := s.Engine.GetDeal(ctx, cur.Deal)
					if err != nil || !sameJSON(d, deal) || d.Version != 1 {
						t.Fatalf("step %d: Convert returned a deal other than the one stored (%v)", step, err)
					}
					checkEncodes(t, d, d, nil, s.Store)
					// The outcome holds both records returned.
					checkEncodes(t, struct {
						Inquiry pipeline.Inquiry `json:"inquiry"`
						Deal    pipeline.Deal    `json:"deal"`
					}{cur, d}, struct {
						Inquiry pipeline.Inquiry `json:"inquiry"`
						Deal    pipeline.Deal    `json:"deal"`
					}{ret, deal}, opts, s.Store)
				} else {
					checkEncodes(t, cur, ret, opts, s.Store)
				}
				if op != 4 && state() == before {
					t.Fatalf("step %d op %d: a new version, but nothing stored changed", step, op)
				}
				if op == 6 || op == 7 {
					activities++
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

// poisonInquiry stores the inquiry id, at its next version, received past
// the year 9999, a time JSON cannot write, as a host's store may hold one;
// or, if it holds that time already, received as before. Every event of
// the inquiry carries that time: while the store holds it, every command
// on the inquiry fails, with nothing written and nothing published.
func poisonInquiry(t *testing.T, st pipeline.InquiryStore, id sp.InquiryID) {
	t.Helper()
	ctx := context.Background()
	in, err := st.GetInquiry(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if in.Received.Equal(far) {
		in.Received = pipelinetest.NewInquiry(id).Received
	} else {
		in.Received = far
	}
	in.Version++
	if err := st.UpdateInquiry(ctx, in, in.Version-1); err != nil {
		t.Fatal(err)
	}
}

// inquiryForm returns a form of in that compares whole records and
// encodes even when poisonInquiry stored it: its JSON, beside its time of
// receipt. A record that does not encode otherwise fails t.
func inquiryForm(t *testing.T, in pipeline.Inquiry) string {
	t.Helper()
	received := in.Received.String()
	in.Received = time.Time{}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("the stored inquiry %s does not encode: %v", in.ID, err)
	}
	return received + " " + string(raw)
}

// checkInquiryEffect checks that the change op of FuzzInquiryCommands made
// to the inquiry, from prev to cur, is the one its command promises: a
// stage command moves it one step, where its command says, and the others
// keep its stage and history and change what they say.
func checkInquiryEffect(t *testing.T, op int, prev, cur pipeline.Inquiry, rep sp.RepID) {
	t.Helper()
	to, moved := map[int]pipeline.InquiryStage{0: pipeline.InquiryContacted, 1: pipeline.InquiryQualified,
		2: pipeline.InquiryDisqualified, 3: pipeline.InquiryNew, 4: pipeline.InquiryConverted, 7: pipeline.InquiryContacted}[op]
	switch {
	case moved && (cur.Stage != to || len(cur.History) != len(prev.History)+1):
		t.Fatalf("op %d: %s → %s with %d history entries after %d; want %s", op, prev.Stage, cur.Stage, len(cur.History), len(prev.History), to)
	case !moved && (cur.Stage != prev.Stage || len(cur.History) != len(prev.History)):
		t.Fatalf("op %d moved the inquiry from %s to %s", op, prev.Stage, cur.Stage)
	case (cur.Stage == pipeline.InquiryDisqualified) != (cur.DisqualifyReason != ""):
		t.Fatalf("op %d: %s with disqualify reason %q", op, cur.Stage, cur.DisqualifyReason)
	case (cur.Stage == pipeline.InquiryConverted) != (cur.Deal != ""):
		t.Fatalf("op %d: %s with deal %q", op, cur.Stage, cur.Deal)
	case op == 5 && cur.Owner != rep:
		t.Fatalf("assigned to %s, owned by %s", rep, cur.Owner)
	case op != 5 && cur.Owner != prev.Owner:
		t.Fatalf("op %d changed the owner from %s to %s", op, prev.Owner, cur.Owner)
	case (op == 6 || op == 7) && len(cur.Activities) != len(prev.Activities)+1,
		op != 6 && op != 7 && len(cur.Activities) != len(prev.Activities):
		t.Fatalf("op %d: %d activities after %d", op, len(cur.Activities), len(prev.Activities))
	}
}

// commandOf returns the command of FuzzInquiryCommands's operation op.
func commandOf(op int) pipeline.Command {
	return []pipeline.Command{pipeline.CmdContact, pipeline.CmdQualify, pipeline.CmdDisqualify, pipeline.CmdReopenInquiry,
		pipeline.CmdConvert, pipeline.CmdAssign, pipeline.CmdLogActivity, pipeline.CmdContact, pipeline.CmdReceive, "",
		pipeline.CmdCompleteActivity}[op]
}

// FuzzRecordJSON decodes arbitrary JSON into every JSON type of the
// package: no decoder panics, every error wraps ErrInvalid, and what
// decodes and encodes decodes again to the same JSON; an event, filter or
// spec that encodes, given a value JSON cannot write in one member, is
// refused naming that member (checkMarshalNames).
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
	for _, v := range []any{d, in, d.Lines[0], pipeline.Terms{Lines: d.Lines}, pipeline.LossReason{Category: "price", Detail: "x"},
		pipeline.DefaultSpec(), pipeline.Spec{Stages: pipeline.DefaultSpec().Stages[:3], Moves: []pipeline.Move{}}} {
		raw, _ := json.Marshal(v)
		f.Add(raw)
	}
	for _, s := range []string{`{"stage":"Won"}`, `{"lines":[{"discount":"1e-99999"}]}`, `{"lines":[{"discount":"1e-9999"}],"probability":1e9999}`, `{"history":[{"at":"x"}]}`,
		`{"received":"2026[Local]"}`, `{"first_contact":1e30}`, `{"result":[`, `null`, `[]`, `{"stages":["x"]}`,
		`{"first_contact":"24h","next_touch":3600000000000}`, `{"late":"-2562047h47m16.854775808s"}`, `{"late":"1.5h"}`,
		`{"key":"won","order":3,"probability":1,"kind":"won"}`, `{"from":"open","to":"won"}`, `{"stages":[{"kind":"vibes"}],"moves":null}`,
		"\fnull", "null\u00a0", "\v{}"} {
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
		fuzzRecord[pipeline.Spec](t, data)
		fuzzRecord[pipeline.StageSpec](t, data)
		fuzzRecord[pipeline.Move](t, data)
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
	// A direct call sees what json.Unmarshal would refuse before calling
	// it, and refuses it too.
	if !json.Valid(data) {
		t.Fatalf("%T: took %q, which is not JSON", v, data)
	}
	out, err := json.Marshal(v)
	if err != nil {
		// A decoded value may not encode (an amount beyond bounds, a
		// year past 9999), with an error wrapping ErrInvalid.
		if !errors.Is(err, sp.ErrInvalid) {
			t.Fatalf("%T: encoding what decoded: error without ErrInvalid: %v", v, err)
		}
		return
	}
	var again T
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("%T: re-decoding %s: %v", v, out, err)
	}
	if !sameJSON(v, again) {
		t.Fatalf("%T: the round trip changed %s", v, out)
	}
	checkMarshalNames(t, v, len(data))
}

// checkMarshalNames puts in v, a decoded event, filter or spec that
// encodes, a value JSON cannot write in one member that pick chooses, and
// checks that its MarshalJSON refuses it naming that member below the
// type's name (the only member that cannot be encoded), with an error that
// wraps ErrInvalid and says "cannot be encoded", without encoding/json's
// words around it. Other types are left alone.
func checkMarshalNames(t *testing.T, v any, pick int) {
	t.Helper()
	xyz := time.FixedZone("XYZ", 3600)
	unnamed, err := sp.NewPeriod(time.Date(2026, 11, 1, 0, 0, 0, 0, xyz), time.Date(2026, 12, 1, 0, 0, 0, 0, xyz))
	if err != nil {
		t.Fatal(err)
	}
	farActivity := &pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Due: far}
	var m json.Marshaler
	var want string
	switch x := v.(type) {
	case pipeline.DealEvent:
		switch pick % 4 {
		case 0:
			x.Closed, want = far, "deal_event.closed"
		case 1:
			x.Loss, want = &pipeline.LossReason{Category: "vibes"}, "deal_event.loss"
		case 2:
			x.Activity, want = farActivity, "deal_event.activity.due"
		default:
			x.Feedback = append(slices.Clone(x.Feedback), sp.Feedback{ID: "f", Time: far})
			want = fmt.Sprintf("deal_event.feedback[%d]", len(x.Feedback)-1)
		}
		m = x
	case pipeline.InquiryEvent:
		switch pick % 3 {
		case 0:
			x.Received, want = far, "inquiry_event.received"
		case 1:
			x.Stage, want = "vibes", "inquiry_event.stage"
		default:
			x.Activity, want = farActivity, "inquiry_event.activity.due"
		}
		m = x
	case pipeline.DealFilter:
		if pick%2 == 0 {
			x.Created, want = unnamed, "deal_filter.created"
		} else {
			x.Stages = append(slices.Clone(x.Stages), "Not a key")
			want = fmt.Sprintf("deal_filter.stages[%d]", len(x.Stages)-1)
		}
		m = x
	case pipeline.Spec:
		switch pick % 4 {
		case 0:
			x.Stages = append(slices.Clone(x.Stages), pipeline.StageSpec{Key: "Not a key", Kind: pipeline.KindOpen})
			want = fmt.Sprintf("spec.stages[%d]", len(x.Stages)-1)
		case 1:
			x.Stages = append(slices.Clone(x.Stages), pipeline.StageSpec{Key: "open", Kind: "vibes"})
			want = fmt.Sprintf("spec.stages[%d]", len(x.Stages)-1)
		case 2:
			x.Moves = append(slices.Clone(x.Moves), pipeline.Move{From: "open", To: "Won"})
			want = fmt.Sprintf("spec.moves[%d]", len(x.Moves)-1)
		default:
			x.Reopen = append(slices.Clone(x.Reopen), pipeline.Move{From: "-", To: "open"})
			want = fmt.Sprintf("spec.reopen[%d]", len(x.Reopen)-1)
		}
		m = x
	case pipeline.InquiryFilter:
		if pick%2 == 0 {
			x.Received, want = unnamed, "inquiry_filter.received"
		} else {
			x.Stages = append(slices.Clone(x.Stages), "vibes")
			want = fmt.Sprintf("inquiry_filter.stages[%d]", len(x.Stages)-1)
		}
		m = x
	default:
		return
	}
	raw, err := m.MarshalJSON()
	var ve *sp.ValidationError
	var me *json.MarshalerError
	switch {
	case err == nil:
		t.Fatalf("%T with a bad %s encodes: %s", v, want, raw)
	case !errors.Is(err, sp.ErrInvalid) || !errors.As(err, &ve) || ve.Field != want || ve.Reason != "cannot be encoded":
		t.Fatalf("%T with a bad %s: %v", v, want, err)
	case errors.As(err, &me) || strings.Contains(err.Error(), "json: error calling"):
		t.Fatalf("%T with a bad %s: encoding/json's error around it: %v", v, want, err)
	}
}

// FuzzLinesTotal computes totals of random lines, mostly valid ones of one
// currency (each line's quantity 1 to 100, discount 0 to 1), with rare
// invalid values chosen by explicit bytes: a negative or overflowing
// quantity, a line in another currency, a discount above 1 or of any
// exponent. Every error wraps ErrInvalid or ErrCurrencyMismatch; a total
// is a valid amount of the lines' currency, rounded to its minor unit,
// and the sum of the lines' totals, which each lie between zero and
// quantity × unit price.
func FuzzLinesTotal(f *testing.F) {
	f.Add([]byte{1, 10, 0, 200, 2, 0, 1, 5}, int64(0))
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 127}, int64(-5))
	f.Add([]byte{}, int64(math.MaxInt64))
	f.Add([]byte{2, 99, 9, 9, 7, 3, 2, 50, 9, 33, 9, 9, 120, 40, 4, 100, 9}, int64(3))
	f.Fuzz(func(t *testing.T, data []byte, exp int64) {
		r := newFuzzStream(data)
		cur := []sp.Currency{"EUR", "JPY", "KWD"}[r.next()%3]
		var lines []pipeline.Line
		for r.more() && len(lines) < 50 {
			q := int64(r.next()%100) + 1
			switch r.next() {
			case 0:
				q = -q
			case 1:
				q *= math.MaxInt64 / 128 // huge: beyond the bounds of money at most prices
			}
			c := cur
			if r.next() == 0 {
				c = "USD"
			}
			price, err := sp.NewMoney(decimal.New(int64(r.next())*int64(r.next()+1), -int32(r.next()%6)), c)
			if err != nil {
				t.Fatal(err)
			}
			disc := decimal.New(int64(r.next()%101), -2)
			switch r.next() {
			case 0:
				disc = decimal.New(1, int32(exp)) // any exponent, even absurd ones
			case 1:
				disc = decimal.New(int64(r.next())+101, -2) // above 1
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

// FuzzNewDefinition builds deal pipelines from random specs. Mostly the
// spec is valid: 3 to 9 stages with distinct keys and orders, at least one
// open, one won and one lost, open probabilities from 0 to 1, won stages at
// 0 or 1, lost at 0, default moves (backward or not) or custom ones that
// reach every stage, and reopen moves from closed to open stages; a byte
// from 224 up (12 %) gives it one flaw NewDefinition must refuse (a
// duplicate, malformed or unknown key, an unknown kind, a probability out
// of range for its kind, a repeated order, no open, won or lost stage, a
// reopen move from an open stage, a move out of a closed stage, a bad
// name), and one stage in nine has a probability of any exponent. It
// checks: NewDefinition refuses exactly the flawed specs (those with a
// probability of any exponent either way), with an error wrapping
// ErrInvalid; a pipeline's stages, kinds and probabilities agree with the
// spec; deals start in the open stage of the lowest order; the machine has
// exactly the moves the spec declares or implies (reopen moves only out of
// closed stages); and the pipeline renders, and a deal starts on it.
func FuzzNewDefinition(f *testing.F) {
	f.Add([]byte{4, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0}, int32(-2))
	f.Add([]byte{3, 9, 9, 9, 1, 2, 2, 2, 0, 1, 0, 1}, int32(math.MinInt32))
	f.Add([]byte{6, 0, 1, 2, 0, 1, 2, 5, 5, 5, 5, 5, 5, 3, 3, 3}, int32(math.MaxInt32))
	f.Add([]byte{6, 0, 1, 2, 0, 1, 2, 5, 5, 5, 5, 5, 5, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 230}, int32(0))
	// Four stages (s0 open, s1 won, s2 lost, s3 open), no reopen move,
	// default moves, then each of the 13 flaws: the last byte chooses flaw
	// b % 13.
	for b := byte(234); b <= 246; b++ {
		f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50, 1, 1, 70, 1, 1, 1, 1, b}, int32(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, exp int32) {
		r := newFuzzStream(data)
		n := 3 + r.next()%7
		spec := pipeline.Spec{Name: []string{"p", "", "fuzz_2"}[r.next()%3], Backward: r.next()%2 == 1}
		kinds := []pipeline.StageKind{pipeline.KindOpen, pipeline.KindWon, pipeline.KindLost}
		order := 0
		for i := range n {
			order += 1 + r.next()%3
			spec.Stages = append(spec.Stages, pipeline.StageSpec{
				Key: pipeline.DealStage(fmt.Sprintf("s%d", i)), Order: order, Kind: kinds[r.next()%3],
			})
		}
		base := r.next() % n // an open, a won and a lost stage at least
		for j, k := range kinds {
			spec.Stages[(base+j)%n].Kind = k
		}
		anyExp := false // a probability of any exponent: valid or not
		var opens, closed []pipeline.DealStage
		for i := range spec.Stages {
			st := &spec.Stages[i]
			switch st.Kind {
			case pipeline.KindOpen:
				opens = append(opens, st.Key)
				st.Probability = decimal.New(int64(r.next()%101), -2)
				if r.next()%9 == 0 {
					st.Probability, anyExp = decimal.New(int64(r.next()%3), exp), true
				}
			case pipeline.KindWon:
				closed = append(closed, st.Key)
				st.Probability = decimal.New(int64(r.next()%2), 0)
			default:
				closed = append(closed, st.Key)
			}
		}
		for _, c := range closed {
			if r.next()%2 == 0 {
				spec.Reopen = append(spec.Reopen, pipeline.Move{From: c, To: opens[r.next()%len(opens)]})
			}
		}
		if r.next()%4 == 0 { // custom moves: each open stage to the next one and to every closed one, and some more
			spec.Moves, spec.Backward = []pipeline.Move{}, false // Backward beside Moves is refused
			for i, o := range opens {
				if i+1 < len(opens) {
					spec.Moves = append(spec.Moves, pipeline.Move{From: o, To: opens[i+1]})
				}
				for _, c := range closed {
					spec.Moves = append(spec.Moves, pipeline.Move{From: o, To: c})
				}
				mv := pipeline.Move{From: o, To: opens[r.next()%len(opens)]}
				if mv.To != o && r.next()%2 == 0 && !slices.Contains(spec.Moves, mv) { // a move declared twice is refused
					spec.Moves = append(spec.Moves, mv)
				}
			}
		}
		flaw := -1
		if b := r.next(); b >= 224 {
			flaw = b % 13
			st := &spec.Stages[r.next()%n]
			switch flaw {
			case 0:
				spec.Stages[n-1].Key = spec.Stages[0].Key
			case 1:
				st.Key = "Bad Key"
			case 2:
				st.Kind = "maybe"
			case 3:
				st.Probability = []decimal.Decimal{decimal.New(-1, -2), decimal.New(101, -2)}[r.next()%2]
			case 4:
				spec.Stages[(base+1)%n].Probability = decimal.New(5, -1) // won
			case 5:
				spec.Stages[(base+2)%n].Probability = decimal.New(1, -2) // lost
			case 6:
				spec.Stages[n-1].Order = spec.Stages[0].Order
			case 7, 8, 9: // no open, won or lost stage
				gone, to := kinds[flaw-7], kinds[(flaw-6)%3]
				for i := range spec.Stages {
					if spec.Stages[i].Kind == gone {
						spec.Stages[i].Kind, spec.Stages[i].Probability = to, decimal.Zero
					}
				}
				spec.Reopen, spec.Moves = nil, nil
			case 10:
				spec.Reopen = append(spec.Reopen, pipeline.Move{From: opens[len(opens)-1], To: opens[0]})
			case 11:
				if spec.Moves == nil {
					spec.Moves = []pipeline.Move{{From: opens[0], To: closed[0]}}
				}
				spec.Moves = append(spec.Moves, pipeline.Move{From: closed[0], To: opens[0]})
			case 12:
				spec.Name = "Bad Name\n"
			}
		}
		def, err := pipeline.NewDefinition(spec)
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			if flaw < 0 && !anyExp {
				t.Fatalf("a valid spec refused: %v", err)
			}
			return
		}
		if flaw >= 0 {
			t.Fatalf("a spec with flaw %d accepted: %+v", flaw, spec)
		}
		checkDefinition(t, spec, def)
	})
}

// checkDefinition checks def, which NewDefinition built from spec: its
// stages, kinds and probabilities agree with the spec, deals start in the
// open stage of the lowest order, the machine has exactly the moves the
// spec declares or implies (reopen moves only out of closed stages), and
// the pipeline renders, and a deal starts on it.
func checkDefinition(t *testing.T, spec pipeline.Spec, def *pipeline.Definition) {
	t.Helper()
	var keys []pipeline.DealStage
	lowest := -1
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
		i := slices.IndexFunc(spec.Stages, func(s pipeline.StageSpec) bool { return s.Key == st.Key })
		if i < 0 {
			t.Fatalf("stage %s is not in the spec", st.Key)
		}
		want := spec.Stages[i].Probability
		switch k {
		case pipeline.KindWon:
			want = decimal.New(1, 0)
		case pipeline.KindLost:
			want = decimal.Zero
		}
		if spec.Stages[i].Kind != k || spec.Stages[i].Order != st.Order || !p.Equal(want) {
			t.Fatalf("stage %s: %s at %s, order %d; the spec has %+v", st.Key, k, p, st.Order, spec.Stages[i])
		}
		if k == pipeline.KindOpen && (lowest < 0 || st.Order < spec.Stages[lowest].Order) {
			lowest = i
		}
	}
	if len(keys) != len(spec.Stages) || def.Initial() != spec.Stages[lowest].Key {
		t.Fatalf("stages %v of %d, initial %s", keys, len(spec.Stages), def.Initial())
	}
	m := def.Machine()
	for _, a := range spec.Stages {
		for _, b := range spec.Stages {
			fwd := a.Kind == pipeline.KindOpen && a.Key != b.Key && (b.Kind != pipeline.KindOpen || b.Order > a.Order || spec.Backward)
			if spec.Moves != nil {
				fwd = slices.Contains(spec.Moves, pipeline.Move{From: a.Key, To: b.Key})
			}
			reopen := slices.Contains(spec.Reopen, pipeline.Move{From: a.Key, To: b.Key})
			if m.Allows(a.Key, b.Key, false) != fwd || m.Allows(a.Key, b.Key, true) != reopen {
				t.Fatalf("%s → %s: allowed %v, as reopen %v; the spec says %v and %v", a.Key, b.Key,
					m.Allows(a.Key, b.Key, false), m.Allows(a.Key, b.Key, true), fwd, reopen)
			}
		}
	}
	_ = def.Mermaid()
	_ = def.DOT()
	d := &pipeline.Deal{ID: "d", Owner: "o", Product: "p", Amount: pipelinetest.MustEUR("1")}
	if err := def.Start(d, stamp(0)); err != nil {
		t.Fatal(err)
	}
	if d.Stage != def.Initial() {
		t.Fatalf("a deal starts in %s, not in %s", d.Stage, def.Initial())
	}
}

// FuzzSpecJSON decodes arbitrary JSON as a pipeline's Spec, into a spec
// that holds the default one. It checks: an error wraps ErrInvalid and
// leaves the spec as it was, and so does null; what decodes encodes, or is
// refused with an error wrapping ErrInvalid that names the spec or a
// member of it; what encodes has the member "moves" exactly when Moves is
// not nil, and reads back with Moves nil or empty as it was, to the same
// bytes on a second round; and NewDefinition answers alike for the spec
// decoded and the one read back: the same error, wrapping ErrInvalid, or
// pipelines that agree with their specs (checkDefinition) and with each
// other.
func FuzzSpecJSON(f *testing.F) {
	custom := pipeline.Spec{Name: "renewals", Backward: true, Stages: []pipeline.StageSpec{
		{Key: "talk", Order: 1, Probability: decimal.New(3, -1), Kind: pipeline.KindOpen},
		{Key: "quote", Name: "Quote", Order: 2, Probability: decimal.New(75, -2), Kind: pipeline.KindOpen},
		{Key: "renewed", Name: "Renewed", Order: 3, Probability: decimal.New(1, 0), Kind: pipeline.KindWon},
		{Key: "churned", Order: 4, Kind: pipeline.KindLost},
	}, Moves: []pipeline.Move{{From: "talk", To: "quote"}, {From: "quote", To: "renewed"}, {From: "talk", To: "churned"},
		{From: "quote", To: "churned"}}, Reopen: []pipeline.Move{{From: "churned", To: "talk"}}}
	empty := pipeline.DefaultSpec()
	empty.Moves = []pipeline.Move{}
	for _, v := range []pipeline.Spec{pipeline.DefaultSpec(), custom, empty} {
		raw, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{`null`, `{}`, `[]`, `{"name":7}`, `{"stages":[{"key":"open","order":1.5}]}`,
		`{"stages":[{"key":"a","order":1,"probability":0.5,"kind":"open"},{"key":"w","order":2,"kind":"won"},{"key":"l","order":3,"kind":"lost"}],"moves":null}`,
		`{"stages":[{"key":"a","order":1,"probability":"0.5","kind":"open"},{"key":"w","order":2,"probability":1,"kind":"won"},{"key":"l","order":3,"kind":"lost"}],"backward":true,"moves":[{"from":"a","to":"w"},{"from":"a","to":"l"}],"reopen":[{"from":"l","to":"a"}]}`,
		`{"stages":[{"key":"a","order":1,"probability":"1e-99999","kind":"open"}]}`, `{"moves":[{"from":"a","to":"B"}]}`,
		`{"stages":[{"key":"a","order":1,"probability":"1e-9999","kind":"open"},{"key":"b","order":2,"probability":1e9999,"kind":"won"}]}`,
		`{"stages":[{"key":"a","kind":"open"},{"key":"b","kind":"won"}],"MOVES":[],"Moves":null}`,
		`{"stages":[{"key":"a","order":1,"probabilty":"0.4","kind":"open"}]}`, `{"stages":[{"key":"a","gates":[]}],"moves":[{"from":"a","to":"b","x":1}]}`,
		`{"stages":[{"key":"a","order":1,"kind":"open","order":2}],"moves":[{"from":"a","to":"b","TO":"c"}]}`, "\fnull", "null\u0085"} {
		f.Add([]byte(s))
	}
	// Probabilities beyond the digit bounds as written: refused by value
	// (1e99, however written), or only as written (a zero's exponent,
	// trailing zeros), which the encoding drops.
	for _, p := range []string{`1e99`, `1.000e99`, `"10e98"`, `0e60`, `"0e-50"`, `1.` + strings.Repeat("0", 45), `12345678901234567890123e80`} {
		s := `{"stages":[{"key":"a","order":1,"probability":` + p + `,"kind":"open"},{"key":"w","order":2,"kind":"won"},{"key":"l","order":3,"kind":"lost"}]}`
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v := pipeline.DefaultSpec()
		if err := v.UnmarshalJSON(data); err != nil || string(bytes.Trim(data, " \t\r\n")) == "null" {
			if err != nil && !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			if !reflect.DeepEqual(v, pipeline.DefaultSpec()) {
				t.Fatalf("a failed decoding, or null, changed the spec: %v", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("took %q, which is not JSON", data)
		}
		once, err := json.Marshal(v)
		if err != nil {
			var ve *sp.ValidationError
			if !errors.Is(err, sp.ErrInvalid) || !errors.As(err, &ve) || ve.Field != "spec" && !strings.HasPrefix(ve.Field, "spec.") {
				t.Fatalf("encoding a decoded spec: %v", err)
			}
			return
		}
		var members map[string]json.RawMessage
		if err := json.Unmarshal(once, &members); err != nil {
			t.Fatalf("%s: %v", once, err)
		}
		if _, ok := members["moves"]; ok != (v.Moves != nil) {
			t.Fatalf("Moves nil %v, written as %s", v.Moves == nil, once)
		}
		var again pipeline.Spec
		if err := json.Unmarshal(once, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", once, err)
		}
		if (again.Moves == nil) != (v.Moves == nil) {
			t.Fatalf("Moves nil %v reads back as nil %v from %s", v.Moves == nil, again.Moves == nil, once)
		}
		twice, err := json.Marshal(again)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("the round trip changed %s into %s (%v)", once, twice, err)
		}
		def, err := pipeline.NewDefinition(v)
		defAgain, errAgain := pipeline.NewDefinition(again)
		if err != nil && dropsBeyondDigits(v, again) {
			// sp.ValidateDecimal judges a decimal as written, and the
			// encoding writes it without the zeros of its form: 0e60 is
			// refused, and the 0 read back is taken, or refused by a
			// check that the digit bounds came before (a spec with no
			// open stage).
			if !errors.Is(err, sp.ErrInvalid) || errAgain != nil && !errors.Is(errAgain, sp.ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v; read back: %v", err, errAgain)
			}
			return
		}
		if (err == nil) != (errAgain == nil) || err != nil && err.Error() != errAgain.Error() {
			t.Fatalf("NewDefinition of the decoded spec: %v; of the one read back: %v", err, errAgain)
		}
		if err != nil {
			if !errors.Is(err, sp.ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		checkDefinition(t, v, def)
		checkDefinition(t, again, defAgain)
		if def.Name() != defAgain.Name() || def.Initial() != defAgain.Initial() || def.Mermaid() != defAgain.Mermaid() {
			t.Fatalf("the pipelines of the spec decoded and of the one read back differ:\n%s\n%s", def.Mermaid(), defAgain.Mermaid())
		}
	})
}

// dropsBeyondDigits reports whether a stage probability of v, a decoded
// spec, breaks the digit bounds of sp.ValidateDecimal as written while the
// same stage's probability in again, v encoded and read back, keeps them.
func dropsBeyondDigits(v, again pipeline.Spec) bool {
	for i, st := range v.Stages {
		if sp.ValidateDecimal(st.Probability) != nil && sp.ValidateDecimal(again.Stages[i].Probability) == nil {
			return true
		}
	}
	return false
}
