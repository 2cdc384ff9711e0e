package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/salesprocess/salesprocess/pipeline/pipelinetest"
)

// The files of the data set.
const (
	fileTeams    = "sales_teams.csv"
	fileProducts = "products.csv"
	fileAccounts = "accounts.csv"
	filePipeline = "sales_pipeline.csv"
)

// currency is the currency the data's amounts are taken to be in: the data
// set says "revenue" in whole units and nothing more; its accounts'
// revenues are "in millions of USD".
const currency sp.Currency = "USD"

// officeZones places the data's regional offices in time zones, so that a
// date of an office is the start of that day in its zone and a month is
// that office's calendar month. An office not listed here is put in UTC
// (and the report says so).
var officeZones = map[string]string{
	"Central": "America/Chicago",
	"East":    "America/New_York",
	"West":    "America/Los_Angeles",
}

// The stages of the data's pipeline, in deal_stage spelling, and their
// keys in the crm pipeline definition.
var stageKeys = map[string]pipeline.DealStage{
	"Prospecting": "prospecting",
	"Engaging":    "engaging",
	"Won":         "won",
	"Lost":        "lost",
}

// stageOrder lists the stages for reports.
var stageOrder = []string{"Prospecting", "Engaging", "Won", "Lost"}

// crmDefinition builds the data's pipeline: Prospecting and Engaging open,
// Won and Lost closed. The data gives no win probabilities and no expected
// close dates, so the open stages carry 0 and open deals forecast nothing.
func crmDefinition() (*pipeline.Definition, error) {
	return pipeline.NewDefinition(pipeline.Spec{
		Name: "crm",
		Stages: []pipeline.StageSpec{
			{Key: "prospecting", Name: "Prospecting", Order: 1, Kind: pipeline.KindOpen},
			{Key: "engaging", Name: "Engaging", Order: 2, Kind: pipeline.KindOpen},
			{Key: "won", Name: "Won", Order: 3, Kind: pipeline.KindWon, Probability: decimal.New(1, 0)},
			{Key: "lost", Name: "Lost", Order: 4, Kind: pipeline.KindLost},
		},
	})
}

// An office is a regional office of the data: a region of the library,
// with its managers (the library's Region has one Manager; the data has
// two per office, so the first listed is the Region's and all are kept
// here).
type office struct {
	sp.Region
	Zone     string
	Managers []string
	Agents   []sp.RepID
}

// An agent is a sales agent: a rep of the library, with the manager the
// data names.
type agent struct {
	sp.Rep
	Manager string
}

// A fix is a correction the loader made to rows it kept, counted by what
// was corrected.
type fix struct {
	File     string   `json:"file"`
	Kind     string   `json:"kind"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Count    int      `json:"count"`
	Examples []string `json:"examples"` // up to maxExamples rows, by ID or line
}

// maxExamples is how many rows a fix names.
const maxExamples = 5

// A skipped row is one the loader could not use.
type skipped struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason"`
}

// quirks counts the oddities the data set's SOURCE.md describes, as the
// loader met them in the rows it kept.
type quirks struct {
	OpenWithoutClose          int `json:"open_without_close"`           // open deals with blank close_date and close_value
	ProspectingWithoutEngage  int `json:"prospecting_without_engage"`   // Prospecting deals with a blank engage_date
	WithoutAccount            int `json:"without_account"`              // deals with a blank account
	WithoutAccountOpen        int `json:"without_account_open"`         // of which open
	LostWithZeroValue         int `json:"lost_with_zero_value"`         // Lost deals with close_value 0 (not blank)
	AccountsNotInAccountsFile int `json:"accounts_not_in_accounts_csv"` // deals whose account accounts.csv does not list
	// NoAccountsFile says that accounts.csv was not there (it is optional).
	NoAccountsFile bool `json:"no_accounts_csv,omitempty"`
	// ProductSpellings counts the pipeline rows whose product is spelled
	// differently from products.csv (also listed in fixes).
	ProductSpellings int `json:"product_spellings"`
	// ProductsWithoutPrice counts the products of products.csv with a
	// blank sales_price (their list price is reported as unknown).
	ProductsWithoutPrice int `json:"products_without_price"`
	// AgentsWithoutDeals counts the agents of sales_teams.csv with no
	// opportunity (listed in agents_without_deals).
	AgentsWithoutDeals int `json:"agents_without_deals"`
	// Goals says where the goals come from: the data has none.
	Goals string `json:"goals"`
}

