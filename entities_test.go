package salesprocess_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sp "github.com/salesprocess/salesprocess"
)

// checkValidation asserts that err is nil when wantField is empty, and
// otherwise a *ValidationError for wantField.
func checkValidation(tb testing.TB, err error, wantField string) {
	tb.Helper()
	if wantField == "" {
		assert.NoError(tb, err)
		return
	}
	assert.ErrorIs(tb, err, sp.ErrInvalid)
	var ve *sp.ValidationError
	if assert.ErrorAs(tb, err, &ve) {
		assert.Equal(tb, wantField, ve.Field, "error: %v", err)
	}
}

func TestRepValidate(t *testing.T) {
	ok := sp.Rep{ID: "r1", Name: "Ana", Region: "north", Hired: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name      string
		edit      func(*sp.Rep)
		wantField string
	}{
		{name: "ok", edit: func(*sp.Rep) {}},
		{name: "ok_no_region", edit: func(r *sp.Rep) { r.Region = "" }},
		{name: "err_id", edit: func(r *sp.Rep) { r.ID = "" }, wantField: "rep.id"},
		{name: "err_name_empty", edit: func(r *sp.Rep) { r.Name = "" }, wantField: "rep.name"},
		{name: "err_name_long", edit: func(r *sp.Rep) { r.Name = strings.Repeat("a", 257) }, wantField: "rep.name"},
		{name: "err_name_utf8", edit: func(r *sp.Rep) { r.Name = "\xff" }, wantField: "rep.name"},
		{name: "err_region", edit: func(r *sp.Rep) { r.Region = " north" }, wantField: "rep.region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.edit(&r)
			checkValidation(t, r.Validate(), tt.wantField)
		})
	}
}

func TestRegion(t *testing.T) {
	berlin := location(t, "Europe/Berlin")
	t.Run("validate", func(t *testing.T) {
		ok := sp.Region{ID: "de", Name: "Germany", Location: berlin, Manager: "m1"}
		tests := []struct {
			name      string
			edit      func(*sp.Region)
			wantField string
		}{
			{name: "ok", edit: func(*sp.Region) {}},
			{name: "ok_no_location_no_manager", edit: func(r *sp.Region) { r.Location, r.Manager = nil, "" }},
			{name: "err_id", edit: func(r *sp.Region) { r.ID = "\n" }, wantField: "region.id"},
			{name: "err_name", edit: func(r *sp.Region) { r.Name = "" }, wantField: "region.name"},
			{name: "err_manager", edit: func(r *sp.Region) { r.Manager = "m\x01" }, wantField: "region.manager"},
			{name: "ok_fixed_zone_iana_name", edit: func(r *sp.Region) { r.Location = time.FixedZone("Etc/GMT-1", 3600) }},
			{name: "err_local_zone", edit: func(r *sp.Region) { r.Location = machineLocal }, wantField: "region.time_zone"},
			{name: "err_unnamed_zone", edit: func(r *sp.Region) { r.Location = time.FixedZone("", 7200) }, wantField: "region.time_zone"},
			{name: "err_fixed_zone_unknown_name", edit: func(r *sp.Region) { r.Location = time.FixedZone("XYZ", 3600) }, wantField: "region.time_zone"},
			{name: "err_fixed_zone_borrowed_name", edit: func(r *sp.Region) { r.Location = time.FixedZone("Europe/Berlin", 7*3600) }, wantField: "region.time_zone"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := ok
				tt.edit(&r)
				err := r.Validate()
				checkValidation(t, err, tt.wantField)
				if err == nil {
					_, err := json.Marshal(r)
					assert.NoError(t, err, "a region that validates encodes")
				}
			})
		}
	})
	t.Run("loc_and_month", func(t *testing.T) {
		assert.Equal(t, time.UTC, sp.Region{}.Loc())
		r := sp.Region{ID: "de", Name: "Germany", Location: berlin}
		assert.Equal(t, "2026-03[Europe/Berlin]", r.Month(2026, time.March).String())
	})
	t.Run("json", func(t *testing.T) {
		r := sp.Region{ID: "de", Name: "Germany", Location: berlin, Manager: "m1"}
		data, err := json.Marshal(r)
		require.NoError(t, err)
		assert.JSONEq(t, `{"id":"de","name":"Germany","time_zone":"Europe/Berlin","manager":"m1"}`, string(data))
		var back sp.Region
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, r.ID, back.ID)
		assert.Equal(t, r.Name, back.Name)
		assert.Equal(t, r.Manager, back.Manager)
		assert.Equal(t, "Europe/Berlin", back.Loc().String())
	})
	t.Run("json_utc_default", func(t *testing.T) {
		data, err := json.Marshal(sp.Region{ID: "x", Name: "X"})
		require.NoError(t, err)
		assert.JSONEq(t, `{"id":"x","name":"X","time_zone":"UTC"}`, string(data))
		var back sp.Region
		require.NoError(t, json.Unmarshal([]byte(`{"id":"x","name":"X"}`), &back))
		assert.Equal(t, time.UTC, back.Loc())
	})
	t.Run("json_null_leaves_value", func(t *testing.T) {
		for _, null := range []string{"null", " null ", "\n\tnull\r\n"} {
			r := sp.Region{ID: "x", Location: berlin}
			require.NoError(t, r.UnmarshalJSON([]byte(null)))
			assert.Equal(t, sp.RegionID("x"), r.ID, "%q", null)
			assert.Same(t, berlin, r.Location, "%q", null)
		}
	})
	bad := []struct {
		name, in, wantField string
	}{
		{name: "err_unknown_zone", in: `{"id":"x","name":"X","time_zone":"Mars/Base"}`, wantField: "region.time_zone"},
		{name: "err_not_object", in: `"x"`, wantField: "region"},
		{name: "err_bad_id_type", in: `{"id":1}`, wantField: "region.id"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := sp.Region{ID: "keep"}
			checkValidation(t, r.UnmarshalJSON([]byte(tt.in)), tt.wantField)
			assert.Equal(t, sp.RegionID("keep"), r.ID)
		})
	}
}

