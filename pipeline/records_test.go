package pipeline_test

import (
	"encoding/json"
	"errors"
	"iter"
	"math"
	"strings"
	"testing"
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStageText(t *testing.T) {
	tests := []struct {
		name string
		text string
		ok   bool
		dst  interface {
			UnmarshalText([]byte) error
		}
	}{
		{"ok_inquiry_stage", "qualified", true, new(pipeline.InquiryStage)},
		{"err_inquiry_stage", "won", false, new(pipeline.InquiryStage)},
		{"ok_deal_stage_custom", "closed_won_2", true, new(pipeline.DealStage)},
		{"err_deal_stage_upper", "Won", false, new(pipeline.DealStage)},
		{"ok_service_stage", "delivered", true, new(pipeline.ServiceStage)},
		{"err_service_stage", "shipped", false, new(pipeline.ServiceStage)},
		{"ok_activity_kind", "demo", true, new(pipeline.ActivityKind)},
		{"err_activity_kind", "fax", false, new(pipeline.ActivityKind)},
		{"ok_loss_category", "no_decision", true, new(pipeline.LossCategory)},
		{"err_loss_category", "weather", false, new(pipeline.LossCategory)},
		{"ok_stage_kind", "won", true, new(pipeline.StageKind)},
		{"err_stage_kind", "closed", false, new(pipeline.StageKind)},
		{"ok_empty_is_zero", "", true, new(pipeline.DealStage)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.dst.UnmarshalText([]byte(tt.text))
			if tt.ok {
				require.NoError(t, err)
				raw, _ := json.Marshal(tt.dst)
				assert.Equal(t, `"`+tt.text+`"`, string(raw))
				return
			}
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.Contains(t, err.Error(), tt.text)
		})
	}
	st, err := pipeline.ParseInquiryStage("contacted")
	require.NoError(t, err)
	assert.Equal(t, "contacted", st.String())
	txt, _ := st.MarshalText()
	assert.Equal(t, "contacted", string(txt))
	_, err = pipeline.ParseInquiryStage("")
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.Contains(t, err.Error(), "missing inquiry stage")
	ss, err := pipeline.ParseServiceStage("followed_up")
	require.NoError(t, err)
	assert.Equal(t, "followed_up", ss.String())
	txt, _ = ss.MarshalText()
	assert.Equal(t, "followed_up", string(txt))
	_, err = pipeline.ParseServiceStage(strings.Repeat("x", 100))
	assert.ErrorIs(t, err, sp.ErrInvalid)
	assert.Contains(t, err.Error(), `"...`, "long text is cut")
	assert.True(t, pipeline.InquiryQualified.IsOpen())
	assert.False(t, pipeline.InquiryConverted.IsOpen())

	var d pipeline.Deal
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"stage":"New Stage"}`), &d), sp.ErrInvalid)
}

func TestLineTotals(t *testing.T) {
	tests := []struct {
		name  string
		line  pipeline.Line
		total string
		field string
	}{
		{"ok_plain", pipeline.Line{Product: "p", Quantity: 2, UnitPrice: eur("10.00")}, "20.00 EUR", ""},
		{"ok_discount_rounds_half_up", pipeline.Line{Product: "p", Quantity: 1, UnitPrice: eur("0.05"), Discount: dec("0.5")}, "0.03 EUR", ""},
		{"ok_full_discount", pipeline.Line{Product: "p", Quantity: 7, UnitPrice: eur("3"), Discount: dec("1")}, "0.00 EUR", ""},
		{"err_product", pipeline.Line{Quantity: 1, UnitPrice: eur("1")}, "", "product"},
		{"err_quantity", pipeline.Line{Product: "p", Quantity: 0, UnitPrice: eur("1")}, "", "quantity"},
		{"err_price_missing", pipeline.Line{Product: "p", Quantity: 1}, "", "unit_price"},
		{"err_price_negative", pipeline.Line{Product: "p", Quantity: 1, UnitPrice: eur("-1")}, "", "unit_price"},
		{"err_discount", pipeline.Line{Product: "p", Quantity: 1, UnitPrice: eur("1"), Discount: dec("-0.1")}, "", "discount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.line.Total()
			if tt.field == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.total, got.String())
				return
			}
			assert.ErrorIs(t, err, sp.ErrInvalid)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.True(t, strings.HasPrefix(ve.Field, tt.field), ve.Field)
		})
	}
	_, err := pipeline.LinesTotal(nil)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	_, err = pipeline.LinesTotal(make([]pipeline.Line, 1001))
	assert.ErrorIs(t, err, sp.ErrInvalid)
	usd, _ := sp.ParseMoney("5.00 USD")
	_, err = pipeline.LinesTotal([]pipeline.Line{
		{Product: "p", Quantity: 1, UnitPrice: eur("1")},
		{Product: "q", Quantity: 1, UnitPrice: usd},
	})
	// A line in another currency is a bad line, named by its path, and a
	// currency mismatch.
	assert.ErrorIs(t, err, sp.ErrCurrencyMismatch)
	assert.ErrorIs(t, err, sp.ErrInvalid)
	var mixed *sp.ValidationError
	require.ErrorAs(t, err, &mixed)
	assert.Equal(t, "lines[1].unit_price", mixed.Field)
	_, err = pipeline.LinesTotal([]pipeline.Line{{Product: "p", Quantity: 1, UnitPrice: eur("1")}, {Product: "q"}})
	var ve *sp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "lines[1].quantity", ve.Field)
}

func TestActivityAndLossValidation(t *testing.T) {
	ok := pipeline.Activity{ID: "a", Kind: pipeline.ActivityCall, Actor: "rep", Done: t0}
	require.NoError(t, ok.Validate())
	assert.True(t, ok.IsDone())
	tests := []struct {
		name  string
		edit  func(*pipeline.Activity)
		field string
	}{
		{"err_no_id", func(a *pipeline.Activity) { a.ID = "" }, "id"},
		{"err_long_id", func(a *pipeline.Activity) { a.ID = strings.Repeat("a", 129) }, "id"},
		{"err_id_control", func(a *pipeline.Activity) { a.ID = "a\nb" }, "id"},
		{"err_kind", func(a *pipeline.Activity) { a.Kind = "" }, "kind"},
		{"err_actor", func(a *pipeline.Activity) { a.Actor = "" }, "actor"},
		{"err_no_time", func(a *pipeline.Activity) { a.Done = time.Time{} }, "done"},
		{"err_outcome", func(a *pipeline.Activity) { a.Outcome = strings.Repeat("x", 1025) }, "outcome"},
		{"err_notes", func(a *pipeline.Activity) { a.Notes = "\xff" }, "notes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.edit(&a)
			err := a.Validate()
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
	assert.NoError(t, pipeline.LossReason{Category: pipeline.LossProduct, Detail: "missing feature"}.Validate())
	assert.ErrorIs(t, pipeline.LossReason{Category: pipeline.LossProduct}.Validate(), sp.ErrInvalid)
	assert.ErrorIs(t, pipeline.LossReason{Category: pipeline.LossProduct, Detail: strings.Repeat("x", 2000)}.Validate(), sp.ErrInvalid)
}

func TestHistoryHelpers(t *testing.T) {
	h := []dealTrans{
		{To: "a", At: t0},
		{From: "a", To: "b", At: t0.Add(time.Hour)},
		{From: "b", To: "a", At: t0.Add(3 * time.Hour)},
		{From: "a", To: "won", At: t0.Add(4 * time.Hour)},
	}
	require.NoError(t, pipeline.CheckHistory[pipeline.DealStage]("won", h))
	assert.Equal(t, map[pipeline.DealStage]time.Duration{"a": 2 * time.Hour, "b": 2 * time.Hour, "won": time.Hour},
		pipeline.TimeInStages(h, t0.Add(5*time.Hour)))
	d := pipeline.Deal{History: h, Closed: t0.Add(4 * time.Hour)}
	assert.Equal(t, time.Duration(0), d.TimeInStages(t0.Add(100 * time.Hour))["won"], "a closed deal's clock stops at its close")
	in := pipeline.Inquiry{History: []pipeline.Transition[pipeline.InquiryStage]{{To: "new", At: t0}}}
	assert.Equal(t, time.Hour, in.TimeInStages(t0.Add(time.Hour))[pipeline.InquiryNew])

	tests := []struct {
		name  string
		stage pipeline.DealStage
		h     []dealTrans
		field string
	}{
		{"err_empty", "a", nil, "history"},
		{"err_first_from", "a", []dealTrans{{From: "x", To: "a"}}, "history[0].from"},
		{"err_gap", "b", []dealTrans{{To: "a"}, {From: "c", To: "b"}}, "history[1].from"},
		{"err_time_backward", "b", []dealTrans{{To: "a", At: t0}, {From: "a", To: "b", At: t0.Add(-time.Second)}}, "history[1].at"},
		{"err_last_to", "b", []dealTrans{{To: "a"}}, "history"},
		{"err_zero_transition", "", []dealTrans{{}}, "history[0].to"},
		{"err_empty_to", "", []dealTrans{{To: "a", At: t0}, {From: "a", At: t0}}, "history[1].to"},
		{"err_zero_at", "b", []dealTrans{{To: "a", At: t0}, {From: "a", To: "b"}}, "history[1].at"},
		{"err_zero_first_at", "a", []dealTrans{{To: "a"}}, "history[0].at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pipeline.CheckHistory(tt.stage, tt.h)
			var ve *sp.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
}

func TestFollowUpPolicy(t *testing.T) {
	p := pipeline.FollowUpPolicy{FirstContact: 4 * time.Hour, NextTouch: 24 * time.Hour}
	fresh := pipeline.Inquiry{ID: "i1", Owner: "rep-ann", Stage: pipeline.InquiryNew, Received: t0,
		History: []pipeline.Transition[pipeline.InquiryStage]{{To: pipeline.InquiryNew, At: t0}}}
	contacted := fresh.Clone()
	contacted.Stage = pipeline.InquiryContacted
	contacted.History = append(contacted.History, pipeline.Transition[pipeline.InquiryStage]{From: "new", To: "contacted", At: t0.Add(2 * time.Hour)})
	touched := contacted.Clone()
	touched.Activities = []pipeline.Activity{
		{ID: "a", Kind: pipeline.ActivityCall, Done: t0.Add(time.Hour)},
		{ID: "b", Kind: pipeline.ActivityVisit, Done: t0.Add(10 * time.Hour)},
		{ID: "c", Kind: pipeline.ActivityCall, Due: t0.Add(99 * time.Hour)},
	}
	closed := contacted.Clone()
	closed.Stage = pipeline.InquiryDisqualified

	tests := []struct {
		name  string
		p     pipeline.FollowUpPolicy
		in    pipeline.Inquiry
		at    time.Time
		late  time.Duration
		first bool
		ok    bool
	}{
		{"in_time_for_first_contact", p, fresh, t0.Add(4 * time.Hour), 0, false, false},
		{"late_first_contact", p, fresh, t0.Add(5 * time.Hour), time.Hour, true, true},
		{"next_touch_due", p, contacted, t0.Add(20 * time.Hour), 0, false, false},
		{"late_next_touch", p, contacted, t0.Add(27 * time.Hour), time.Hour, false, true},
		{"a_later_activity_counts", p, touched, t0.Add(27 * time.Hour), 0, false, false},
		{"closed_never_late", p, closed, t0.Add(1000 * time.Hour), 0, false, false},
		{"no_first_limit", pipeline.FollowUpPolicy{NextTouch: time.Hour}, fresh, t0.Add(1000 * time.Hour), 0, false, false},
		{"no_next_limit", pipeline.FollowUpPolicy{FirstContact: time.Hour}, contacted, t0.Add(1000 * time.Hour), 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, late := tt.p.Check(tt.in, tt.at)
			assert.Equal(t, tt.ok, late)
			if late {
				assert.Equal(t, tt.late, o.Late)
				assert.Equal(t, tt.first, o.FirstContact)
				assert.Equal(t, sp.InquiryID("i1"), o.Inquiry)
				assert.Equal(t, sp.RepID("rep-ann"), o.Owner)
			}
		})
	}
	first, ok := pipeline.FirstContact(touched)
	assert.True(t, ok)
	assert.Equal(t, t0.Add(time.Hour), first, "the earlier of the first done activity and the move to contacted")
	_, ok = pipeline.FirstResponse(fresh)
	assert.False(t, ok)
	resp, ok := pipeline.FirstResponse(contacted)
	assert.True(t, ok)
	assert.Equal(t, 2*time.Hour, resp)

	boom := errors.New("list failed")
	seq := func(yield func(pipeline.Inquiry, error) bool) {
		if !yield(fresh, nil) {
			return
		}
		yield(pipeline.Inquiry{}, boom)
	}
	var got []error
	for _, err := range p.Overdue(iter.Seq2[pipeline.Inquiry, error](seq), t0.Add(5*time.Hour)) {
		got = append(got, err)
	}
	assert.Equal(t, []error{nil, boom}, got)
}

func TestClone(t *testing.T) {
	d := pipeline.Deal{
		Lines:   []pipeline.Line{{Product: "p"}},
		History: []dealTrans{{To: "a"}}, Activities: []pipeline.Activity{{ID: "x"}},
		Loss:    &pipeline.LossReason{Detail: "x"},
		Service: &pipeline.Service{History: []pipeline.Transition[pipeline.ServiceStage]{{To: "awaiting_delivery"}}, Feedback: []sp.Feedback{{ID: "f"}}},
	}
	c := d.Clone()
	c.Lines[0].Product, c.History[0].To, c.Activities[0].ID = "q", "b", "y"
	c.Loss.Detail, c.Service.History[0].To, c.Service.Feedback[0].ID = "y", "delivered", "g"
	assert.Equal(t, sp.ProductID("p"), d.Lines[0].Product)
	assert.Equal(t, pipeline.DealStage("a"), d.History[0].To)
	assert.Equal(t, "x", d.Activities[0].ID)
	assert.Equal(t, "x", d.Loss.Detail)
	assert.Equal(t, pipeline.ServiceAwaitingDelivery, d.Service.History[0].To)
	assert.Equal(t, sp.FeedbackID("f"), d.Service.Feedback[0].ID)
	in := pipeline.Inquiry{History: []pipeline.Transition[pipeline.InquiryStage]{{To: "new"}}}
	ci := in.Clone()
	ci.History[0].To = "contacted"
	assert.Equal(t, pipeline.InquiryNew, in.History[0].To)
}

// TestJSONLeavesOutZeroTimes checks that a zero period or time is left
// out of the JSON of the types that say so, on every supported Go
// (omitzero, which would do it, came with Go 1.24), and that the JSON
// decodes back to the same value.
func TestJSONLeavesOutZeroTimes(t *testing.T) {
	nov := sp.Month(2026, time.November, time.UTC)
	closed := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name       string
		v, decoded any
		want       string
	}{
		{"deal_filter/zero", pipeline.DealFilter{}, new(pipeline.DealFilter), `{}`},
		{"deal_filter/set", pipeline.DealFilter{Owner: "ann", Closed: nov}, new(pipeline.DealFilter), `{"owner":"ann","closed":"2026-11"}`},
		{"deal_filter/both", pipeline.DealFilter{Created: nov, Closed: nov}, new(pipeline.DealFilter), `{"created":"2026-11","closed":"2026-11"}`},
		{"inquiry_filter/zero", pipeline.InquiryFilter{After: "i-1"}, new(pipeline.InquiryFilter), `{"after":"i-1"}`},
		{"inquiry_filter/set", pipeline.InquiryFilter{Received: nov}, new(pipeline.InquiryFilter), `{"received":"2026-11"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := json.Marshal(tt.v)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(raw))
			require.NoError(t, json.Unmarshal(raw, tt.decoded))
			back, err := json.Marshal(tt.decoded)
			require.NoError(t, err)
			assert.Equal(t, string(raw), string(back))
		})
	}
	t.Run("deal_event", func(t *testing.T) {
		for _, at := range []time.Time{{}, closed} {
			raw, err := json.Marshal(pipeline.DealEvent{Deal: "d-1", Stage: pipeline.DealWon, Closed: at})
			require.NoError(t, err)
			var m map[string]any
			require.NoError(t, json.Unmarshal(raw, &m))
			_, has := m["closed"]
			assert.Equal(t, !at.IsZero(), has, "%s", raw)
			var back pipeline.DealEvent
			require.NoError(t, json.Unmarshal(raw, &back))
			assert.True(t, back.Closed.Equal(at), "%s", raw)
		}
	})
}

