package training

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/salesprocess/salesprocess"
)

// ReasonCode says, in a machine-readable way, why a rep is not ready to
// sell a product on a channel. Its text form is its name. The zero
// ReasonCode is unset: it encodes as empty text and back, and Validate
// refuses it.
type ReasonCode string

// The reason codes.
const (
	// ReasonNoBrief: the product has no brief in force, so nobody can be
	// trained for it yet.
	ReasonNoBrief ReasonCode = "no_brief"
	// ReasonNoCertificate: the rep holds no certificate for the product.
	ReasonNoCertificate ReasonCode = "no_certificate"
	// ReasonWrongChannel: the rep's certificates for the product are for
	// other channels only.
	ReasonWrongChannel ReasonCode = "wrong_channel"
	// ReasonNotYetValid: the certificate was issued after the time asked
	// about.
	ReasonNotYetValid ReasonCode = "not_yet_valid"
	// ReasonExpired: the certificate expired.
	ReasonExpired ReasonCode = "expired"
	// ReasonBriefOutdated: the certificate was earned on an earlier major
	// version of the product's brief.
	ReasonBriefOutdated ReasonCode = "brief_outdated"
)

var reasonCodes = []ReasonCode{ReasonNoBrief, ReasonNoCertificate, ReasonWrongChannel, ReasonNotYetValid, ReasonExpired, ReasonBriefOutdated}

// Validate reports whether c is a known reason code.
func (c ReasonCode) Validate() error { return salesprocess.CheckEnum("reason code", c, reasonCodes...) }