func TestProductValidate(t *testing.T) {
	ok := sp.Product{ID: "p1", Name: "Widget", Owner: "pm1", Price: money(t, "9.99 EUR")}
	tests := []struct {
		name      string
		edit      func(*sp.Product)
		wantField string
	}{
		{name: "ok", edit: func(*sp.Product) {}},
		{name: "ok_no_price_no_owner", edit: func(p *sp.Product) { p.Price, p.Owner = sp.Money{}, "" }},
		{name: "ok_free", edit: func(p *sp.Product) { p.Price = money(t, "0 EUR") }},
		{name: "err_id", edit: func(p *sp.Product) { p.ID = "" }, wantField: "product.id"},
		{name: "err_name", edit: func(p *sp.Product) { p.Name = "" }, wantField: "product.name"},
		{name: "err_owner", edit: func(p *sp.Product) { p.Owner = "a\x7f" }, wantField: "product.owner"},
		{name: "err_negative_price", edit: func(p *sp.Product) { p.Price = money(t, "-1 EUR") }, wantField: "product.price"},
		{name: "err_price_out_of_bounds", edit: func(p *sp.Product) { p.Price = money(t, "0."+strings.Repeat("1", 40)+" EUR").Mul(dec(t, "0.1")) },
			wantField: "product.price.amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.edit(&p)
			checkValidation(t, p.Validate(), tt.wantField)
		})
	}
	t.Run("json_round_trip", func(t *testing.T) {
		data, err := json.Marshal(ok)
		require.NoError(t, err)
		assert.JSONEq(t, `{"id":"p1","name":"Widget","owner":"pm1","price":{"amount":"9.99","currency":"EUR"}}`, string(data))
		var back sp.Product
		require.NoError(t, json.Unmarshal(data, &back))
		assert.True(t, back.Price.Equal(ok.Price))
		assert.Equal(t, ok.ID, back.ID)
	})
}

func TestChannelValidate(t *testing.T) {
	ok := sp.Channel{ID: "c1", Name: "Door to door", Kind: sp.ChannelFieldVisit}
	tests := []struct {
		name      string
		edit      func(*sp.Channel)
		wantField string
	}{
		{name: "ok", edit: func(*sp.Channel) {}},
		{name: "err_id", edit: func(c *sp.Channel) { c.ID = "" }, wantField: "channel.id"},
		{name: "err_name", edit: func(c *sp.Channel) { c.Name = "" }, wantField: "channel.name"},
		{name: "err_kind_missing", edit: func(c *sp.Channel) { c.Kind = "" }, wantField: "channel.kind"},
		{name: "err_kind_unknown", edit: func(c *sp.Channel) { c.Kind = "telepathy" }, wantField: "channel.kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			checkValidation(t, c.Validate(), tt.wantField)
		})
	}
}

