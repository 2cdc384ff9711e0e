package training

import (
	"fmt"
	"slices"
	"time"

	"github.com/salesprocess/salesprocess"
)

// ModuleKind says what a training [Module] teaches. Its text form is its
// name. The zero ModuleKind is unset: it encodes as empty text and back, and
// Validate refuses it.
type ModuleKind string

// The module kinds.
const (
	// ModuleProductKnowledge teaches one version of a product's [Brief]:
	// pros and cons, what to say and what not to say.
	ModuleProductKnowledge ModuleKind = "product"
	// ModuleSellingTechnique teaches how to sell through one distribution
	// channel: a field visit, a phone call, a web shop.
	ModuleSellingTechnique ModuleKind = "technique"
)

var moduleKinds = []ModuleKind{ModuleProductKnowledge, ModuleSellingTechnique}

// Validate reports whether k is a known module kind.
func (k ModuleKind) Validate() error { return salesprocess.CheckEnum("module kind", k, moduleKinds...) }

// String returns k as text, the form MarshalText writes, without checking
// it: an unknown value comes back as it is.
func (k ModuleKind) String() string { return string(k) }

// MarshalText implements [encoding.TextMarshaler]: the name, or empty
// text for the zero value; an unknown module kind is an error wrapping
// [salesprocess.ErrInvalid], as UnmarshalText would refuse it.
func (k ModuleKind) MarshalText() ([]byte, error) {
	return salesprocess.MarshalEnum("module kind", k, moduleKinds...)
}

// UnmarshalText implements [encoding.TextUnmarshaler]; unknown text is an
// error wrapping [salesprocess.ErrInvalid] and leaves k unchanged; empty
// text gives the zero ModuleKind.
func (k *ModuleKind) UnmarshalText(text []byte) error {
	return salesprocess.UnmarshalEnum("module kind", k, text, moduleKinds...)
}

// Module is a unit of training that ends in an [Assessment]. A
// product-knowledge module teaches a product's brief at a version
// (Product and BriefVersion set, Channel empty); a selling-technique module
// teaches a channel (Channel set, BriefVersion zero), for every product or
// for one (Product set).
//
// Attempts at a product-knowledge module are recorded on its BriefVersion
// and count towards certification only while a brief of the same major
// version is in force. A Catalog does not change, so when a new major
// version of the brief is published, reps can requalify only once the host
// builds a new Catalog whose module names the new version, and a [Trainer]
// on it; attempts at the old module are still recorded, and a pass still
// completes an assignment of the old module ([Trainer.Assignments]), but
// certifies nothing. The zero Module is invalid: its Validate refuses it.
type Module struct {
	ID           ModuleID               `json:"id"`
	Title        string                 `json:"title"`
	Kind         ModuleKind             `json:"kind"`
	Product      salesprocess.ProductID `json:"product,omitempty"`
	BriefVersion Version                `json:"brief_version"`
	Channel      salesprocess.ChannelID `json:"channel,omitempty"`
	Assessment   Assessment             `json:"assessment"`
}

// Assessment is the test that ends a module: scores are whole points from 0
// to MaxScore, an attempt passes with at least PassMark points, and a rep
// may make at most MaxAttempts attempts (0 means no limit) to pass it per
// major version of the module's brief (see [Module]; in all, for a
// selling-technique module, which has none). The attempts are counted
// since the rep last passed it or was last assigned it: a pass ends them,
// and a rep who passed may take the module again, to renew a certificate,
// with MaxAttempts attempts anew; an assignment of the module
// ([Trainer.AssignModule], as a review's retraining makes) gives them anew
// too, so that a rep who used them all can do what was assigned. The zero
// Assessment is invalid: [Module.Validate] refuses it, and it passes no
// score.
type Assessment struct {
	MaxScore    int `json:"max_score"`
	PassMark    int `json:"pass_mark"`
	MaxAttempts int `json:"max_attempts,omitempty,omitzero"` // omitzero: for the API of encoding/json/v2, whose omitempty keeps 0
}

// Passes reports whether score passes the assessment: whether it is at
// least PassMark and at most MaxScore. An assessment that [Module.Validate]
// refuses, whose PassMark is not positive, passes no score.
func (a Assessment) Passes(score int) bool {
	return a.PassMark > 0 && score >= a.PassMark && score <= a.MaxScore
}

