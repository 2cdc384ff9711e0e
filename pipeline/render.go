package pipeline

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Mermaid returns the machine as a Mermaid state diagram
// (stateDiagram-v2): each stage with its name, each move with the names of
// its guards, reopen moves labelled "reopen", and terminal stages leading
// to the end state. A stage's id is its key, except for a key that Mermaid
// reads as a keyword ("state", "note", "class", "style", ...), gives its
// own start and end states ("root_start", "root_end") or may read as part
// of a direction statement (a key ending in "direction"), whose id is the
// key with the suffix "_S", which no key has, and for a key that starts
// with "default", a keyword Mermaid reads at the start of any word, whose
// id is the key with the prefix "S_". Names are written as given, with the
// characters Mermaid would read as syntax encoded as "#<code>;".
func (m *Machine[S, R]) Mermaid() string { return m.mermaid(nil) }

// DOT returns the machine as a Graphviz digraph, with the content of
// [Machine.Mermaid]: terminal stages drawn with a double border and reopen
// moves dashed.
func (m *Machine[S, R]) DOT() string { return m.dot(nil) }

// Mermaid returns the pipeline as a Mermaid state diagram, as
// [Machine.Mermaid] does, with each open stage's probability in percent.
func (p *Definition) Mermaid() string {
	if !p.built() {
		return (*Machine[DealStage, *Deal])(nil).Mermaid()
	}
	return p.m.mermaid(p.label)
}

// DOT returns the pipeline as a Graphviz digraph, as [Machine.DOT] does,
// with each open stage's probability in percent.
func (p *Definition) DOT() string {
	if !p.built() {
		return (*Machine[DealStage, *Deal])(nil).DOT()
	}
	return p.m.dot(p.label)
}

func (p *Definition) label(i int) string {
	name := p.m.stages[i].name
	if r := p.info[i]; r.code == codeOpen {
		return name + " (" + r.prob.Mul(decimal.New(100, 0)).String() + " %)"
	}
	return name
}

func (m *Machine[S, R]) labelOf(label func(int) string, i int) string {
	if label != nil {
		return label(i)
	}
	return m.stages[i].name
}

// edgeLabel returns the label of the move f→t.
func (m *Machine[S, R]) edgeLabel(e *edge[S, R]) string {
	var parts []string
	if e.reopen {
		parts = append(parts, "reopen")
	}
	for _, g := range e.guards {
		if g.Name != "" {
			parts = append(parts, g.Name)
		}
	}
	return strings.Join(parts, ", ")
}

// mermaidID returns the id of the stage with key k in a Mermaid state
// diagram: k, unless Mermaid's lexer reads k as a keyword wherever it
// stands (whatever its case), Mermaid names its start or end state k, or
// k ends in "direction" (which, at the end of a line, makes a direction
// statement with a next line starting with "lr", "tb", "rl" or "bt"); then
// k with the suffix "_S", which no key has, since keys are lower case. A
// key that starts with "default", which the lexer reads as its keyword
// before anything else, whatever follows, takes the prefix "S_" instead.
func mermaidID(k string) string {
	if strings.HasPrefix(k, "default") {
		// Mermaid's lexer reads "default" as a keyword before anything
		// else, at the start of any word: a suffix would not help.
		return "S_" + k
	}
	switch k {
	case "accdescr", "acctitle", "class", "classdef", "click", "href", "note", "scale", "state", "statediagram", "style",
		"root_start", "root_end":
		return k + "_S"
	}
	if strings.HasSuffix(k, "direction") {
		return k + "_S"
	}
	return k
}

// mermaidDirection encodes the first letter of each "direction" in s,
// whatever its case: Mermaid reads a line with "direction", spaces and TB,
// BT, RL or LR anywhere in it as a direction statement.
func mermaidDirection(s string) string {
	const word = "direction"
	var b strings.Builder
	last := 0
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && s[i+j]|0x20 == word[j] { // ASCII letters only
			j++
		}
		if j < len(word) {
			continue
		}
		b.WriteString(s[last:i])
		if s[i] == 'd' {
			b.WriteString("#100;")
		} else {
			b.WriteString("#68;")
		}
		last = i + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func (m *Machine[S, R]) mermaid(label func(int) string) string {
	// Mermaid decodes "#<code>;" in text. A colon is encoded too: a
	// description with "::" or a trailing ":" does not parse. So is "%%":
	// Mermaid removes "%%{" and what follows it (to the end of the text
	// when no "}%%" closes it) before parsing, as a directive. And "&",
	// which the rendered HTML would read as the start of an entity.
	mermaidEscaper := strings.NewReplacer("#", "#35;", ";", "#59;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", ":", "#58;",
		"%%", "#37;#37;", "&", "#38;")
	id := func(i int) string { return mermaidID(string(m.stages[i].key)) }
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	if !m.built() {
		return b.String()
	}
	b.WriteString("    [*] --> " + id(m.initial) + "\n")
	for i := range m.stages {
		b.WriteString("    " + id(i) + ": " + mermaidDirection(mermaidEscaper.Replace(m.labelOf(label, i))) + "\n")
	}
	for f := range m.n {
		for t := range m.n {
			e := &m.edges[f*m.n+t]
			if !e.ok {
				continue
			}
			b.WriteString("    " + id(f) + " --> " + id(t))
			if l := m.edgeLabel(e); l != "" {
				b.WriteString(": " + mermaidDirection(mermaidEscaper.Replace(l)))
			}
			b.WriteByte('\n')
		}
	}
	for i, st := range m.stages {
		if st.terminal {
			b.WriteString("    " + id(i) + " --> [*]\n")
		}
	}
	return b.String()
}

func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func (m *Machine[S, R]) dot(label func(int) string) string {
	var b strings.Builder
	b.WriteString("digraph " + dotQuote(m.Name()) + " {\n")
	if !m.built() {
		return b.String() + "}\n"
	}
	b.WriteString("    rankdir=LR;\n    node [shape=box, style=rounded];\n")
	b.WriteString("    \"[*]\" [shape=point, label=\"\"];\n")
	b.WriteString("    \"[*]\" -> " + dotQuote(string(m.stages[m.initial].key)) + ";\n")
	for i, st := range m.stages {
		b.WriteString("    " + dotQuote(string(st.key)) + " [label=" + dotQuote(m.labelOf(label, i)))
		if st.terminal {
			b.WriteString(", peripheries=2")
		}
		b.WriteString("];\n")
	}
	for f := range m.n {
		for t := range m.n {
			e := &m.edges[f*m.n+t]
			if !e.ok {
				continue
			}
			b.WriteString("    " + dotQuote(string(m.stages[f].key)) + " -> " + dotQuote(string(m.stages[t].key)))
			var attrs []string
			if l := m.edgeLabel(e); l != "" {
				attrs = append(attrs, "label="+dotQuote(l))
			}
			if e.reopen {
				attrs = append(attrs, "style=dashed")
			}
			if len(attrs) > 0 {
				b.WriteString(" [" + strings.Join(attrs, ", ") + "]")
			}
			b.WriteString(";\n")
		}
	}
	b.WriteString("}\n")
	return b.String()
}