// TestDealEventMarshalJSONIsMarshal checks that DealEvent.MarshalJSON
// returns the bytes json.Marshal gives, which the engine's events carry:
// compact, with <, >, &, U+2028 and U+2029 escaped and invalid UTF-8
// replaced, so that the engine may take them without compacting them
// again.
func TestDealEventMarshalJSONIsMarshal(t *testing.T) {
	amount, err := sp.ParseMoney("1200.50 EUR")
	require.NoError(t, err)
	for _, reason := range []string{"", "plain", "<b>a & b</b>", "line\u2028sep\u2029end", "bad \xff utf-8", "tab\tquote\"back\\slash", "é ünï \x01"} {
		ev := pipeline.DealEvent{
			Deal: "d-<1>", Version: 3, Pipeline: "p&q", From: pipeline.DealProposal, Stage: pipeline.DealLost,
			Owner: "ann", Customer: "acme", Product: "widget", Amount: amount,
			Closed: time.Date(2026, 11, 20, 9, 0, 0, 0, time.FixedZone("x", 3600)),
			Loss:   &pipeline.LossReason{Category: pipeline.LossPrice, Detail: reason},
			Reason: reason, Activity: &pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Notes: reason},
			Feedback: []sp.Feedback{{ID: "f1", Text: reason, Rating: 3}},
		}
		want, err := json.Marshal(ev)
		require.NoError(t, err)
		got, err := ev.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "reason %q", reason)
	}
}

