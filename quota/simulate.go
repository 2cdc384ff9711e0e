package quota

import (
	"iter"
	"math"
	"math/rand/v2"

	"github.com/shopspring/decimal"

	sp "github.com/salesprocess/salesprocess"
)

// Simulation is a Monte Carlo estimate of the chance of reaching a goal,
// the cross-check of [Reach]: the share of Draws simulated outcomes that
// reach the goal, its standard error √(v(1−v)/Draws), and the mean
// shortfall, rounded half-up to the currency's minor unit. The zero
// Simulation, of no draws, is what Simulate returns with an error.
type Simulation struct {
	Value     float64 `json:"value"`
	StdErr    float64 `json:"std_err"`
	Draws     int     `json:"draws"`
	Seed      uint64  `json:"seed"`
	Shortfall Amount  `json:"shortfall"`
}

// maxDraws bounds the draws of [Simulate]; an int64, so that the package
// builds where int has 32 bits (and bounds draws below it).
const maxDraws int64 = 1 << 32

// simChunks is the fixed number of independent streams a simulation is
// split into, whatever the number of CPUs, so that its result depends on
// the seed alone.
const simChunks = 32

// Simulate estimates the chance of [Reach] by drawing every open deal's
// outcome draws times (1 to 2³²), with the seeded PCG generator of
// math/rand/v2. The draws are split into 32 streams, stream c seeded with
// (seed, c), run on the available CPUs and summed in order, so the result
// is the same for the same inputs and seed on any machine. Each outcome is
// drawn exactly: a uniform 64-bit number is compared, 16 bits at a time as
// needed, with the deal's probability scaled to 2⁶⁴, so the simulated
// probabilities differ from the given ones by less than 2⁻⁶⁴ beyond the
// float64 conversion.
//
// Inputs are checked as by [Reach]; draws out of range is an error
// wrapping [sp.ErrInvalid].
func Simulate(goal, booked sp.Money, open iter.Seq[Prospect], draws int, seed uint64) (Simulation, error) {
	if draws < 1 || int64(draws) > maxDraws {
		return Simulation{}, quotaErr("simulate", sp.Invalid("draws", "%d outside 1 to %d", draws, maxDraws))
	}
	b, err := moneyBets(goal, booked, open)
	if err != nil {
		return Simulation{}, quotaErr("simulate", err)
	}
	return b.simulate(draws, seed)
}

func (b *bets) simulate(draws int, seed uint64) (Simulation, error) {
	sim := Simulation{Draws: draws, Seed: seed}
	pr, err := b.prepare()
	if err != nil {
		return Simulation{}, err
	}
	if pr.decided {
		sim.Value = pr.value
		sim.Shortfall = b.result(pr.short, false)
		return sim, nil
	}
	// Deals go in fours, one 64-bit draw for each four: a deal is won when
	// its 16 bits of the draw are below top, the first 16 bits of its
	// probability scaled to 2⁶⁴, or equal to top and a fresh 48 bits are
	// below rest, the other 48.
	quads := make([]quad, (len(pr.u)+3)/4)
	for i, p := range pr.p {
		t := math.Ldexp(p, 64)
		var thr uint64 = math.MaxUint64
		if t < 0x1p64 {
			thr = uint64(t)
		}
		q := &quads[i/4]
		q.top[i%4], q.rest[i%4], q.u[i%4] = thr>>48, thr&(1<<48-1), pr.u[i]
	}
	// Padding lanes have top 0 and rest 0: never won, and worth nothing.
	// An outcome reaches the goal when its sum reaches need, the need in
	// units rounded up; it falls short by needF, the need exactly, less
	// its sum.
	need, needF := pr.needU, pr.needF
	hits := make([]int64, simChunks)
	shorts := make([]float64, simChunks)
	parallel(simChunks, float64(draws)*float64(len(quads)*4), func(c int) {
		rng := rand.NewPCG(seed, uint64(c))
		count := draws / simChunks
		if c < draws%simChunks {
			count++
		}
		var h int64
		var short float64
		for range count {
			var s int64
			for j := range quads {
				q := &quads[j]
				r := rng.Uint64()
				x0, x1, x2, x3 := r&0xffff, r>>16&0xffff, r>>32&0xffff, r>>48
				s += q.u[0]&-int64((x0-q.top[0])>>63) + q.u[1]&-int64((x1-q.top[1])>>63) +
					q.u[2]&-int64((x2-q.top[2])>>63) + q.u[3]&-int64((x3-q.top[3])>>63)
				if x0 == q.top[0] || x1 == q.top[1] || x2 == q.top[2] || x3 == q.top[3] {
					s += q.ties(rng, x0, x1, x2, x3)
				}
			}
			if s >= need {
				h++
			} else {
				short += needF - float64(s)
			}
		}
		hits[c], shorts[c] = h, short
	})
	var h int64
	var short float64
	for c := range simChunks {
		h += hits[c]
		short += shorts[c]
	}
	v := float64(h) / float64(draws)
	sim.Value = v
	sim.StdErr = math.Sqrt(v * (1 - v) / float64(draws))
	sim.Shortfall = b.result(decimal.NewFromFloat(short/float64(draws)).Mul(pr.unit), false)
	return sim, nil
}

// quad holds four deals of a simulation: for each, the first 16 bits of its
// probability scaled to 2⁶⁴ (top), the other 48 (rest), and its amount in
// units.
type quad struct {
	top, rest [4]uint64
	u         [4]int64
}

// ties returns the amount won by the lanes whose 16 bits of the draw, xs,
// equal their top: each is decided by 48 fresh bits against its rest.
func (q *quad) ties(rng *rand.PCG, x0, x1, x2, x3 uint64) int64 {
	var s int64
	for k, x := range [4]uint64{x0, x1, x2, x3} {
		if x == q.top[k] && rng.Uint64()>>16 < q.rest[k] {
			s += q.u[k]
		}
	}
	return s
}