// String returns c as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (c ReasonCode) String() string { return string(c) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown reason code is an error wrapping
// [salesprocess.ErrInvalid], as UnmarshalText would refuse it.
func (c ReasonCode) MarshalText() ([]byte, error) {
	return salesprocess.MarshalEnum("reason code", c, reasonCodes...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [salesprocess.ErrInvalid] and leaves c unchanged; empty
// text gives the zero ReasonCode.
func (c *ReasonCode) UnmarshalText(text []byte) error {
	return salesprocess.UnmarshalEnum("reason code", c, text, reasonCodes...)
}

// Reason is one reason why a rep is not ready: its code, the certificate
// channel it concerns (empty for a certificate valid on every channel, and
// when no one certificate is concerned: the reasons of [Trainer.Onboard],
// one per product, judge the best of its certificates on any channel and
// name none), and a sentence for people. The zero Reason has no code.
type Reason struct {
	Code    ReasonCode             `json:"code"`
	Channel salesprocess.ChannelID `json:"channel,omitempty"`
	Detail  string                 `json:"detail"`
}

// Verdict is the answer to "may this rep sell this product on this channel
// at this time?": Ready, or the reasons why not (every one, in a stable
// order: by certificate, the one for every channel first, then by reason).
// BriefVersion is the version of the product's brief in force at At (zero if
// none), and Certificate the one that makes the rep ready (zero when not
// ready). The zero Verdict is not ready, with no reason: its Err is a
// [*NotReadyError] that gives none.
type Verdict struct {
	Rep          salesprocess.RepID     `json:"rep"`
	Product      salesprocess.ProductID `json:"product"`
	Channel      salesprocess.ChannelID `json:"channel"`
	At           time.Time              `json:"at"`
	Ready        bool                   `json:"ready"`
	BriefVersion Version                `json:"brief_version"`
	Certificate  Certificate            `json:"certificate"` // left out when zero
	Reasons      []Reason               `json:"reasons"`
}

// Err returns nil for a ready verdict and a [*NotReadyError] otherwise.
func (v Verdict) Err() error {
	if v.Ready {
		return nil
	}
	return &NotReadyError{Rep: v.Rep, Product: v.Product, Channel: v.Channel, Reasons: v.Reasons}
}

// NotReadyError reports that a rep may not sell a product on a channel, and
// why. It unwraps to [salesprocess.ErrForbidden]. The zero NotReadyError
// names no rep, product or reason, and still unwraps to ErrForbidden.
type NotReadyError struct {
	Rep     salesprocess.RepID
	Product salesprocess.ProductID
	Channel salesprocess.ChannelID
	Reasons []Reason
}

// Error returns "training: rep R not ready for product P on channel C:
// code (detail); ...", without "on channel C" when Channel is empty and
// without "for product P on channel C" when Product is empty (the error
// of [Trainer.Onboard], which asks about no product).
func (e *NotReadyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "training: rep %s not ready", salesprocess.Quote(string(e.Rep)))
	if e.Product != "" {
		fmt.Fprintf(&b, " for product %s", salesprocess.Quote(string(e.Product)))
		if e.Channel != "" {
			fmt.Fprintf(&b, " on channel %s", salesprocess.Quote(string(e.Channel)))
		}
	}
	for i, r := range e.Reasons {
		b.WriteString(pick(i == 0, ": ", "; "))
		b.WriteString(string(r.Code))
		if r.Detail != "" {
			b.WriteString(" (" + r.Detail + ")")
		}
	}
	return b.String()
}

// Unwrap returns [salesprocess.ErrForbidden].
func (e *NotReadyError) Unwrap() error { return salesprocess.ErrForbidden }

// Has reports whether one of the reasons has code c; a nil e has none.
func (e *NotReadyError) Has(c ReasonCode) bool {
	if e == nil {
		return false
	}
	for _, r := range e.Reasons {
		if r.Code == c {
			return true
		}
	}
	return false
}

// Options configure the services of this package: [Trainer] uses them all;
// [Readiness] takes every time from its arguments, refusing a zero one, and
// uses only Location. The zero Options, and a nil *Options, take every
// default.
type Options struct {
	// Clock gives the current time where an operation has none of its
	// own (issuing a certificate, recording an attempt without a time, a
	// query of the Trainer at the zero time).
	// Nil, or a nil [salesprocess.ClockFunc], means
	// [salesprocess.SystemClock].
	Clock salesprocess.Clock

	// Location returns the time zone of a rep (that of the rep's region,
	// say), so that one Trainer serves reps in several zones:
	// [Trainer.Certify] counts the months of the rep's certificate on the
	// calendar of that zone and gives its Issued and Expires there; the
	// reasons of [Readiness] (so those of the eligibility check package
	// pipeline asks) and of [Trainer.Onboard], and the [*IncompleteError]
	// of Certify, write their times there. A nil Location, or a nil result
	// for a rep, means the default: months counted in the zone of the
	// clock's time, and times written in their own zone, as stored.
	// Whether a rep is ready at an instant does not depend on it, since a
	// certificate holds instants; a window given to [Readiness.Expiring]
	// is the host's, in its own zone.
	//
	// Location is called with a valid rep ID, only where a zone is needed,
	// from the goroutines of the calls that need it (so perhaps from
	// several at once). A zone in which a time has no RFC 3339 form (an
	// offset of a day or more, see [salesprocess.ValidateTime]) makes
	// Certify fail, when the time is the clock's, with an error wrapping
	// [salesprocess.ErrInvalid] that names "options.location", and a
	// reason writes such a time in its own zone. Unlike a
	// [salesprocess.Region]'s, the zone needs no IANA name: a
	// certificate's times are written with their UTC offsets.
	Location func(salesprocess.RepID) *time.Location
}

// location returns o's Location as a [repZones]; nil for a nil o.
func (o *Options) location() repZones {
	if o == nil {
		return nil
	}
	return o.Location
}

// repZones is [Options].Location: the time zone of each rep, nil for the
// default.
type repZones func(salesprocess.RepID) *time.Location

// of returns the zone of rep in which time t has an RFC 3339 form, and
// an error wrapping [salesprocess.ErrInvalid] that names
// "options.location" for one in which it has none. The zone is nil, with
// no error, when there is none for the rep: no Location, an invalid rep
// ID or a nil result.
func (z repZones) of(rep salesprocess.RepID, t time.Time) (*time.Location, error) {
	if z == nil || rep.Validate() != nil {
		return nil, nil
	}
	loc := z(rep)
	if loc == nil {
		return nil, nil
	}
	if err := salesprocess.ValidateTime(t.In(loc)); err != nil {
		return nil, fmt.Errorf("zone %s of rep %s: %w", salesprocess.Quote(loc.String()), salesprocess.Quote(string(rep)), salesprocess.InField("options.location", err))
	}
	return loc, nil
}

// in returns t in the zone of rep if there is one in which t has an RFC
// 3339 form, and t as it is otherwise.
func (z repZones) in(rep salesprocess.RepID, t time.Time) time.Time {
	if loc, err := z.of(rep, t); loc != nil && err == nil {
		return t.In(loc)
	}
	return t
}

// format writes t as a text about rep's certificates does: with
// [salesprocess.FormatTime], in rep's zone as [repZones.in] gives it.
func (z repZones) format(rep salesprocess.RepID, t time.Time) string {
	return salesprocess.FormatTime(z.in(rep, t))
}

func (o *Options) clock() salesprocess.Clock {
	if o == nil || o.Clock == nil {
		return salesprocess.SystemClock{}
	}
	if f, ok := o.Clock.(salesprocess.ClockFunc); ok && f == nil {
		return salesprocess.SystemClock{}
	}
	return o.Clock
}

// Readiness answers whether reps may sell products, from their
// certificates and the products' briefs. It satisfies the eligibility
// interface of package pipeline (the Eligible method) without depending
// on it. It is safe for concurrent use if its stores are. Make one with
// [NewReadiness]: the zero Readiness, like a nil *Readiness, has no
// stores (see NewReadiness).
type Readiness struct {
	certs  CertificateStore
	briefs BriefSource
	zones  repZones // Options.Location
}

// NewReadiness returns a [Readiness] reading certificates from certs and
// briefs from briefs: only the version of the brief in force, through
// BriefVersionAt when briefs is a [BriefVersionSource] and through BriefAt
// otherwise. opts may be nil; a Readiness takes its times from its
// arguments, and of the options uses only Location, to write the times in
// its reasons in the rep's zone.
//
// Nil stores, like a nil *Readiness, make every query fail with an error
// wrapping [salesprocess.ErrInvalid].
func NewReadiness(certs CertificateStore, briefs BriefSource, opts *Options) *Readiness {
	r := &Readiness{certs: certs, briefs: briefs, zones: opts.location()}
	if certs == nil {
		r.certs = noStore{}
	}
	if briefs == nil {
		r.briefs = noStore{}
	}
	return r
}

// repZones returns the zones of the reps (see [Options].Location), nil
// for a nil r.
func (r *Readiness) repZones() repZones {
	if r == nil {
		return nil
	}
	return r.zones
}

func (r *Readiness) certStore() CertificateStore {
	if r == nil || r.certs == nil {
		return noStore{}
	}
	return r.certs
}

func (r *Readiness) briefSource() BriefSource {
	if r == nil || r.briefs == nil {
		return noStore{}
	}
	return r.briefs
}

// Eligible returns nil when rep may own work (an inquiry, a deal) for
// product on channel at time at: the rep holds a certificate for the
// product covering the channel that is valid at that time and was earned on
// the current major version of the product's brief. Work on no channel
// (channel empty) needs a certificate for every channel: one for a single
// channel does not cover it. Otherwise it returns a [*NotReadyError], which
// wraps [salesprocess.ErrForbidden] and lists the reasons. Invalid IDs, and
// an at that is zero (the year 1: Readiness takes every time from its
// arguments) or that [salesprocess.ValidateTime] refuses, are an error
// wrapping [salesprocess.ErrInvalid]; a store failure is returned wrapped
// as it is.
func (r *Readiness) Eligible(ctx context.Context, rep salesprocess.RepID, product salesprocess.ProductID, channel salesprocess.ChannelID, at time.Time) error {
	v, err := r.Check(ctx, rep, product, channel, at)
	if err != nil {
		return err
	}
	return v.Err()
}

// Check returns the full [Verdict] on whether rep may sell product on
// channel at time at; see [Readiness.Eligible] for the rule. The error is
// for invalid IDs and a zero or invalid at ([salesprocess.ErrInvalid]) and
// store failures only; a rep who is not ready gets a verdict, not an error.
func (r *Readiness) Check(ctx context.Context, rep salesprocess.RepID, product salesprocess.ProductID, channel salesprocess.ChannelID, at time.Time) (Verdict, error) {
	v := Verdict{Rep: rep, Product: product, Channel: channel, At: at}
	if ctx == nil {
		return v, errNilContext("check readiness")
	}
	if err := validateQuery(rep, product, channel, at); err != nil {
		return v, fmt.Errorf("training: check readiness: %w", err)
	}
	brief, err := r.briefAt(ctx, product, at)
	if err != nil {
		return v, fmt.Errorf("training: check readiness: %w", err)
	}
	v.BriefVersion = brief
	if brief.IsZero() {
		v.Reasons = []Reason{{Code: ReasonNoBrief, Detail: fmt.Sprintf("product %s has no brief in force at %s", salesprocess.Quote(string(product)), r.repZones().format(rep, at))}}
		return v, nil
	}
	certs, err := r.certificates(ctx, rep, product)
	if err != nil {
		return v, fmt.Errorf("training: check readiness: %w", err)
	}
	var others []string
	for _, c := range certs {
		if !c.Covers(product, channel) {
			others = append(others, salesprocess.Quote(string(c.Channel)))
			continue
		}
		switch c.Status(brief, at) {
		case CertValid:
			v.Ready, v.Certificate, v.Reasons = true, c, nil
			return v, nil
		case CertNotYetValid:
			v.Reasons = append(v.Reasons, Reason{Code: ReasonNotYetValid, Channel: c.Channel, Detail: "issued at " + r.repZones().format(rep, c.Issued)})
		case CertExpired:
			v.Reasons = append(v.Reasons, Reason{Code: ReasonExpired, Channel: c.Channel, Detail: "expired at " + r.repZones().format(rep, c.Expires)})
		}
		if c.BriefVersion.Major < brief.Major {
			v.Reasons = append(v.Reasons, Reason{Code: ReasonBriefOutdated, Channel: c.Channel,
				Detail: fmt.Sprintf("earned on brief %s, brief %s in force", c.BriefVersion, brief)})
		}
	}
	if len(v.Reasons) == 0 {
		if len(others) > 0 {
			v.Reasons = []Reason{{Code: ReasonWrongChannel, Detail: "certified for " + pick(len(others) == 1, "channel ", "channels ") + strings.Join(others, ", ") + " only"}}
		} else {
			v.Reasons = []Reason{{Code: ReasonNoCertificate, Detail: "no certificate for the product"}}
		}
	}
	return v, nil
}

// Status returns the state of rep's certification for product at time at:
// the best state of the rep's certificates for the product on any channel,
// ordered from best to worst [CertValid], [CertOutdated], [CertExpired],
// [CertNotYetValid]; [CertMissing] without any. Without a brief in force a
// certificate cannot be outdated. [Readiness.Certificate] returns the
// certificate in that state. Errors are as for [Readiness.Check].
func (r *Readiness) Status(ctx context.Context, rep salesprocess.RepID, product salesprocess.ProductID, at time.Time) (CertStatus, error) {
	if ctx == nil {
		return "", errNilContext("certificate status")
	}
	s, _, err := r.status(ctx, rep, product, at)
	if err != nil {
		return "", fmt.Errorf("training: certificate status: %w", err)
	}
	return s, nil
}

// Certificate returns the certificate of rep for product whose state
// [Readiness.Status] gives at time at: of the rep's certificates for the
// product on any channel, the one in the best state, and of several in
// that state the first in the order of [CertificateStore.ListCertificates]
// (the one for every channel first), so that its [Certificate.Status],
// given the version of the product's brief in force at at, is what
// Status returns. It may be valid, outdated, expired (a withdrawn one
// too) or not yet valid. A rep who holds no certificate for the product
// is an error wrapping [salesprocess.ErrNotFound]; other errors are as
// for [Readiness.Check].
func (r *Readiness) Certificate(ctx context.Context, rep salesprocess.RepID, product salesprocess.ProductID, at time.Time) (Certificate, error) {
	if ctx == nil {
		return Certificate{}, errNilContext("certificate")
	}
	s, c, err := r.status(ctx, rep, product, at)
	if err == nil && s == CertMissing {
		err = fmt.Errorf("rep %s holds no certificate for product %s: %w",
			salesprocess.Quote(string(rep)), salesprocess.Quote(string(product)), salesprocess.ErrNotFound)
	}
	if err != nil {
		return Certificate{}, fmt.Errorf("training: certificate: %w", err)
	}
	return c, nil
}

// status is [Readiness.Status] with errors that do not name the package,
// and the certificate in that state that [Readiness.Certificate] returns
// (the zero Certificate with [CertMissing]).
func (r *Readiness) status(ctx context.Context, rep salesprocess.RepID, product salesprocess.ProductID, at time.Time) (CertStatus, Certificate, error) {
	if err := validateQuery(rep, product, "", at); err != nil {
		return "", Certificate{}, err
	}
	brief, err := r.briefAt(ctx, product, at)
	if err != nil {
		return "", Certificate{}, err
	}
	certs, err := r.certificates(ctx, rep, product)
	if err != nil {
		return "", Certificate{}, err
	}
	best, cert := CertMissing, Certificate{}
	for _, c := range certs {
		if s := c.Status(brief, at); s.rank() > best.rank() {
			best, cert = s, c
		}
	}
	return best, cert, nil
}

// Expiring lists the certificates whose expiry falls within window, as
// [CertificateStore.ListCertificates] orders them. A zero window yields
// nothing. A window whose start, or whose last instant (the one before its
// end), [salesprocess.ValidateTime] refuses yields only an error wrapping
// [salesprocess.ErrInvalid] that names the window, and the store is not
// asked. Each iteration lists the store again, so the sequence is
// single-use where the store's listing is.
func (r *Readiness) Expiring(ctx context.Context, window salesprocess.Period) iter.Seq2[Certificate, error] {
	return func(yield func(Certificate, error) bool) {
		if ctx == nil {
			yield(Certificate{}, errNilContext("expiring certificates"))
			return
		}
		if window.IsZero() {
			return
		}
		if err := checkWindow(window); err != nil {
			yield(Certificate{}, fmt.Errorf("training: expiring certificates: %w", err))
			return
		}
		for c, err := range r.certStore().ListCertificates(ctx, CertificateFilter{Expiring: window}) {
			if err != nil {
				yield(Certificate{}, fmt.Errorf("training: expiring certificates: %w", err))
				return
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}

// checkWindow refuses a window whose start or last instant
// [salesprocess.ValidateTime] refuses. Its end is exclusive: the end of a
// year 9999 period, in the year 10000, is not one of its instants.
func checkWindow(w salesprocess.Period) error {
	if err := validateTime("window", w.Start(), false); err != nil {
		return err
	}
	return validateTime("window", w.End().Add(-1), false)
}

// briefAt returns the version of the product's brief in force at at, or
// the zero Version if there is none. It asks the source's BriefVersionAt
// when the source is a [BriefVersionSource], and its BriefAt otherwise.
func (r *Readiness) briefAt(ctx context.Context, product salesprocess.ProductID, at time.Time) (Version, error) {
	ver, err := versionAt(ctx, r.briefSource(), product, at)
	switch {
	case errors.Is(err, salesprocess.ErrNotFound):
		return Version{}, nil
	case err != nil:
		return Version{}, fmt.Errorf("brief of product %s: %w", salesprocess.Quote(string(product)), err)
	}
	return ver, nil
}

// versionAt returns the version of the product's brief in force at at,
// from src: by BriefVersionAt when src is a [BriefVersionSource], by
// BriefAt otherwise.
func versionAt(ctx context.Context, src BriefSource, product salesprocess.ProductID, at time.Time) (Version, error) {
	if vs, ok := src.(BriefVersionSource); ok {
		return vs.BriefVersionAt(ctx, product, at)
	}
	b, err := src.BriefAt(ctx, product, at)
	return b.Version, err
}

// certificates reads rep's certificates for product, the one for every
// channel first.
func (r *Readiness) certificates(ctx context.Context, rep salesprocess.RepID, product salesprocess.ProductID) ([]Certificate, error) {
	var out []Certificate
	for c, err := range r.certStore().ListCertificates(ctx, CertificateFilter{Rep: rep, Product: product}) {
		if err != nil {
			return nil, fmt.Errorf("certificates of rep %s: %w", salesprocess.Quote(string(rep)), err)
		}
		if c.Rep == rep && c.Product == product {
			out = append(out, c)
		}
	}
	sortCertificates(out)
	return out, nil
}

func validateQuery(rep salesprocess.RepID, product salesprocess.ProductID, channel salesprocess.ChannelID, at time.Time) error {
	if err := requireID("rep", rep); err != nil {
		return err
	}
	if err := requireID("product", product); err != nil {
		return err
	}
	if err := optionalID("channel", channel); err != nil {
		return err
	}
	return validateTime("at", at, true)
}