// TimeInStages has an entry for each stage of the history, zero for a stage
// passed through at once and for the current stage entered at until.
func TestTimeInStagesListsEveryStage(t *testing.T) {
	h := []dealTrans{
		{To: "a", At: t0},
		{From: "a", To: "b", At: t0.Add(time.Hour)},
		{From: "b", To: "c", At: t0.Add(time.Hour)},
		{From: "c", To: "won", At: t0.Add(3 * time.Hour)},
	}
	assert.Equal(t, map[pipeline.DealStage]time.Duration{"a": time.Hour, "b": 0, "c": 2 * time.Hour, "won": 0},
		pipeline.TimeInStages(h, t0.Add(3*time.Hour)))
}

// A stage visited twice over the centuries a valid time allows spends
// more than the largest Duration in it: the sum stops there, where it
// wrapped to a negative time.
func TestTimeInStagesCapsAtTheLargestDuration(t *testing.T) {
	h := []dealTrans{
		{To: "a", At: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{From: "a", To: "b", At: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{From: "b", To: "a", At: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	got := pipeline.TimeInStages(h, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.Equal(t, time.Duration(math.MaxInt64), got["a"])
	assert.Equal(t, 366*24*time.Hour, got["b"])
}

// The Parse functions' errors carry the package prefix, as the package doc
// says and as training.ParseVersion's and review.ParseRules' do.
func TestParseStageErrorPrefix(t *testing.T) {
	_, err := pipeline.ParseInquiryStage("closed")
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.True(t, strings.HasPrefix(err.Error(), "pipeline: "), err.Error())
	_, err = pipeline.ParseDealStage("New Stage")
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.True(t, strings.HasPrefix(err.Error(), "pipeline: "), err.Error())
	_, err = pipeline.ParseServiceStage("shipped")
	require.ErrorIs(t, err, sp.ErrInvalid)
	assert.True(t, strings.HasPrefix(err.Error(), "pipeline: "), err.Error())
}

// Activity.Validate takes the times sp.ValidateTime takes: not one in a
// zone a day off UTC, which RFC 3339 cannot write.
func TestActivityTimesAreThoseValidateTimeTakes(t *testing.T) {
	a := pipeline.Activity{ID: "a1", Kind: pipeline.ActivityCall, Actor: "rep-ann",
		Due: time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("far", 24*3600))}
	assert.ErrorIs(t, a.Validate(), sp.ErrInvalid)
	a.Due = a.Due.In(time.FixedZone("near", 23*3600+59*60))
	assert.NoError(t, a.Validate())
}
