package pipeline_test

import (
	"testing"

	"github.com/salesprocess/salesprocess/pipeline"
)

// Spec.Stage finds every stage of a spec, the first and the last
// included, at its own place in the spec's stages.
func TestSpecStageEveryStage(t *testing.T) {
	spec := pipeline.DefaultSpec()
	for i := range spec.Stages {
		key := spec.Stages[i].Key
		if got := spec.Stage(key); got != &spec.Stages[i] {
			t.Errorf("Stage(%s) = %p, want %p, the stage at index %d", key, got, &spec.Stages[i], i)
		}
	}
}