// Validate reports whether m is complete: a valid ID, a title, a known
// kind, for product knowledge a product and a brief version and no
// channel, for selling technique a channel and no brief version, and an
// assessment with 0 < PassMark <= MaxScore and MaxAttempts >= 0. The
// error wraps [salesprocess.ErrInvalid].
func (m Module) Validate() error {
	if err := requireID("module.id", m.ID); err != nil {
		return err
	}
	if err := validateText("module.title", m.Title, maxNameLength, true); err != nil {
		return err
	}
	if err := m.Kind.Validate(); err != nil {
		return salesprocess.InField("module.kind", err)
	}
	if err := optionalID("module.channel", m.Channel); err != nil {
		return err
	}
	if err := optionalID("module.product", m.Product); err != nil {
		return err
	}
	switch m.Kind {
	case ModuleProductKnowledge:
		if m.Product == "" {
			return salesprocess.Invalid("module.product", "missing for a product-knowledge module")
		}
		if err := m.BriefVersion.Validate(); err != nil {
			return salesprocess.InField("module.brief_version", err)
		}
		if m.Channel != "" {
			return salesprocess.Invalid("module.channel", "set on a product-knowledge module")
		}
	case ModuleSellingTechnique:
		if m.Channel == "" {
			return salesprocess.Invalid("module.channel", "missing for a selling-technique module")
		}
		if !m.BriefVersion.IsZero() {
			return salesprocess.Invalid("module.brief_version", "set on a selling-technique module")
		}
	}
	a := m.Assessment
	switch {
	case a.MaxScore <= 0:
		return salesprocess.Invalid("module.assessment.max_score", "%d is not positive", a.MaxScore)
	case a.PassMark <= 0 || a.PassMark > a.MaxScore:
		return salesprocess.Invalid("module.assessment.pass_mark", "%d outside 1 to %d", a.PassMark, a.MaxScore)
	case a.MaxAttempts < 0:
		return salesprocess.Invalid("module.assessment.max_attempts", "%d is negative", a.MaxAttempts)
	}
	return nil
}

// maxNameLength bounds titles and names, in bytes.
const maxNameLength = 256

// Attempt is one try of a rep at a module's assessment. BriefVersion is
// the module's brief version at the time (for product knowledge), so that
// an attempt made on an earlier major version does not count towards a
// certificate on a later one. Passed is decided when the attempt is
// recorded, by the pass mark then in force. The zero Attempt is invalid: its
// Validate refuses it.
type Attempt struct {
	ID           AttemptID          `json:"id"`
	Rep          salesprocess.RepID `json:"rep"`
	Module       ModuleID           `json:"module"`
	BriefVersion Version            `json:"brief_version"`
	Score        int                `json:"score"`
	Passed       bool               `json:"passed"`
	Time         time.Time          `json:"time"`
}

// Validate reports whether a has valid IDs, a non-negative score and a
// time. The error wraps [salesprocess.ErrInvalid].
func (a Attempt) Validate() error {
	if err := requireID("attempt.id", a.ID); err != nil {
		return err
	}
	if err := requireID("attempt.rep", a.Rep); err != nil {
		return err
	}
	if err := requireID("attempt.module", a.Module); err != nil {
		return err
	}
	if !a.BriefVersion.IsZero() {
		if err := a.BriefVersion.Validate(); err != nil {
			return salesprocess.InField("attempt.brief_version", err)
		}
	}
	if a.Score < 0 {
		return salesprocess.Invalid("attempt.score", "%d is negative", a.Score)
	}
	if err := validateTime("attempt.time", a.Time, true); err != nil {
		return err
	}
	return nil
}

// Curriculum is what a rep must pass to be certified for a product, on
// every channel (Channel empty) or on one: a list of modules. A certificate
// earned by it is valid for ValidMonths calendar months from its issue,
// months of the calendar of the rep's zone ([Options].Location) or, without
// one, of the certifying trainer's clock's zone (see [Trainer.Certify]).
// The zero Curriculum is invalid: its Validate refuses it.
type Curriculum struct {
	ID          CurriculumID           `json:"id"`
	Title       string                 `json:"title"`
	Product     salesprocess.ProductID `json:"product"`
	Channel     salesprocess.ChannelID `json:"channel,omitempty"`
	Modules     []ModuleID             `json:"modules"`
	ValidMonths int                    `json:"valid_months"`
}

// MaxValidMonths bounds [Curriculum.ValidMonths].
const MaxValidMonths = 120

// Validate reports whether c has a valid ID, a title, a product, a valid
// channel if any, at least one module without repeats, and a validity of 1
// to [MaxValidMonths] months. The error wraps [salesprocess.ErrInvalid].
func (c Curriculum) Validate() error {
	if err := requireID("curriculum.id", c.ID); err != nil {
		return err
	}
	if err := validateText("curriculum.title", c.Title, maxNameLength, true); err != nil {
		return err
	}
	if err := requireID("curriculum.product", c.Product); err != nil {
		return err
	}
	if err := optionalID("curriculum.channel", c.Channel); err != nil {
		return err
	}
	if len(c.Modules) == 0 {
		return salesprocess.Invalid("curriculum.modules", "empty")
	}
	seen := make(map[ModuleID]bool, len(c.Modules))
	for i, m := range c.Modules {
		if err := requireID(fmt.Sprintf("curriculum.modules[%d]", i), m); err != nil {
			return err
		}
		if seen[m] {
			return salesprocess.Invalid(fmt.Sprintf("curriculum.modules[%d]", i), "module %s listed twice", salesprocess.Quote(string(m)))
		}
		seen[m] = true
	}
	if c.ValidMonths < 1 || c.ValidMonths > MaxValidMonths {
		return salesprocess.Invalid("curriculum.valid_months", "%d outside 1 to %d", c.ValidMonths, MaxValidMonths)
	}
	return nil
}

