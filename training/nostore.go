package training

import (
	"context"
	"iter"
	"time"

	"github.com/salesprocess/salesprocess"
)

// errNoStore returns what a store stand-in fails with; the service that
// called it names the package.
func errNoStore() error {
	return salesprocess.Invalid("store", "missing: the service was built without a store")
}

// noStore stands in for a missing store: every method fails with
// errNoStore, so that a service built with a nil store returns errors
// rather than panicking.
type noStore struct{}

var _ Store = noStore{}

func fail[T any]() iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, errNoStore())
	}
}

func (noStore) BriefAt(context.Context, salesprocess.ProductID, time.Time) (Brief, error) {
	return Brief{}, errNoStore()
}
func (noStore) AddBrief(context.Context, Brief) error { return errNoStore() }
func (noStore) GetBrief(context.Context, salesprocess.ProductID, Version) (Brief, error) {
	return Brief{}, errNoStore()
}
func (noStore) ListBriefs(context.Context, salesprocess.ProductID) iter.Seq2[Brief, error] {
	return fail[Brief]()
}
func (noStore) PutCertificate(context.Context, Certificate) error { return errNoStore() }
func (noStore) ListCertificates(context.Context, CertificateFilter) iter.Seq2[Certificate, error] {
	return fail[Certificate]()
}
func (noStore) AddAttempt(context.Context, Attempt) error { return errNoStore() }
func (noStore) ListAttempts(context.Context, salesprocess.RepID, ModuleID) iter.Seq2[Attempt, error] {
	return fail[Attempt]()
}
func (noStore) AddAssignment(context.Context, Assignment) error { return errNoStore() }
func (noStore) ListAssignments(context.Context, salesprocess.RepID) iter.Seq2[Assignment, error] {
	return fail[Assignment]()
}
func (noStore) CreatePilot(context.Context, Pilot) error         { return errNoStore() }
func (noStore) GetPilot(context.Context, PilotID) (Pilot, error) { return Pilot{}, errNoStore() }
func (noStore) UpdatePilot(context.Context, Pilot, int64) error  { return errNoStore() }
func (noStore) ListPilots(context.Context, salesprocess.ProductID) iter.Seq2[Pilot, error] {
	return fail[Pilot]()
}
func (noStore) AddSale(context.Context, Sale) error { return errNoStore() }
func (noStore) ListSales(context.Context, PilotID) iter.Seq2[Sale, error] {
	return fail[Sale]()
}
func (noStore) AddFeedback(context.Context, salesprocess.Feedback) error { return errNoStore() }
func (noStore) ListFeedback(context.Context, salesprocess.ProductID) iter.Seq2[salesprocess.Feedback, error] {
	return fail[salesprocess.Feedback]()
}
