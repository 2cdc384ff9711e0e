package salesprocess

import "slices"

// Role is what an [Actor] is in the sales organization; authorization
// policies decide by it. Its text form is its name. There are only the
// four below: [Actor.Validate] refuses any other, and so does the pipeline
// engine, so a host's own kind of actor (an assistant) takes one of them
// and its policy tells it apart by ID. The zero Role is unset: it encodes as
// empty text and back, and Validate refuses it.
type Role string

// The roles.
const (
	RoleRep     Role = "rep"     // a sales representative: acts on their own records
	RoleManager Role = "manager" // a sales manager: acts within the regions they manage
	RoleAdmin   Role = "admin"   // an administrator: acts on any record
	RoleSystem  Role = "system"  // a job or integration of the host: acts on any record
)

var roles = []Role{RoleRep, RoleManager, RoleAdmin, RoleSystem}

// Validate reports whether r is a known role.
func (r Role) Validate() error { return CheckEnum("role", r, roles...) }

// String returns r as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (r Role) String() string { return string(r) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown role is an error wrapping
// [ErrInvalid], as UnmarshalText would refuse it.
func (r Role) MarshalText() ([]byte, error) {
	return MarshalEnum("role", r, roles...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [ErrInvalid]; empty text gives the zero Role.
func (r *Role) UnmarshalText(text []byte) error { return UnmarshalEnum("role", r, text, roles...) }

// Actor is whoever acts on a record: recorded in history and events (the
// audit trail) and judged by authorization policies. A rep acts as
// themselves: their ActorID is their RepID (see [RepActor] and
// [Actor.IsRep]). A manager's Regions are the regional divisions they
// manage. The zero Actor is invalid: its Validate refuses it.
type Actor struct {
	ID      ActorID    `json:"id"`
	Role    Role       `json:"role"`
	Regions []RegionID `json:"regions,omitempty"`
}

// RepActor returns the actor for rep id.
func RepActor(id RepID) Actor { return Actor{ID: ActorID(id), Role: RoleRep} }

// ManagerActor returns a manager acting for regions, with a copy of them.
func ManagerActor(id ActorID, regions ...RegionID) Actor {
	return Actor{ID: id, Role: RoleManager, Regions: slices.Clone(regions)}
}

// SystemActor returns a system actor, for jobs and integrations.
func SystemActor(id ActorID) Actor { return Actor{ID: id, Role: RoleSystem} }

// AdminActor returns an administrator, who acts on any record.
func AdminActor(id ActorID) Actor { return Actor{ID: id, Role: RoleAdmin} }

// IsRep reports whether a is the rep with id.
func (a Actor) IsRep(id RepID) bool { return a.Role == RoleRep && a.ID == ActorID(id) }

// Manages reports whether a is a manager of region r.
func (a Actor) Manages(r RegionID) bool {
	return a.Role == RoleManager && r != "" && slices.Contains(a.Regions, r)
}

// Validate reports whether a has a valid ID, a known role and valid region
// IDs. The error wraps [ErrInvalid] and names the field at fault: a bad
// region by its index ("actor.regions[1]").
func (a Actor) Validate() error {
	if err := a.ID.Validate(); err != nil {
		return InField("actor.id", err)
	}
	if err := a.Role.Validate(); err != nil {
		return InField("actor.role", err)
	}
	for i, r := range a.Regions {
		if err := r.Validate(); err != nil {
			return InElement("actor.regions", i, "", err)
		}
	}
	return nil
}

// UnmarshalJSON decodes an actor from the JSON form [encoding/json] gives it;
// errors wrap [ErrInvalid] and name the field (see [DecodeJSON]).
func (a *Actor) UnmarshalJSON(data []byte) error {
	if err := CheckTarget(a); err != nil {
		return err
	}
	type plain Actor
	return DecodeJSON("actor", data, (*plain)(a))
}
