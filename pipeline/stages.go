package pipeline

import (
	"fmt"
	"slices"
	"strings"

	sp "github.com/salesprocess/salesprocess"
)

var inquiryStages = []InquiryStage{InquiryNew, InquiryContacted, InquiryQualified, InquiryConverted, InquiryDisqualified}

var serviceStages = []ServiceStage{ServiceAwaitingDelivery, ServiceDelivered, ServiceFollowedUp}

var activityKinds = []ActivityKind{ActivityCall, ActivityVisit, ActivityEmail, ActivityMeeting, ActivityDemo}

var lossCategories = []LossCategory{
	LossPrice, LossProduct, LossCompetitor, LossTiming, LossNoDecision, LossRepExecution, LossOther,
}

// checkEnum reports whether v is one of valid; the error names the kind of
// value and lists the valid ones.
func checkEnum[T ~string](kind string, v T, valid []T) error {
	if slices.Contains(valid, v) {
		return nil
	}
	names := make([]string, len(valid))
	for i, x := range valid {
		names[i] = string(x)
	}
	if v == "" {
		return sp.Invalid("", "missing %s; want one of %s", kind, strings.Join(names, ", "))
	}
	return sp.Invalid("", "unknown %s %s; want one of %s", kind, sp.Quote(string(v)), strings.Join(names, ", "))
}

// marshalEnum returns the text of v if v is empty or valid by check, so
// that what marshals unmarshals back by unmarshalEnum, and the error of
// check otherwise.
func marshalEnum[T ~string](v T, check func(T) error) ([]byte, error) {
	if v != "" {
		if err := check(v); err != nil {
			return nil, err
		}
	}
	return []byte(v), nil
}

// unmarshalEnum sets *dst from text if text is empty or valid by check, and
// leaves *dst alone otherwise. A nil dst is the error of [sp.CheckTarget].
func unmarshalEnum[T ~string](dst *T, text []byte, check func(T) error) error {
	if err := sp.CheckTarget(dst); err != nil {
		return err
	}
	v := T(text)
	if v != "" {
		if err := check(v); err != nil {
			return err
		}
	}
	*dst = v
	return nil
}

// ParseInquiryStage returns the inquiry stage with key s; an unknown key is
// an error wrapping [sp.ErrInvalid], with the zero stage.
func ParseInquiryStage(s string) (InquiryStage, error) {
	v := InquiryStage(s)
	if err := v.Validate(); err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	return v, nil
}

// Validate reports whether s is one of the inquiry stages.
func (s InquiryStage) Validate() error { return checkEnum("inquiry stage", s, inquiryStages) }

// IsOpen reports whether s is New, Contacted or Qualified: an inquiry still
// being followed up.
func (s InquiryStage) IsOpen() bool {
	return s == InquiryNew || s == InquiryContacted || s == InquiryQualified
}

// String returns the key.
func (s InquiryStage) String() string { return string(s) }

// MarshalText implements [encoding.TextMarshaler]: the key; the zero stage
// encodes as empty text. As for UnmarshalText, an unknown key is an error
// wrapping [sp.ErrInvalid].
func (s InquiryStage) MarshalText() ([]byte, error) { return marshalEnum(s, InquiryStage.Validate) }

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text gives the
// zero stage; an unknown key is an error wrapping
// [sp.ErrInvalid] and leaves s unchanged.
func (s *InquiryStage) UnmarshalText(text []byte) error {
	return unmarshalEnum(s, text, InquiryStage.Validate)
}

// ParseDealStage returns the deal stage with key s. Since hosts define
// their own pipelines, it checks the form of the key only (1 to 64 bytes of
// lower-case ASCII letters, digits and underscores, starting with a
// letter), not that some pipeline has it; a malformed key is an error
// wrapping [sp.ErrInvalid], with the zero stage.
func ParseDealStage(s string) (DealStage, error) {
	v := DealStage(s)
	if err := v.Validate(); err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	return v, nil
}

// Validate reports whether s is a well-formed stage key; see
// [ParseDealStage].
func (s DealStage) Validate() error { return validKey(string(s)) }

// String returns the key.
func (s DealStage) String() string { return string(s) }

