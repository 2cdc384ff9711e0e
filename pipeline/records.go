package pipeline

import (
	"time"

	sp "github.com/salesprocess/salesprocess"
	"github.com/shopspring/decimal"
)

// InquiryStage is the stage of an [Inquiry]. Its text form is its key, the
// form hosts store. The zero InquiryStage is unset: it encodes as empty text
// and back, and Validate refuses it.
type InquiryStage string

// The stages of an inquiry: New → Contacted → Qualified → Converted (to a
// deal), or Disqualified (with a reason) from any open stage. Reopening a
// disqualified inquiry to New is a manager's act.
const (
	InquiryNew          InquiryStage = "new"
	InquiryContacted    InquiryStage = "contacted"
	InquiryQualified    InquiryStage = "qualified"
	InquiryConverted    InquiryStage = "converted"
	InquiryDisqualified InquiryStage = "disqualified"
)

// DealStage is the stage of a [Deal] in its pipeline. The default pipeline
// has the stages below; a host may define its own pipelines with their own
// stage keys. Its text form is its key, the form hosts store. The zero
// DealStage is unset: it encodes as empty text and back, and Validate
// refuses it.
type DealStage string

// The stages of the default deal pipeline.
const (
	DealProspecting   DealStage = "prospecting"
	DealQualification DealStage = "qualification"
	DealProposal      DealStage = "proposal"
	DealNegotiation   DealStage = "negotiation"
	DealWon           DealStage = "won"
	DealLost          DealStage = "lost"
)

// ServiceStage is the stage of the after-sale part of a won [Deal]:
// delivery to the customer and the follow-up service contact. The zero
// ServiceStage is unset: it encodes as empty text and back, and Validate
// refuses it.
type ServiceStage string

// The after-sale stages: AwaitingDelivery → Delivered → FollowedUp.
const (
	ServiceAwaitingDelivery ServiceStage = "awaiting_delivery"
	ServiceDelivered        ServiceStage = "delivered"
	ServiceFollowedUp       ServiceStage = "followed_up"
)

// Transition records one stage change of a record: from, to, when, who and
// why. A record's history is the list of its transitions, oldest first; the
// last one's To is the record's current stage. The zero Transition, to no
// stage at no time, is never recorded by a machine fed a valid [Stamp]:
// [CheckHistory] refuses a history holding it.
type Transition[S ~string] struct {
	From   S          `json:"from"`
	To     S          `json:"to"`
	At     time.Time  `json:"at"`
	Actor  sp.ActorID `json:"actor"`
	Reason string     `json:"reason,omitempty"`
}

// Inquiry is a potential customer's inquiry about a product: where it came
// from, what it asks about, who asked, who owns it, and how far it got.
// The zero Inquiry has no ID: [Engine.ReceiveInquiry] refuses it with an
// error wrapping [sp.ErrInvalid].
type Inquiry struct {
	ID       sp.InquiryID  `json:"id"`
	Channel  sp.ChannelID  `json:"channel"`
	Campaign sp.CampaignID `json:"campaign,omitempty"`
	Locality string        `json:"locality,omitempty"`
	Region   sp.RegionID   `json:"region"`
	Product  sp.ProductID  `json:"product"`
	Customer sp.CustomerID `json:"customer"`
	Owner    sp.RepID      `json:"owner,omitempty"` // empty until assigned
	Received time.Time     `json:"received"`

	Stage   InquiryStage               `json:"stage"`
	Version int64                      `json:"version"` // 1 when created, +1 per change
	History []Transition[InquiryStage] `json:"history,omitempty"`

	Activities []Activity `json:"activities,omitempty"`
	// DisqualifyReason says why the inquiry was disqualified; empty
	// otherwise.
	DisqualifyReason string `json:"disqualify_reason,omitempty"`
	// Deal is the deal the inquiry was converted to; empty until then.
	Deal sp.DealID `json:"deal,omitempty"`
}

// ActivityKind is the kind of a follow-up activity. The zero ActivityKind is
// unset: it encodes as empty text and back, and Validate refuses it.
type ActivityKind string

// The activity kinds.
const (
	ActivityCall    ActivityKind = "call"
	ActivityVisit   ActivityKind = "visit"
	ActivityEmail   ActivityKind = "email"
	ActivityMeeting ActivityKind = "meeting"
	ActivityDemo    ActivityKind = "demo"
)

