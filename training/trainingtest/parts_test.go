package trainingtest_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/salesprocess/salesprocess/training"
	"github.com/salesprocess/salesprocess/training/trainingtest"
)

// fieldTests keeps the pilots and sales of field tests and nothing else of
// training's records, as a host may in a database of their own.
type fieldTests struct {
	training.PilotStore
	training.SaleStore
	training.LimitedSaleStore
}

func newFieldTests() fieldTests {
	m := trainingtest.NewMemStore()
	return fieldTests{m, m, m}
}

// Each part's suite passes the MemStore given as that part: its cases call
// no method of another part, which the suite does not hold (a call would
// panic), but those of pilots from the cases of AddSaleWithin, which need
// a SaleStore that is a PilotStore too.
func TestRunPartStoreTests(t *testing.T) {
	mem := func(*testing.T) *trainingtest.MemStore { return trainingtest.NewMemStore() }
	t.Run("briefs", func(t *testing.T) {
		trainingtest.RunBriefStoreTests(t, func(t *testing.T) training.BriefStore { return mem(t) })
	})
	t.Run("certificates", func(t *testing.T) {
		trainingtest.RunCertificateStoreTests(t, func(t *testing.T) training.CertificateStore { return mem(t) })
	})
	t.Run("attempts", func(t *testing.T) {
		trainingtest.RunAttemptStoreTests(t, func(t *testing.T) training.AttemptStore { return mem(t) })
	})
	t.Run("assignments", func(t *testing.T) {
		trainingtest.RunAssignmentStoreTests(t, func(t *testing.T) training.AssignmentStore { return mem(t) })
	})
	t.Run("pilots", func(t *testing.T) {
		trainingtest.RunPilotStoreTests(t, func(t *testing.T) training.PilotStore { return mem(t) })
	})
	t.Run("sales", func(t *testing.T) {
		trainingtest.RunSaleStoreTests(t, func(t *testing.T) training.SaleStore { return mem(t) })
	})
	t.Run("feedback", func(t *testing.T) {
		trainingtest.RunFeedbackStoreTests(t, func(t *testing.T) training.FeedbackStore { return mem(t) })
	})
	t.Run("field_tests", func(t *testing.T) {
		trainingtest.RunPilotStoreTests(t, func(*testing.T) training.PilotStore { return newFieldTests() })
		trainingtest.RunSaleStoreTests(t, func(*testing.T) training.SaleStore { return newFieldTests() })
	})
}

// partRuns are runs of a part's suite that TestRunPartStoreTestsSkips
// and TestRunPartStoreTestsCatchesBrokenStores make in a child process.
var partRuns = map[string]func(t *testing.T){
	"sales_alone": func(t *testing.T) {
		trainingtest.RunSaleStoreTests(t, func(*testing.T) training.SaleStore {
			return struct{ training.SaleStore }{trainingtest.NewMemStore()}
		})
	},
	"sales_limited_without_pilots": func(t *testing.T) {
		trainingtest.RunSaleStoreTests(t, func(*testing.T) training.SaleStore {
			m := trainingtest.NewMemStore()
			return struct {
				training.SaleStore
				training.LimitedSaleStore
			}{m, m}
		})
	},
	"sales_with_pilots": func(t *testing.T) {
		trainingtest.RunSaleStoreTests(t, func(*testing.T) training.SaleStore { return newFieldTests() })
	},
	"brief_latest_of_product": func(t *testing.T) {
		trainingtest.RunBriefStoreTests(t, func(*testing.T) training.BriefStore {
			return latestOfProduct{trainingtest.NewMemStore()}
		})
	},
	"brief_version_off_by_one": func(t *testing.T) {
		trainingtest.RunBriefStoreTests(t, func(*testing.T) training.BriefStore {
			return versionOffByOne{trainingtest.NewMemStore()}
		})
	},
	"certificates_held_after_early_stop": func(t *testing.T) {
		trainingtest.RunCertificateStoreTests(t, func(*testing.T) training.CertificateStore {
			return filteredHeldAfterStop{trainingtest.NewMemStore(), new(sync.RWMutex)}
		})
	},
	"certificates_listing_holds_lock": func(t *testing.T) {
		trainingtest.RunCertificateStoreTests(t, func(*testing.T) training.CertificateStore {
			return lockedCertificates{trainingtest.NewMemStore(), new(sync.RWMutex)}
		})
	},
	"attempts_error_with_a_record": func(t *testing.T) {
		trainingtest.RunAttemptStoreTests(t, func(*testing.T) training.AttemptStore {
			return rowWithError{trainingtest.NewMemStore()}
		})
	},
	"assignment_without_assigner": func(t *testing.T) {
		trainingtest.RunAssignmentStoreTests(t, func(*testing.T) training.AssignmentStore {
			return forgetful{trainingtest.NewMemStore()}
		})
	},
	"pilot_cancelled_update_writes": func(t *testing.T) {
		trainingtest.RunPilotStoreTests(t, func(*testing.T) training.PilotStore {
			return writesWhenCancelled{trainingtest.NewMemStore()}
		})
	},
	"sales_by_id": func(t *testing.T) {
		trainingtest.RunSaleStoreTests(t, func(*testing.T) training.SaleStore {
			return struct{ training.SaleStore }{idOrder{trainingtest.NewMemStore()}}
		})
	},
	"sale_within_list_then_add": func(t *testing.T) {
		trainingtest.RunSaleStoreTests(t, func(*testing.T) training.SaleStore {
			return listThenAdd{trainingtest.NewMemStore(), make(chan struct{})}
		})
	},
	"feedback_cancel_while_listing_ignored": func(t *testing.T) {
		trainingtest.RunFeedbackStoreTests(t, func(*testing.T) training.FeedbackStore {
			return cancelBlind{trainingtest.NewMemStore()}
		})
	},
	"nil_func": func(t *testing.T) { trainingtest.RunSaleStoreTests(t, nil) },
	"nil_store": func(t *testing.T) {
		trainingtest.RunSaleStoreTests(t, func(*testing.T) training.SaleStore { return nil })
	},
}

