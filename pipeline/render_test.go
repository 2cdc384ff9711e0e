package pipeline_test

import (
	"context"
	"strings"
	"testing"

	"github.com/salesprocess/salesprocess/pipeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMermaidKeywordKeys draws stages whose keys Mermaid's state diagram
// lexer reads as keywords wherever they stand (a state named "state" makes
// "a --> state" a parse error): they get an id no key can have.
// So do the ids Mermaid gives the start and end states.
func TestMermaidKeywordKeys(t *testing.T) {
	for _, k := range []string{"accdescr", "acctitle", "class", "classdef", "click", "default", "href", "note", "scale", "state", "statediagram", "style", "root_start", "root_end",
		"default_terms", "defaulted"} {
		t.Run(k, func(t *testing.T) {
			spec := validSpec()
			key := pipeline.DealStage(k)
			spec.Stages[1].Stage = key
			spec.Edges[0].To, spec.Edges[1].From, spec.Edges[2].From = key, key, key
			m, err := pipeline.NewMachine(spec)
			require.NoError(t, err)
			id := k + "_S"
			if strings.HasPrefix(k, "default") {
				// Mermaid reads "default" at the start of any word.
				id = "S_" + k
			}
			assert.Equal(t, `stateDiagram-v2
    [*] --> a
    a: A
    `+id+`: B
    done: Done
    a --> `+id+`
    `+id+` --> a
    `+id+` --> done
    done --> a: reopen
    done --> [*]
`, m.Mermaid())
			assert.Contains(t, m.DOT(), `"`+k+`" [label="B"];`, "DOT quotes every key")
		})
	}
}

// TestMermaidColons draws names and guard names with colons: Mermaid reads
// "::" and a trailing ":" in a description as a parse error.
func TestMermaidColons(t *testing.T) {
	spec := validSpec()
	spec.Stages[1].Name = "B::1"
	spec.Edges[0].Guards = []testGuard{{Name: "ready:", Check: func(context.Context, *pipeline.Deal, testTrans) error { return nil }}}
	m, err := pipeline.NewMachine(spec)
	require.NoError(t, err)
	out := m.Mermaid()
	assert.Contains(t, out, "    b: B#58;#58;1\n")
	assert.Contains(t, out, "    a --> b: ready#58;\n")
	for _, line := range strings.Split(out, "\n") {
		_, label, _ := strings.Cut(line, ": ")
		assert.NotContains(t, label, ":", "line %q", line)
	}
}

// TestMermaidDirectivesAndEntities draws a name and a guard name with
// "%%{", which Mermaid removes with all that follows it (to the end of the
// text when no "}%%" closes it) before parsing, as a directive, and a name
// with "&", which the rendered HTML reads as the start of an entity
// ("&copy" shows ©): both are encoded, and the diagram keeps every line.
func TestMermaidDirectivesAndEntities(t *testing.T) {
	spec := validSpec()
	spec.Stages[1].Name = "50%%{x (rest"
	spec.Stages[2].Name = "&copy R&amp;D"
	spec.Edges[0].Guards = []testGuard{{Name: "%%{wrap}%% ok", Check: func(context.Context, *pipeline.Deal, testTrans) error { return nil }}}
	m, err := pipeline.NewMachine(spec)
	require.NoError(t, err)
	out := m.Mermaid()
	assert.NotContains(t, out, "%%")
	assert.NotContains(t, out, "&")
	assert.Contains(t, out, "    b: 50#37;#37;{x (rest\n")
	assert.Contains(t, out, "    done: #38;copy R#38;amp#59;D\n")
	assert.Contains(t, out, "    a --> b: #37;#37;{wrap}#37;#37; ok\n")
	assert.Contains(t, out, "    done --> [*]\n", "the lines after the names are kept")
}

// TestMermaidDirectionInText draws a name and a guard name that mention a
// direction: Mermaid reads a line with "direction LR" anywhere in it as a
// direction statement, which drops the stage's name and turns the diagram.
func TestMermaidDirectionInText(t *testing.T) {
	spec := validSpec()
	spec.Stages[1].Name = "Set DIRECTION  lr"
	spec.Edges[0].Guards = []testGuard{{Name: "a direction tb and direction", Check: func(context.Context, *pipeline.Deal, testTrans) error { return nil }}}
	m, err := pipeline.NewMachine(spec)
	require.NoError(t, err)
	out := m.Mermaid()
	assert.Contains(t, out, "    b: Set #68;IRECTION  lr\n")
	assert.Contains(t, out, "    a --> b: a #100;irection tb and #100;irection\n")
}

// TestMermaidDirectionKeys draws a stage whose key ends in "direction" on
// a line before one that starts with a key starting with "lr": Mermaid
// reads "direction", the line break, the indent and "lr" as a direction
// statement, across the lines.
func TestMermaidDirectionKeys(t *testing.T) {
	for _, k := range []string{"direction", "change_direction"} {
		key := pipeline.DealStage(k)
		m, err := pipeline.NewMachine(testSpec{
			Name: "test", Initial: key,
			Stages: []testStage{{Stage: "lr_review", Name: "B"}, {Stage: key, Name: "A"}, {Stage: "done", Name: "Done", Terminal: true}},
			Edges:  []testEdge{{From: key, To: "lr_review"}, {From: "lr_review", To: "done"}},
		})
		require.NoError(t, err)
		assert.Equal(t, `stateDiagram-v2
    [*] --> `+k+`_S
    lr_review: B
    `+k+`_S: A
    done: Done
    lr_review --> done
    `+k+`_S --> lr_review
    done --> [*]
`, m.Mermaid())
	}
}
