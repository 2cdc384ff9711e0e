package salesprocess

import "time"

// FeedbackCategory says what a piece of [Feedback] is about. Its text form
// is its name. The zero FeedbackCategory is unset: it encodes as empty text
// and back, and Validate refuses it.
type FeedbackCategory string

// The feedback categories.
const (
	FeedbackQuality        FeedbackCategory = "quality"
	FeedbackPrice          FeedbackCategory = "price"
	FeedbackMissingFeature FeedbackCategory = "missing_feature"
	FeedbackDelivery       FeedbackCategory = "delivery"
	FeedbackService        FeedbackCategory = "service"
	FeedbackOther          FeedbackCategory = "other"
)

var feedbackCategories = []FeedbackCategory{
	FeedbackQuality, FeedbackPrice, FeedbackMissingFeature, FeedbackDelivery, FeedbackService, FeedbackOther,
}

// Validate reports whether c is a known category.
func (c FeedbackCategory) Validate() error {
	return CheckEnum("feedback category", c, feedbackCategories...)
}

// String returns c as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (c FeedbackCategory) String() string { return string(c) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown feedback category is an error wrapping
// [ErrInvalid], as UnmarshalText would refuse it.
func (c FeedbackCategory) MarshalText() ([]byte, error) {
	return MarshalEnum("feedback category", c, feedbackCategories...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [ErrInvalid]; empty text gives the zero value.
func (c *FeedbackCategory) UnmarshalText(text []byte) error {
	return UnmarshalEnum("feedback category", c, text, feedbackCategories...)
}

// FeedbackSource says where a piece of [Feedback] came from. Its text form
// is its name. The zero FeedbackSource is unset: it encodes as empty text
// and back, and Validate refuses it.
type FeedbackSource string

// The feedback sources.
const (
	// FromCustomer is feedback a customer gave, typically at the follow-up
	// service contact after a sale.
	FromCustomer FeedbackSource = "customer"
	// FromFieldTest is feedback gathered in a field-test locality before
	// launch.
	FromFieldTest FeedbackSource = "field_test"
	// FromRep is feedback a rep passes on from the field.
	FromRep FeedbackSource = "rep"
)

var feedbackSources = []FeedbackSource{FromCustomer, FromFieldTest, FromRep}

// Validate reports whether s is a known source.
func (s FeedbackSource) Validate() error { return CheckEnum("feedback source", s, feedbackSources...) }

// String returns s as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (s FeedbackSource) String() string { return string(s) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown feedback source is an error wrapping
// [ErrInvalid], as UnmarshalText would refuse it.
func (s FeedbackSource) MarshalText() ([]byte, error) {
	return MarshalEnum("feedback source", s, feedbackSources...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [ErrInvalid]; empty text gives the zero value.
func (s *FeedbackSource) UnmarshalText(text []byte) error {
	return UnmarshalEnum("feedback source", s, text, feedbackSources...)
}

// MinRating and MaxRating bound [Feedback.Rating].
const (
	MinRating = 1
	MaxRating = 5
)

// maxFeedbackText bounds the text of a piece of feedback, in bytes.
const maxFeedbackText = 8192

// Feedback is what someone said about a product: a customer after a sale, a
// field-test locality before launch, a rep from the field. It flows back to
// the product's owner (the seed's "reverse feedback from the customers to
// the company with a purpose of making the product better"). Training
// weighs field-test feedback in the launch decision, pipeline records it at
// the follow-up contact, review piles it up per product. The zero Feedback
// is invalid: its Validate refuses it.
type Feedback struct {
	ID       FeedbackID       `json:"id"`
	Product  ProductID        `json:"product"`
	Rating   int              `json:"rating"` // MinRating to MaxRating
	Category FeedbackCategory `json:"category"`
	Text     string           `json:"text,omitempty"`
	Source   FeedbackSource   `json:"source"`
	Customer CustomerID       `json:"customer,omitempty"` // who said it, if a customer
	Locality string           `json:"locality,omitempty"` // where, for field tests
	Deal     DealID           `json:"deal,omitempty"`     // the sale it follows, if any
	Time     time.Time        `json:"time"`
}

// Validate reports whether f is complete: valid IDs, a rating from
// [MinRating] to [MaxRating], a known category and source, a time within
// the years of [ValidateTime], text of at most 8 KiB without control
// characters other than tabs and line breaks, and a locality of at most
// 256 bytes without control characters, which field-test feedback
// requires.
func (f Feedback) Validate() error {
	if err := f.ID.Validate(); err != nil {
		return InField("feedback.id", err)
	}
	if err := f.Product.Validate(); err != nil {
		return InField("feedback.product", err)
	}
	if f.Rating < MinRating || f.Rating > MaxRating {
		return Invalid("feedback.rating", "%d outside %d to %d", f.Rating, MinRating, MaxRating)
	}
	if err := f.Category.Validate(); err != nil {
		return InField("feedback.category", err)
	}
	if err := f.Source.Validate(); err != nil {
		return InField("feedback.source", err)
	}
	if err := validateText("feedback.text", f.Text, maxFeedbackText, true); err != nil {
		return err
	}
	if err := optionalID("feedback.customer", f.Customer); err != nil {
		return err
	}
	if err := optionalID("feedback.deal", f.Deal); err != nil {
		return err
	}
	if err := validateText("feedback.locality", f.Locality, maxNameLength, false); err != nil {
		return err
	}
	if f.Source == FromFieldTest && f.Locality == "" {
		return Invalid("feedback.locality", "missing for field-test feedback")
	}
	if f.Time.IsZero() {
		return Invalid("feedback.time", "missing")
	}
	if err := ValidateTime(f.Time); err != nil {
		return InField("feedback.time", err)
	}
	return nil
}

// UnmarshalJSON decodes a piece of feedback from the JSON form
// [encoding/json] gives it; errors wrap [ErrInvalid] and name the field
// (see [DecodeJSON]).
func (f *Feedback) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(f); err != nil {
		return err
	}
	type plain Feedback
	return DecodeJSON("feedback", data, (*plain)(f))
}