// A dataset is the data set read into the library's records.
type dataset struct {
	Dir       string
	Def       *pipeline.Definition
	Offices   map[sp.RegionID]*office
	Agents    map[sp.RepID]*agent
	Products  map[sp.ProductID]sp.Product
	Customers map[sp.CustomerID]sp.Customer
	Store     *pipelinetest.MemStore

	Rows     int            // data rows of sales_pipeline.csv, read or not
	Deals    int            // deals loaded
	ByStage  map[string]int // deals loaded by deal_stage
	Quirks   quirks
	Fixes    []fix
	Skipped  []skipped
	Earliest time.Time // the earliest close of a closed deal; zero if none
	Latest   time.Time // the latest close of a closed deal; zero if none
}

// officeIDs returns the offices' IDs in order.
func (ds *dataset) officeIDs() []sp.RegionID {
	ids := make([]sp.RegionID, 0, len(ds.Offices))
	for id := range ds.Offices {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// location returns the time zone of region id, for the quota calculators.
func (ds *dataset) location(id sp.RegionID) *time.Location {
	if o, ok := ds.Offices[id]; ok {
		return o.Loc()
	}
	return nil
}

// A loader collects what it fixes and skips while reading the files.
type loader struct {
	fixes   map[[4]string]*fix
	skipped []skipped
	// unusable holds, by file, the nameKeys of the agents and products
	// whose rows were skipped, so that a deal naming one says why.
	unusable map[string]map[string]bool
	// accountsRead says whether accounts.csv was there to check accounts.
	accountsRead bool
}

// unusableName records that the row of name in file was skipped.
func (ld *loader) unusableName(file, name string) {
	if name == "" {
		return
	}
	if ld.unusable[file] == nil {
		ld.unusable[file] = map[string]bool{}
	}
	ld.unusable[file][nameKey(name)] = true
}

// unknown says why name is not found in file's list.
func (ld *loader) unknown(column, name, file string) string {
	if ld.unusable[file][nameKey(name)] {
		return fmt.Sprintf("%s %q has no usable row in %s", column, clip(name), file)
	}
	return fmt.Sprintf("unknown %s %q (not in %s)", column, clip(name), file)
}

func (ld *loader) fix(file, kind, from, to, example string) {
	k := [4]string{file, kind, from, to}
	f := ld.fixes[k]
	if f == nil {
		f = &fix{File: file, Kind: kind, From: from, To: to, Examples: []string{}}
		ld.fixes[k] = f
	}
	f.Count++
	if len(f.Examples) < maxExamples {
		f.Examples = append(f.Examples, example)
	}
}

func (ld *loader) skip(file string, line int, id, format string, args ...any) {
	ld.skipped = append(ld.skipped, skipped{File: file, Line: line, ID: clip(id), Reason: fmt.Sprintf(format, args...)})
}

// load reads the data set in dir into the library: offices become regions
// in their time zones, agents reps, products products, accounts customers
// and opportunities deals on the crm pipeline, kept in a MemStore. A
// missing folder or required file, or a header without a required
// column, is an error; rows that cannot be used are skipped and listed.
func load(ctx context.Context, dir string) (*dataset, error) {
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("data folder %s is not a folder", dir)
	}
	def, err := crmDefinition()
	if err != nil {
		return nil, err
	}
	ds := &dataset{
		Dir:       dir,
		Def:       def,
		Offices:   map[sp.RegionID]*office{},
		Agents:    map[sp.RepID]*agent{},
		Products:  map[sp.ProductID]sp.Product{},
		Customers: map[sp.CustomerID]sp.Customer{},
		Store:     pipelinetest.NewMemStore(),
		ByStage:   map[string]int{},
	}
	for _, s := range stageOrder {
		ds.ByStage[s] = 0
	}
	ld := &loader{fixes: map[[4]string]*fix{}, unusable: map[string]map[string]bool{}}

	agents, err := ld.teams(ds)
	if err != nil {
		return nil, err
	}
	products, err := ld.products(ds)
	if err != nil {
		return nil, err
	}
	accounts, err := ld.accounts(ds)
	if err != nil {
		return nil, err
	}
	if err := ld.pipeline(ctx, ds, agents, products, accounts); err != nil {
		return nil, err
	}

	for _, f := range ld.fixes {
		ds.Fixes = append(ds.Fixes, *f)
	}
	slices.SortFunc(ds.Fixes, func(a, b fix) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	for _, f := range ds.Fixes {
		if f.File == filePipeline && f.Kind == "product_name" {
			ds.Quirks.ProductSpellings += f.Count
		}
	}
	ds.Skipped = ld.skipped
	slices.SortStableFunc(ds.Skipped, func(a, b skipped) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	ds.Quirks.Goals = "none in the data; -goal sets a monthly revenue goal per rep"
	return ds, nil
}

// teams reads sales_teams.csv into offices and agents, and returns the
// agents' names for the pipeline rows.
func (ld *loader) teams(ds *dataset) (*names, error) {
	t, err := readTable(ld, ds.Dir, fileTeams, "sales_agent", "manager", "regional_office")
	if err != nil {
		return nil, err
	}
	agents, offices := newNames(), newNames()
	for name := range officeZones {
		offices.add(name)
	}
	agentLine := map[string]int{}
	for _, r := range t.rows {
		name, manager, off := t.get(r, "sales_agent"), t.get(r, "manager"), t.get(r, "regional_office")
		switch {
		case name == "":
			ld.skip(t.file, r.line, "", "blank sales_agent")
			continue
		case manager == "":
			ld.skip(t.file, r.line, name, "blank manager")
			ld.unusableName(t.file, name)
			continue
		case sp.ActorID(manager).Validate() != nil:
			ld.skip(t.file, r.line, name, "manager: %v", sp.ActorID(manager).Validate())
			ld.unusableName(t.file, name)
			continue
		case off == "":
			ld.skip(t.file, r.line, name, "blank regional_office")
			ld.unusableName(t.file, name)
			continue
		}
		if prev, _, ok := agents.find(name); ok {
			ld.skip(t.file, r.line, name, "agent %q listed again (first on line %d)", prev, agentLine[prev])
			continue
		}

		// The row is checked whole before it changes anything, so that a
		// skipped row holds no agent's name, records no fix, and adds no
		// office and no manager.
		offName, fixed, known := offices.find(off)
		if !known {
			offName = off
		}
		id := sp.RegionID(offName)
		o := ds.Offices[id]
		newOffice := o == nil
		if newOffice {
			o = &office{Region: sp.Region{ID: id, Name: offName, Manager: sp.ActorID(manager)}, Zone: "UTC"}
			if zone, ok := officeZones[offName]; ok {
				loc, err := time.LoadLocation(zone)
				if err != nil {
					return nil, fmt.Errorf("time zone of office %s: %w", offName, err)
				}
				o.Location, o.Zone = loc, zone
			}
			if err := o.Region.Validate(); err != nil {
				ld.skip(t.file, r.line, name, "office: %v", err)
				ld.unusableName(t.file, name)
				continue
			}
		}
		a := &agent{Rep: sp.Rep{ID: sp.RepID(name), Name: name, Region: id}, Manager: manager}
		if err := a.Validate(); err != nil {
			ld.skip(t.file, r.line, name, "agent: %v", err)
			ld.unusableName(t.file, name)
			continue
		}

		agents.add(name)
		agentLine[name] = r.line
		if !known {
			offices.add(off)
		} else if fixed {
			ld.fix(t.file, "office_name", off, offName, fmt.Sprintf("line %d", r.line))
		}
		if newOffice {
			if o.Location == nil {
				ld.fix(t.file, "office_time_zone", offName, "UTC (no known zone)", fmt.Sprintf("line %d", r.line))
			}
			ds.Offices[id] = o
		}
		if !slices.Contains(o.Managers, manager) {
			o.Managers = append(o.Managers, manager)
		}
		o.Agents = append(o.Agents, a.ID)
		ds.Agents[a.ID] = a
	}
	return agents, nil
}

// products reads products.csv, with the list prices as Money.
func (ld *loader) products(ds *dataset) (*names, error) {
	t, err := readTable(ld, ds.Dir, fileProducts, "product", "sales_price")
	if err != nil {
		return nil, err
	}
	products := newNames()
	line := map[string]int{}
	for _, r := range t.rows {
		name, price := t.get(r, "product"), t.get(r, "sales_price")
		if name == "" {
			ld.skip(t.file, r.line, "", "blank product")
			continue
		}
		p := sp.Product{ID: sp.ProductID(name), Name: name}
		if price != "" {
			amount, err := sp.ParseAmount(price)
			if err != nil {
				ld.skip(t.file, r.line, name, "%s", amountProblem("sales_price", price, err))
				ld.unusableName(t.file, name)
				continue
			}
			if amount.IsNegative() {
				ld.skip(t.file, r.line, name, "negative sales_price %s", price)
				ld.unusableName(t.file, name)
				continue
			}
			if p.Price, err = sp.NewMoney(amount, currency); err != nil {
				ld.skip(t.file, r.line, name, "sales_price: %v", err)
				ld.unusableName(t.file, name)
				continue
			}
		}
		if err := p.Validate(); err != nil {
			ld.skip(t.file, r.line, name, "product: %v", err)
			ld.unusableName(t.file, name)
			continue
		}
		if prev := products.add(name); prev != "" {
			ld.skip(t.file, r.line, name, "product %q listed again (first on line %d)", prev, line[prev])
			continue
		}
		line[name] = r.line
		ds.Products[p.ID] = p
		if p.Price.IsUnset() {
			ds.Quirks.ProductsWithoutPrice++
		}
	}
	return products, nil
}

// accounts reads accounts.csv, which is optional: without it deals keep
// their account names as customers with no locality.
func (ld *loader) accounts(ds *dataset) (*names, error) {
	accounts := newNames()
	t, err := readTable(ld, ds.Dir, fileAccounts, "account")
	if errors.Is(err, fs.ErrNotExist) {
		ds.Quirks.NoAccountsFile = true
		return accounts, nil
	}
	if err != nil {
		return nil, err
	}
	ld.accountsRead = true
	for _, r := range t.rows {
		name := t.get(r, "account")
		if name == "" {
			ld.skip(t.file, r.line, "", "blank account")
			continue
		}
		c := sp.Customer{ID: sp.CustomerID(name), Name: name, Locality: t.get(r, "office_location")}
		if err := c.Validate(); err != nil {
			ld.skip(t.file, r.line, name, "account: %v", err)
			continue
		}
		if prev := accounts.add(name); prev != "" {
			ld.skip(t.file, r.line, name, "account %q listed again", prev)
			continue
		}
		ds.Customers[c.ID] = c
	}
	return accounts, nil
}

// pipeline reads sales_pipeline.csv into deals on the crm pipeline and
// stores them.
func (ld *loader) pipeline(ctx context.Context, ds *dataset, agents, products, accounts *names) error {
	t, err := readTable(ld, ds.Dir, filePipeline,
		"opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date", "close_value")
	if err != nil {
		return err
	}
	ds.Rows = len(t.rows) // rows left out while reading are counted below
	for _, s := range ld.skipped {
		if s.File == filePipeline {
			ds.Rows++
		}
	}
	seen := make(map[string]int, len(t.rows))
	for i, r := range t.rows {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		id := t.get(r, "opportunity_id")
		if id == "" {
			ld.skip(t.file, r.line, "", "blank opportunity_id")
			continue
		}
		if first, dup := seen[id]; dup {
			ld.skip(t.file, r.line, id, "opportunity_id repeated (first on line %d)", first)
			continue
		}
		seen[id] = r.line
		d, stage, why := ld.deal(ds, t, r, id, agents, products, accounts)
		if why != "" {
			ld.skip(t.file, r.line, id, "%s", why)
			continue
		}
		if err := ds.Store.CreateDeal(ctx, d); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			ld.skip(t.file, r.line, id, "store: %v", err)
			continue
		}
		ds.Deals++
		ds.ByStage[stage]++
		if !d.Closed.IsZero() {
			if ds.Earliest.IsZero() || d.Closed.Before(ds.Earliest) {
				ds.Earliest = d.Closed
			}
			if d.Closed.After(ds.Latest) {
				ds.Latest = d.Closed
			}
		}
	}
	return nil
}

// deal builds the deal of row r, or says why it cannot.
func (ld *loader) deal(ds *dataset, t *table, r record, id string, agents, products, accounts *names) (d pipeline.Deal, stage, why string) {
	example := id
	field := func(name string) string { return t.get(r, name) }

	// Who, what, for whom.
	agentName := field("sales_agent")
	if agentName == "" {
		return d, "", "blank sales_agent"
	}
	name, agentFixed, ok := agents.find(agentName)
	if !ok {
		return d, "", ld.unknown("sales_agent", agentName, fileTeams)
	}
	a := ds.Agents[sp.RepID(name)]
	if a == nil { // listed, but its row in sales_teams.csv was skipped
		return d, "", fmt.Sprintf("sales_agent %q has no usable row in %s", name, fileTeams)
	}
	productName := field("product")
	if productName == "" {
		return d, "", "blank product"
	}
	product, productFixed, ok := products.find(productName)
	if !ok {
		return d, "", ld.unknown("product", productName, fileProducts)
	}
	stageName := field("deal_stage")
	if stageName == "" {
		return d, "", "blank deal_stage"
	}
	stage = stageName
	if _, ok := stageKeys[stage]; !ok {
		for _, s := range stageOrder {
			if nameKey(s) == nameKey(stageName) {
				stage = s
			}
		}
		if stage == stageName {
			return d, "", fmt.Sprintf("unknown deal_stage %q (want Prospecting, Engaging, Won or Lost)", clip(stageName))
		}
	}
	o := ds.Offices[a.Region]
	loc := o.Loc()

	// When and how much.
	engageText, closeText, valueText := field("engage_date"), field("close_date"), field("close_value")
	var engage, closed time.Time
	var value decimal.Decimal
	var err error
	if engage, err = parseDate(engageText, loc); err != nil {
		return d, "", fmt.Sprintf("bad engage_date %q (%v)", clip(engageText), err)
	}
	if closed, err = parseDate(closeText, loc); err != nil {
		return d, "", fmt.Sprintf("bad close_date %q (%v)", clip(closeText), err)
	}
	if valueText != "" {
		if value, err = sp.ParseAmount(valueText); err != nil {
			return d, "", amountProblem("close_value", valueText, err)
		}
		if value.IsNegative() {
			return d, "", fmt.Sprintf("negative close_value %s", valueText)
		}
	}
	open := stage == "Prospecting" || stage == "Engaging"
	switch {
	case open && closeText != "":
		return d, "", fmt.Sprintf("%s deal with a close_date", stage)
	case open && valueText != "":
		return d, "", fmt.Sprintf("%s deal with a close_value", stage)
	case stage != "Prospecting" && engageText == "":
		return d, "", fmt.Sprintf("%s deal with a blank engage_date", stage)
	case !open && closeText == "":
		return d, "", fmt.Sprintf("%s deal with a blank close_date", stage)
	case stage == "Won" && valueText == "":
		return d, "", "Won deal with a blank close_value"
	case stage == "Won" && value.IsZero():
		return d, "", "Won deal with close_value 0 (winning needs a positive amount)"
	case !open && closed.Before(engage):
		return d, "", fmt.Sprintf("close_date %s before engage_date %s", closeText, engageText)
	}

	// The record, moved along the pipeline through the data's stages.
	d = pipeline.Deal{
		ID:       sp.DealID(id),
		Owner:    a.ID,
		Region:   a.Region,
		Customer: sp.CustomerID(field("account")),
		Product:  sp.ProductID(product),
		Created:  engage,
		Version:  1,
	}
	if err := d.ID.Validate(); err != nil {
		return d, "", fmt.Sprintf("opportunity_id: %v", err)
	}
	accountName, accountFixed, accountUnlisted := field("account"), false, false
	if d.Customer != "" {
		if c, fixed, ok := accounts.find(string(d.Customer)); ok {
			accountFixed = fixed
			d.Customer = sp.CustomerID(c)
		} else {
			if err := d.Customer.Validate(); err != nil {
				return d, "", fmt.Sprintf("account: %v", err)
			}
			accountUnlisted = ld.accountsRead
		}
	}
	if stage == "Won" {
		var err error
		if d.Amount, err = sp.NewMoney(value, currency); err != nil {
			return d, "", fmt.Sprintf("close_value: %v", err)
		}
	}
	if stage == "Prospecting" && engageText != "" {
		d.Created = time.Time{}
	}
	if err := ld.move(ds, &d, stage, engage, closed); err != nil {
		return d, "", err.Error()
	}

	// What was fixed and what is odd, for the report, once the row made a deal.
	if accountFixed {
		ld.fix(t.file, "account_name", accountName, string(d.Customer), example)
	}
	if accountUnlisted {
		ds.Quirks.AccountsNotInAccountsFile++
	}
	if stage == "Prospecting" && engageText != "" {
		ld.fix(t.file, "engage_date_ignored", "engage_date on a Prospecting deal", "ignored (not engaged yet)", example)
	}
	if agentFixed {
		ld.fix(t.file, "agent_name", agentName, name, example)
	}
	if productFixed {
		ld.fix(t.file, "product_name", productName, product, example)
	}
	if stage != stageName {
		ld.fix(t.file, "stage_name", stageName, stage, example)
	}
	if stage == "Lost" && !value.IsZero() {
		ld.fix(t.file, "lost_value_ignored", "close_value of a Lost deal", "not counted (a loss brings nothing)", example)
	}
	if open {
		ds.Quirks.OpenWithoutClose++
	}
	if stage == "Prospecting" && engageText == "" {
		ds.Quirks.ProspectingWithoutEngage++
	}
	if d.Customer == "" {
		ds.Quirks.WithoutAccount++
		if open {
			ds.Quirks.WithoutAccountOpen++
		}
	}
	if stage == "Lost" && valueText != "" && value.IsZero() {
		ds.Quirks.LostWithZeroValue++
	}
	return d, stage, ""
}

// The years a date may fall in: a CRM's dates outside them are typos
// (and would make the monthly goals span millennia).
const firstYear, lastYear = 1900, 2100

// parseDate parses a calendar date YYYY-MM-DD as the start of that day in
// loc (sp.DayStart: where clocks skip midnight, the day starts after the
// gap, not an hour before it on the day before); empty text is the zero
// time.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errors.New("want YYYY-MM-DD")
	}
	if y := t.Year(); y < firstYear || y > lastYear {
		return time.Time{}, fmt.Errorf("want a year from %d to %d", firstYear, lastYear)
	}
	return sp.DayStart(t.Year(), t.Month(), t.Day(), loc), nil
}