func TestCampaignValidate(t *testing.T) {
	ok := sp.Campaign{ID: "spring", Name: "Spring", Channel: "c1", Product: "p1",
		Period: sp.Quarter(2026, 2, nil), Budget: money(t, "5000 EUR")}
	tests := []struct {
		name      string
		edit      func(*sp.Campaign)
		wantField string
	}{
		{name: "ok", edit: func(*sp.Campaign) {}},
		{name: "ok_whole_range_no_budget", edit: func(c *sp.Campaign) { c.Product, c.Budget = "", sp.Money{} }},
		{name: "err_id", edit: func(c *sp.Campaign) { c.ID = "" }, wantField: "campaign.id"},
		{name: "err_name", edit: func(c *sp.Campaign) { c.Name = "" }, wantField: "campaign.name"},
		{name: "err_channel", edit: func(c *sp.Campaign) { c.Channel = "" }, wantField: "campaign.channel"},
		{name: "err_product", edit: func(c *sp.Campaign) { c.Product = " p" }, wantField: "campaign.product"},
		{name: "err_period", edit: func(c *sp.Campaign) { c.Period = sp.Period{} }, wantField: "campaign.period"},
		{name: "ok_period_fixed_zone_iana_name", edit: func(c *sp.Campaign) { c.Period = sp.Month(2026, 4, time.FixedZone("Etc/GMT-1", 3600)) }},
		{name: "err_period_local_zone", edit: func(c *sp.Campaign) { c.Period = sp.Month(2026, 4, machineLocal) }, wantField: "campaign.period"},
		{name: "err_period_fixed_zone_unknown_name", edit: func(c *sp.Campaign) { c.Period = sp.Month(2026, 4, time.FixedZone("XYZ", 3600)) },
			wantField: "campaign.period"},
		{name: "err_period_fixed_zone_borrowed_name", edit: func(c *sp.Campaign) { c.Period = sp.Month(2026, 4, time.FixedZone("Europe/Berlin", 7*3600)) },
			wantField: "campaign.period"},
		{name: "err_budget_negative", edit: func(c *sp.Campaign) { c.Budget = money(t, "-1 EUR") }, wantField: "campaign.budget"},
		{name: "err_budget_bounds", edit: func(c *sp.Campaign) { c.Budget = money(t, "1 EUR").Mul(dec(t, "1e-41")) }, wantField: "campaign.budget.amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Validate()
			checkValidation(t, err, tt.wantField)
			if err == nil {
				_, err := json.Marshal(c)
				assert.NoError(t, err, "a campaign that validates encodes")
			}
		})
	}
	t.Run("json_round_trip", func(t *testing.T) {
		data, err := json.Marshal(ok)
		require.NoError(t, err)
		var back sp.Campaign
		require.NoError(t, json.Unmarshal(data, &back))
		assert.True(t, back.Period.Equal(ok.Period))
		assert.True(t, back.Budget.Equal(ok.Budget))
	})
}

func TestCustomerValidate(t *testing.T) {
	ok := sp.Customer{ID: "cu1", Name: "Acme", Locality: "Köln", Region: "de"}
	tests := []struct {
		name      string
		edit      func(*sp.Customer)
		wantField string
	}{
		{name: "ok", edit: func(*sp.Customer) {}},
		{name: "ok_minimal", edit: func(c *sp.Customer) { c.Locality, c.Region = "", "" }},
		{name: "err_id", edit: func(c *sp.Customer) { c.ID = "" }, wantField: "customer.id"},
		{name: "err_name", edit: func(c *sp.Customer) { c.Name = "" }, wantField: "customer.name"},
		{name: "err_locality", edit: func(c *sp.Customer) { c.Locality = strings.Repeat("k", 300) }, wantField: "customer.locality"},
		{name: "err_region", edit: func(c *sp.Customer) { c.Region = "de " }, wantField: "customer.region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			checkValidation(t, c.Validate(), tt.wantField)
		})
	}
}

func TestEnumText(t *testing.T) {
	type enum interface {
		UnmarshalText([]byte) error
		Validate() error
	}
	tests := []struct {
		name  string
		new   func() enum
		good  []string
		wants string // part of the error for unknown text
	}{
		{name: "role", new: func() enum { return new(sp.Role) }, good: []string{"rep", "manager", "admin", "system"}, wants: "unknown role"},
		{name: "channel_kind", new: func() enum { return new(sp.ChannelKind) },
			good: []string{"field_visit", "phone", "online", "retail", "partner", "wholesale"}, wants: "unknown channel kind"},
		{name: "feedback_category", new: func() enum { return new(sp.FeedbackCategory) },
			good: []string{"quality", "price", "missing_feature", "delivery", "service", "other"}, wants: "unknown feedback category"},
		{name: "feedback_source", new: func() enum { return new(sp.FeedbackSource) }, good: []string{"customer", "field_test", "rep"}, wants: "unknown feedback source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.good {
				v := tt.new()
				require.NoError(t, v.UnmarshalText([]byte(s)), s)
				assert.NoError(t, v.Validate(), s)
				assert.Equal(t, s, stringOf(v))
			}
			v := tt.new()
			require.NoError(t, v.UnmarshalText([]byte(tt.good[0])))
			err := v.UnmarshalText([]byte("Nope"))
			assert.ErrorIs(t, err, sp.ErrInvalid)
			assert.ErrorContains(t, err, tt.wants+` "Nope"; want one of `+strings.Join(tt.good, ", "))
			assert.Equal(t, tt.good[0], stringOf(v), "unknown text leaves the value")

			require.NoError(t, v.UnmarshalText(nil), "empty text gives the zero value")
			assert.Empty(t, stringOf(v))
			assert.ErrorContains(t, v.Validate(), "missing")
		})
	}
	t.Run("json", func(t *testing.T) {
		var c sp.Channel
		require.NoError(t, json.Unmarshal([]byte(`{"id":"c","name":"C","kind":"online"}`), &c))
		assert.Equal(t, sp.ChannelOnline, c.Kind)
		assert.ErrorIs(t, json.Unmarshal([]byte(`{"kind":"fax"}`), &c), sp.ErrInvalid)
	})
}

// stringOf returns the string value behind one of the enum pointers.
func stringOf(v any) string { return reflect.ValueOf(v).Elem().String() }