// runPart runs partRuns[name] in a child process that runs test, with
// -test.v, and returns its output and error.
func runPart(t *testing.T, test, name string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), "TRAININGTEST_PART_RUN="+name)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// inChild runs the run of partRuns that the child process was started
// for, and reports whether it was one.
func inChild(t *testing.T) bool {
	name := os.Getenv("TRAININGTEST_PART_RUN")
	if name == "" {
		return false
	}
	partRuns[name](t)
	return true
}

// The cases of AddSaleWithin run for a SaleStore that is a
// LimitedSaleStore and a PilotStore, and are skipped, saying why, for one
// that lacks either; the other cases run all the same.
func TestRunPartStoreTestsSkips(t *testing.T) {
	if inChild(t) {
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	skipped := regexp.MustCompile(`--- SKIP: \S+/(\S+)`)
	passed := regexp.MustCompile(`--- PASS: \S+/(\S+)`)
	names := func(re *regexp.Regexp, out string) []string {
		var got []string
		for _, m := range re.FindAllStringSubmatch(out, -1) {
			got = append(got, m[1])
		}
		return got
	}
	within := []string{"add_within_limit", "concurrent_adds_within_limit"}
	for _, c := range []struct {
		run, why string
		skip     bool
	}{
		{"sales_alone", "does not implement training.LimitedSaleStore", true},
		{"sales_limited_without_pilots", "does not implement training.PilotStore", true},
		{"sales_with_pilots", "", false},
	} {
		t.Run(c.run, func(t *testing.T) {
			out, err := runPart(t, "TestRunPartStoreTestsSkips", c.run)
			require.NoError(t, err, "the suite must pass:\n%s", out)
			assert.Contains(t, names(passed, out), "add_list", out)
			if c.skip {
				assert.ElementsMatch(t, within, names(skipped, out), out)
				assert.Contains(t, out, c.why)
			} else {
				assert.Empty(t, names(skipped, out), out)
				assert.Subset(t, names(passed, out), within, out)
			}
		})
	}
}

// Each part's suite fails a broken store of its part, naming the clause
// it breaks, and a nil newStore or a nil store from it, without a panic.
func TestRunPartStoreTestsCatchesBrokenStores(t *testing.T) {
	if inChild(t) {
		return
	}
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	for name, clause := range map[string]string{
		"brief_latest_of_product":               "GetBrief returns the version asked for",
		"brief_version_off_by_one":              "BriefVersionAt returns the version of the brief BriefAt returns",
		"certificates_held_after_early_stop":    "ListCertificates of a rep must release what it holds when the loop breaks",
		"certificates_listing_holds_lock":       "a listing must let its loop body call the store: PutCertificate and ListCertificates in the loop body",
		"attempts_error_with_a_record":          "ListAttempts whose context is cancelled while it runs must yield its error once and stop, with a zero value",
		"assignment_without_assigner":           "ListAssignments returns every field AddAssignment stored",
		"pilot_cancelled_update_writes":         "UpdatePilot with a cancelled context changes nothing",
		"sales_by_id":                           "ListSales lists one pilot's sales by time, then ID",
		"sale_within_list_then_add":             "concurrent AddSaleWithin calls each see the sales added before them",
		"feedback_cancel_while_listing_ignored": "ListFeedback whose context is cancelled while it runs must yield its error once and stop",
		"nil_func":                              "trainingtest: RunSaleStoreTests: nil newStore",
		"nil_store":                             "trainingtest: newStore returned a nil store",
	} {
		t.Run(name, func(t *testing.T) {
			out, err := runPart(t, "TestRunPartStoreTestsCatchesBrokenStores", name)
			require.Error(t, err, "the suite must fail the store:\n%s", out)
			assert.True(t, strings.Contains(out, clause) && !strings.Contains(out, "panic"),
				"the suite must fail saying %q, without a panic:\n%s", clause, out[max(0, len(out)-1500):])
		})
	}
}