// MarshalText implements [encoding.TextMarshaler]: the key; the zero stage
// encodes as empty text. As for UnmarshalText, a malformed key is an error
// wrapping [sp.ErrInvalid].
func (s DealStage) MarshalText() ([]byte, error) { return marshalEnum(s, DealStage.Validate) }

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text gives the
// zero stage; a malformed key is an error wrapping
// [sp.ErrInvalid] and leaves s unchanged.
func (s *DealStage) UnmarshalText(text []byte) error {
	return unmarshalEnum(s, text, DealStage.Validate)
}

// ParseServiceStage returns the after-sale stage with key s; an unknown key
// is an error wrapping [sp.ErrInvalid], with the zero stage.
func ParseServiceStage(s string) (ServiceStage, error) {
	v := ServiceStage(s)
	if err := v.Validate(); err != nil {
		return "", fmt.Errorf("pipeline: %w", err)
	}
	return v, nil
}

// Validate reports whether s is one of the after-sale stages.
func (s ServiceStage) Validate() error { return checkEnum("service stage", s, serviceStages) }

// String returns the key.
func (s ServiceStage) String() string { return string(s) }

// MarshalText implements [encoding.TextMarshaler]: the key; the zero stage
// encodes as empty text. As for UnmarshalText, an unknown key is an error
// wrapping [sp.ErrInvalid].
func (s ServiceStage) MarshalText() ([]byte, error) { return marshalEnum(s, ServiceStage.Validate) }

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text gives the
// zero stage; an unknown key is an error wrapping
// [sp.ErrInvalid] and leaves s unchanged.
func (s *ServiceStage) UnmarshalText(text []byte) error {
	return unmarshalEnum(s, text, ServiceStage.Validate)
}

// Validate reports whether k is a known activity kind.
func (k ActivityKind) Validate() error { return checkEnum("activity kind", k, activityKinds) }

// String returns k as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (k ActivityKind) String() string { return string(k) }

// MarshalText implements [encoding.TextMarshaler]: the name; the zero kind
// encodes as empty text. As for UnmarshalText, an unknown kind is an error
// wrapping [sp.ErrInvalid].
func (k ActivityKind) MarshalText() ([]byte, error) { return marshalEnum(k, ActivityKind.Validate) }

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text gives the
// zero kind; an unknown kind is an error wrapping
// [sp.ErrInvalid] and leaves k unchanged.
func (k *ActivityKind) UnmarshalText(text []byte) error {
	return unmarshalEnum(k, text, ActivityKind.Validate)
}

// Validate reports whether c is a known loss category.
func (c LossCategory) Validate() error { return checkEnum("loss category", c, lossCategories) }

// String returns c as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (c LossCategory) String() string { return string(c) }

// MarshalText implements [encoding.TextMarshaler]: the name; the zero category
// encodes as empty text. As for UnmarshalText, an unknown category is an error
// wrapping [sp.ErrInvalid].
func (c LossCategory) MarshalText() ([]byte, error) { return marshalEnum(c, LossCategory.Validate) }

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text gives the
// zero category; an unknown category is an error wrapping
// [sp.ErrInvalid] and leaves c unchanged.
func (c *LossCategory) UnmarshalText(text []byte) error {
	return unmarshalEnum(c, text, LossCategory.Validate)
}

// The records implement [Record] for their machines.

func (in *Inquiry) currentStage() (InquiryStage, bool) {
	if in == nil {
		return "", false
	}
	return in.Stage, true
}

func (in *Inquiry) hasHistory() bool { return len(in.History) > 0 }

func (in *Inquiry) enter(t Transition[InquiryStage]) {
	in.Stage = t.To
	in.History = append(in.History, t)
}

func (d *Deal) currentStage() (DealStage, bool) {
	if d == nil {
		return "", false
	}
	return d.Stage, true
}

func (d *Deal) hasHistory() bool { return len(d.History) > 0 }

func (d *Deal) enter(t Transition[DealStage]) {
	d.Stage = t.To
	d.History = append(d.History, t)
}

func (s *Service) currentStage() (ServiceStage, bool) {
	if s == nil {
		return "", false
	}
	return s.Stage, true
}

func (s *Service) hasHistory() bool { return len(s.History) > 0 }

func (s *Service) enter(t Transition[ServiceStage]) {
	s.Stage = t.To
	s.History = append(s.History, t)
}