// move puts d on the crm pipeline and moves it to stage as the data has
// it: Prospecting at the unknown start (a zero time), Engaging at the
// engage date, Won or Lost at the close date, each move by the deal's
// owner.
func (ld *loader) move(ds *dataset, d *pipeline.Deal, stage string, engage, closed time.Time) error {
	ctx := context.Background() // the crm pipeline has no guards or hooks that would use it
	by := sp.RepActor(d.Owner).ID
	def := ds.Def
	if err := def.Start(d, pipeline.Stamp{Actor: by}); err != nil {
		return err
	}
	if stage == "Prospecting" {
		return nil
	}
	if err := def.Advance(ctx, d, stageKeys["Engaging"], pipeline.Stamp{At: engage, Actor: by}); err != nil {
		return err
	}
	switch stage {
	case "Won":
		return def.Win(ctx, d, stageKeys["Won"], pipeline.Stamp{At: closed, Actor: by})
	case "Lost":
		loss := pipeline.LossReason{Category: pipeline.LossOther, Detail: "recorded as Lost in the CRM, without a reason"}
		return def.Lose(ctx, d, stageKeys["Lost"], loss, pipeline.Stamp{At: closed, Actor: by})
	}
	return nil
}

// stageOf returns the deal_stage name of a deal's stage.
func stageOf(s pipeline.DealStage) string {
	for name, key := range stageKeys {
		if key == s {
			return name
		}
	}
	return strings.ToUpper(string(s))
}

// amountProblem says why the text of column is not an amount, as
// sp.ParseAmount refused it with err: not a number, or a number in plain
// notation with more digits than an amount may have.
func amountProblem(column, text string, err error) string {
	whole, frac, point := strings.Cut(strings.TrimPrefix(text, "-"), ".")
	if whole != "" && allDigits(whole) && allDigits(frac) && (frac != "" || !point) {
		return fmt.Sprintf("%s %q is out of range (%v)", column, clip(text), err)
	}
	return fmt.Sprintf("%s %q is not a number", column, clip(text))
}

// allDigits reports whether s holds only the digits 0 to 9.
func allDigits(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}
