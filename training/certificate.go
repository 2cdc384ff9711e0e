package training

import (
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/salesprocess/salesprocess"
)

// Certificate says that a rep may sell a product: on every channel
// (Channel empty) or on one. It was earned on the product's brief at
// BriefVersion and is valid from Issued up to (not including) Expires; it
// lapses earlier when the product's brief moves to a later major version
// (see [Certificate.Status]). A rep holds at most one certificate per
// product and channel: a new one replaces the old. [Trainer.Certify]
// renews a certificate only from passes made after it was issued: until
// the rep has passed every module of the curriculum again, it returns the
// certificate unchanged, unless it has lapsed or a major brief version has
// outdated it, when it refuses with an [*IncompleteError].
//
// There is no revocation. To withdraw a certificate before it expires, put
// it again ([CertificateStore.PutCertificate]) with Expires set to the time
// of the withdrawal: [Readiness] then refuses the rep from that time on
// (reason [ReasonExpired]), unless another certificate covers the work (one
// for every channel covers each channel), and still finds the certificate
// valid at earlier times. The withdrawal holds until the rep passes again:
// [Trainer.Certify] issues the certificate again, or one for a channel it
// covered, or one for every channel where it was for one, only from passes
// made at or after the time of the withdrawal, as after an expiry. The zero
// Certificate is invalid: its Validate refuses it, and its Status is
// expired.
type Certificate struct {
	Rep          salesprocess.RepID     `json:"rep"`
	Product      salesprocess.ProductID `json:"product"`
	Channel      salesprocess.ChannelID `json:"channel,omitempty"`
	BriefVersion Version                `json:"brief_version"`
	Curriculum   CurriculumID           `json:"curriculum,omitempty"` // how it was earned, if by a curriculum
	Issued       time.Time              `json:"issued"`
	Expires      time.Time              `json:"expires"`
}

// Validate reports whether c has a valid rep, product, brief version and
// channel and curriculum if any, and Issued before Expires. The error
// wraps [salesprocess.ErrInvalid].
func (c Certificate) Validate() error {
	if err := requireID("certificate.rep", c.Rep); err != nil {
		return err
	}
	if err := requireID("certificate.product", c.Product); err != nil {
		return err
	}
	if err := optionalID("certificate.channel", c.Channel); err != nil {
		return err
	}
	if err := c.BriefVersion.Validate(); err != nil {
		return salesprocess.InField("certificate.brief_version", err)
	}
	if err := optionalID("certificate.curriculum", c.Curriculum); err != nil {
		return err
	}
	if err := validateTime("certificate.issued", c.Issued, true); err != nil {
		return err
	}
	if err := validateTime("certificate.expires", c.Expires, false); err != nil {
		return err
	}
	if !c.Issued.Before(c.Expires) {
		return salesprocess.Invalid("certificate.expires", "not after the issue time")
	}
	return nil
}

// Covers reports whether c is for product on channel ch: the same product,
// and either no channel (every channel) or ch.
func (c Certificate) Covers(product salesprocess.ProductID, ch salesprocess.ChannelID) bool {
	return c.Product == product && (c.Channel == "" || c.Channel == ch)
}

// Status returns the state of c at time at, given the version of the
// product's brief in force then, the first that holds of: [CertNotYetValid]
// before Issued, [CertExpired] from Expires on, [CertOutdated] when the
// brief's major version is later than the one c was earned on, and
// [CertValid]. A minor version change leaves a certificate valid.
func (c Certificate) Status(brief Version, at time.Time) CertStatus {
	switch {
	case at.Before(c.Issued):
		return CertNotYetValid
	case !at.Before(c.Expires):
		return CertExpired
	case c.BriefVersion.Major < brief.Major:
		return CertOutdated
	}
	return CertValid
}

// CertStatus is the state of a rep's certification for a product. Its text
// form is its name. The zero CertStatus is unset: it encodes as empty text
// and back, and Validate refuses it.
type CertStatus string

// The certificate states.
const (
	CertMissing     CertStatus = "missing"       // no certificate
	CertNotYetValid CertStatus = "not_yet_valid" // issued after the time asked about
	CertExpired     CertStatus = "expired"       // past its expiry
	CertOutdated    CertStatus = "outdated"      // earned on an earlier major brief version
	CertValid       CertStatus = "valid"
)