// Activity is a follow-up of an inquiry or a deal: a call, a visit, an
// e-mail, a meeting or a demo, planned (Due set, Done zero) or done (Done
// set). A planned one is marked done, keeping its ID, by
// [Engine.CompleteInquiryActivity] or [Engine.CompleteDealActivity]. The
// zero Activity has no ID: its Validate refuses it, and [Engine.Contact]
// takes it for no activity.
type Activity struct {
	ID      string       `json:"id"`
	Kind    ActivityKind `json:"kind"`
	Actor   sp.ActorID   `json:"actor"`
	Due     time.Time    `json:"due"`  // when planned for; zero if logged after the fact
	Done    time.Time    `json:"done"` // when done; zero while planned
	Outcome string       `json:"outcome,omitempty"`
	Notes   string       `json:"notes,omitempty"`
}

// LossCategory classifies why a deal was lost; review traces shortfalls to
// the product or the rep by it. The zero LossCategory is unset: it encodes
// as empty text and back, and Validate refuses it.
type LossCategory string

// The loss categories.
const (
	LossPrice        LossCategory = "price"
	LossProduct      LossCategory = "product"
	LossCompetitor   LossCategory = "competitor"
	LossTiming       LossCategory = "timing"
	LossNoDecision   LossCategory = "no_decision"
	LossRepExecution LossCategory = "rep_execution"
	LossOther        LossCategory = "other"
)

// LossReason says why a deal was lost: a category and a detail in words. The
// zero LossReason is invalid: its Validate refuses it.
type LossReason struct {
	Category LossCategory `json:"category"`
	Detail   string       `json:"detail"`
}

// Line is one product line of a deal: Quantity units of Product at
// UnitPrice, less Discount (a fraction from 0 to 1, 0.1 for 10 %). The zero
// Line is invalid: its Total refuses it. Its JSON form is written within
// that of a [Deal] or [Terms], whose MarshalJSON writes the discount as a
// string whatever decimal.MarshalJSONWithoutQuotes says; a Line marshaled
// on its own has encoding/json's form of its fields, in which that setting
// makes the discount a number.
type Line struct {
	Product   sp.ProductID    `json:"product"`
	Quantity  int64           `json:"quantity"`
	UnitPrice sp.Money        `json:"unit_price"`
	Discount  decimal.Decimal `json:"discount"`
}

// Deal is an opportunity to sell: who owns it, who buys, what and for how
// much, when it is expected to close, and how far it got. The zero Deal has
// no ID: [Engine.OpenDeal] refuses it with an error wrapping
// [sp.ErrInvalid].
type Deal struct {
	ID       sp.DealID     `json:"id"`
	Pipeline string        `json:"pipeline,omitempty"` // the pipeline definition's name; empty for the default
	Owner    sp.RepID      `json:"owner"`
	Region   sp.RegionID   `json:"region"`
	Customer sp.CustomerID `json:"customer"`
	// Product is the deal's main product: the one of its single line, or
	// the one the host names; conversion and review group by it.
	Product  sp.ProductID  `json:"product"`
	Channel  sp.ChannelID  `json:"channel,omitempty"`
	Campaign sp.CampaignID `json:"campaign,omitempty"`
	Inquiry  sp.InquiryID  `json:"inquiry,omitempty"` // the inquiry it was converted from, if any

	Lines []Line `json:"lines,omitempty"`
	// Amount is the deal's value: the sum of its lines when it has lines,
	// otherwise set directly.
	Amount        sp.Money  `json:"amount"`
	ExpectedClose time.Time `json:"expected_close"`
	Created       time.Time `json:"created"`
	// Closed is when the deal was won or lost; zero while open.
	Closed time.Time `json:"closed"`

	Stage DealStage `json:"stage"`
	// Probability is the chance of winning, from 0 to 1: the stage's
	// default unless a rep overrode it on an open stage (Overridden); 1 when
	// won and 0 when lost, whatever was overridden.
	Probability decimal.Decimal         `json:"probability"`
	Overridden  bool                    `json:"probability_overridden,omitempty"`
	Version     int64                   `json:"version"` // 1 when created, +1 per change
	History     []Transition[DealStage] `json:"history,omitempty"`
	Activities  []Activity              `json:"activities,omitempty"`
	Loss        *LossReason             `json:"loss,omitempty"` // set when lost

	// Service is the after-sale part, started when the deal is won.
	Service *Service `json:"service,omitempty"`
}

// Service is the after-sale part of a won deal: delivery, then a follow-up
// service contact at which the customer's feedback is recorded. The zero
// Service has no stage yet: the service machine starts it in
// AwaitingDelivery, as the engine does when the deal is won.
type Service struct {
	Stage    ServiceStage               `json:"stage"`
	History  []Transition[ServiceStage] `json:"history,omitempty"`
	Feedback []sp.Feedback              `json:"feedback,omitempty"`
}