// Catalog is the set of modules and curricula a host teaches. It is
// immutable once built by [NewCatalog] and safe for concurrent use. The
// zero Catalog, and a nil *Catalog, hold no module and no curriculum.
type Catalog struct {
	modules   map[ModuleID]Module
	curricula map[CurriculumID]Curriculum
	byProduct map[salesprocess.ProductID][]CurriculumID // in the order given
}

// NewCatalog validates modules and curricula and returns them as a
// [Catalog]. Every module must be valid and have a distinct ID, every
// curriculum must be valid, have a distinct ID and list only known
// modules, whose product-knowledge modules teach its product and whose
// selling-technique modules its channel (when it has one) and its product
// (when they name one). The error wraps [salesprocess.ErrInvalid]; the
// slices are copied.
func NewCatalog(modules []Module, curricula []Curriculum) (*Catalog, error) {
	c := &Catalog{
		modules: make(map[ModuleID]Module, len(modules)), curricula: make(map[CurriculumID]Curriculum, len(curricula)),
		byProduct: make(map[salesprocess.ProductID][]CurriculumID),
	}
	for i, m := range modules {
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("training: new catalog: %w", salesprocess.InElement("modules", i, "module", err))
		}
		if _, dup := c.modules[m.ID]; dup {
			return nil, fmt.Errorf("training: new catalog: %w", salesprocess.Invalid(fmt.Sprintf("modules[%d].id", i), "module %s defined twice", salesprocess.Quote(string(m.ID))))
		}
		c.modules[m.ID] = m
	}
	for i, cu := range curricula {
		field := fmt.Sprintf("curricula[%d]", i)
		if err := cu.Validate(); err != nil {
			return nil, fmt.Errorf("training: new catalog: %w", salesprocess.InElement("curricula", i, "curriculum", err))
		}
		if _, dup := c.curricula[cu.ID]; dup {
			return nil, fmt.Errorf("training: new catalog: %w", salesprocess.Invalid(field+".id", "curriculum %s defined twice", salesprocess.Quote(string(cu.ID))))
		}
		for j, id := range cu.Modules {
			f := fmt.Sprintf("%s.modules[%d]", field, j)
			m, ok := c.modules[id]
			switch {
			case !ok:
				return nil, fmt.Errorf("training: new catalog: %w", salesprocess.Invalid(f, "unknown module %s", salesprocess.Quote(string(id))))
			case m.Product != "" && m.Product != cu.Product:
				return nil, fmt.Errorf("training: new catalog: %w", salesprocess.Invalid(f, "module %s is about product %s, not %s", salesprocess.Quote(string(id)), salesprocess.Quote(string(m.Product)), salesprocess.Quote(string(cu.Product))))
			case m.Kind == ModuleSellingTechnique && cu.Channel != "" && m.Channel != cu.Channel:
				return nil, fmt.Errorf("training: new catalog: %w", salesprocess.Invalid(f, "module %s teaches channel %s, not %s", salesprocess.Quote(string(id)), salesprocess.Quote(string(m.Channel)), salesprocess.Quote(string(cu.Channel))))
			}
		}
		cu.Modules = slices.Clone(cu.Modules)
		c.curricula[cu.ID] = cu
		c.byProduct[cu.Product] = append(c.byProduct[cu.Product], cu.ID)
	}
	return c, nil
}

// Module returns the module with id and whether there is one.
func (c *Catalog) Module(id ModuleID) (Module, bool) {
	if c == nil {
		return Module{}, false
	}
	m, ok := c.modules[id]
	return m, ok
}

// Curriculum returns the curriculum with id and whether there is one. The
// result's slices are the caller's.
func (c *Catalog) Curriculum(id CurriculumID) (Curriculum, bool) {
	if c == nil {
		return Curriculum{}, false
	}
	cu, ok := c.curricula[id]
	cu.Modules = slices.Clone(cu.Modules)
	return cu, ok
}

// Curricula returns the curricula for a product, in the order given to
// [NewCatalog], or nil if it has none. The result and its slices are the
// caller's.
func (c *Catalog) Curricula(product salesprocess.ProductID) []Curriculum {
	if c == nil {
		return nil
	}
	var out []Curriculum
	for _, id := range c.byProduct[product] {
		cu := c.curricula[id]
		cu.Modules = slices.Clone(cu.Modules)
		out = append(out, cu)
	}
	return out
}