var certStatuses = []CertStatus{CertMissing, CertNotYetValid, CertExpired, CertOutdated, CertValid}

// Validate reports whether s is a known state.
func (s CertStatus) Validate() error {
	return salesprocess.CheckEnum("certificate status", s, certStatuses...)
}

// String returns s as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (s CertStatus) String() string { return string(s) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown certificate status is an error wrapping
// [salesprocess.ErrInvalid], as UnmarshalText would refuse it.
func (s CertStatus) MarshalText() ([]byte, error) {
	return salesprocess.MarshalEnum("certificate status", s, certStatuses...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [salesprocess.ErrInvalid] and leaves s unchanged; empty
// text gives the zero CertStatus.
func (s *CertStatus) UnmarshalText(text []byte) error {
	return salesprocess.UnmarshalEnum("certificate status", s, text, certStatuses...)
}

// rank orders the states from worst to best, for picking the best of
// several certificates.
func (s CertStatus) rank() int {
	for i, x := range certStatuses {
		if x == s {
			return i
		}
	}
	return -1
}

// Expiring returns the certificates of certs whose expiry falls within
// window (Start inclusive, End exclusive), in the order of certs. A zero
// window yields nothing. The sequence is as reusable as certs is.
func Expiring(certs iter.Seq[Certificate], window salesprocess.Period) iter.Seq[Certificate] {
	return func(yield func(Certificate) bool) {
		if certs == nil || window.IsZero() {
			return
		}
		for c := range certs {
			if window.Contains(c.Expires) && !yield(c) {
				return
			}
		}
	}
}

// Assignment asks a rep to take (or retake) a module by a due time: the
// way review sends a rep back to training when a finding points at the
// rep's competence. It is done when the rep passes the module at or after
// Assigned. The zero Assignment is invalid: its Validate refuses it.
type Assignment struct {
	ID         AssignmentID         `json:"id"`
	Rep        salesprocess.RepID   `json:"rep"`
	Module     ModuleID             `json:"module"`
	Due        time.Time            `json:"due"`
	Reason     string               `json:"reason,omitempty"` // why, for the rep and the record
	AssignedBy salesprocess.ActorID `json:"assigned_by,omitempty"`
	Assigned   time.Time            `json:"assigned"`
}

// Validate reports whether a has valid IDs, an assignment time, a due time
// after it, and a reason of at most 4 KiB. The error wraps
// [salesprocess.ErrInvalid].
func (a Assignment) Validate() error {
	if err := requireID("assignment.id", a.ID); err != nil {
		return err
	}
	if err := requireID("assignment.rep", a.Rep); err != nil {
		return err
	}
	if err := requireID("assignment.module", a.Module); err != nil {
		return err
	}
	if err := optionalID("assignment.assigned_by", a.AssignedBy); err != nil {
		return err
	}
	if err := validateText("assignment.reason", a.Reason, MaxTextLength, false); err != nil {
		return err
	}
	if err := validateTime("assignment.assigned", a.Assigned, true); err != nil {
		return err
	}
	if err := validateTime("assignment.due", a.Due, false); err != nil {
		return err
	}
	if !a.Due.After(a.Assigned) {
		return salesprocess.Invalid("assignment.due", "not after the assignment time")
	}
	return nil
}

// AssignmentProgress is an [Assignment] with how far the rep got at a given
// time. The zero AssignmentProgress is of the zero [Assignment], neither
// done nor overdue.
type AssignmentProgress struct {
	Assignment Assignment `json:"assignment"`
	Done       bool       `json:"done"`
	DoneAt     time.Time  `json:"done_at"` // when the rep passed, if done
	Overdue    bool       `json:"overdue"` // not done, and the due time has come
}

// sortCertificates orders certificates by rep, product and channel, the
// order of [CertificateStore.ListCertificates].
func sortCertificates(cs []Certificate) {
	slices.SortFunc(cs, CompareCertificates)
}

// CompareCertificates orders certificates by rep, product and channel
// (byte-wise), the order of [CertificateStore.ListCertificates].
func CompareCertificates(a, b Certificate) int {
	if c := strings.Compare(string(a.Rep), string(b.Rep)); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.Product), string(b.Product)); c != 0 {
		return c
	}
	return strings.Compare(string(a.Channel), string(b.Channel))
}
