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

// Spec.Stage of a nil spec finds no stage, as of an empty one, rather
// than panicking.
func TestSpecStageNilSpec(t *testing.T) {
	var spec *pipeline.Spec
	if got := spec.Stage(pipeline.DealProposal); got != nil {
		t.Errorf("Stage of a nil spec = %p, want nil", got)
	}
}
