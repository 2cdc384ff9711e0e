package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// A table is one CSV file read into memory: its columns by name and its
// rows, each with the line it starts on. Rows that cannot be read as CSV,
// or whose number of fields differs from the header's, are not in rows:
// they are reported as skipped while reading.
type table struct {
	file string         // the file's base name, as reports name it
	cols map[string]int // column index by name
	rows []record
}

// A record is one data row of a table, its fields trimmed of surrounding
// spaces.
type record struct {
	line   int
	fields []string
}

// get returns the field of column name in r, or "" for a column the table
// does not have (an optional one).
func (t *table) get(r record, name string) string {
	i, ok := t.cols[name]
	if !ok {
		return ""
	}
	return r.fields[i]
}

// readTable reads file in dir. The header must name every column of
// required (in any order, with any others); names are matched without
// case and surrounding spaces, and a byte-order mark before the first is
// dropped. CRLF and LF line endings both work; a file whose lines end in
// a carriage return alone is an error. A missing file, an empty one, or a
// header without a required column is an error; bad rows are reported to
// ld and left out, named by their field of the first required column when
// they have one. A row whose quoted field is not closed where the row
// ends is one bad row: the next line is read as the next row, where the
// CSV reader would read on to the next quote, or to the end of the file,
// as part of that field.
func readTable(ld *loader, dir, file string, required ...string) (*table, error) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	if rest, ok := bytes.CutPrefix(data, []byte("\uFEFF")); ok {
		data = rest
		ld.fix(file, "byte_order_mark", "U+FEFF before the header", "dropped", "line 1")
	}
	r := newCSVReader(data)
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file: no header", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", file, err)
	}
	if bytes.IndexByte(data, '\n') < 0 && bytes.IndexByte(data, '\r') >= 0 {
		return nil, fmt.Errorf("%s: its lines end in a carriage return alone: convert them to LF or CRLF", file)
	}
	t := &table{file: file, cols: make(map[string]int, len(header))}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue // an unnamed column (a trailing comma) is ignored
		}
		if _, dup := t.cols[h]; dup {
			return nil, fmt.Errorf("%s: header names column %q twice", file, clip(h))
		}
		t.cols[h] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: header lacks column %s (it has %s)", file,
			strings.Join(missing, ", "), clip(strings.Join(header, ",")))
	}

	idOf := func(fields []string) string {
		if i := t.cols[required[0]]; i < len(fields) && utf8.ValidString(fields[i]) {
			return strings.TrimSpace(fields[i])
		}
		return ""
	}
	base := 0 // the lines before the reader's input
	for {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			start := base + pe.StartLine
			ld.skip(file, start, "", "not readable as CSV: %v", pe.Err)
			if pe.Line > pe.StartLine {
				// The reader went on past the row's line looking for the
				// end of a quoted field: read on from the next line.
				base = start
				r = newCSVReader(afterLines(data, start))
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := r.FieldPos(0)
		line += base
		if len(fields) != len(header) {
			ld.skip(file, line, idOf(fields), "%d fields where the header has %d", len(fields), len(header))
			continue
		}
		rec := record{line: line, fields: make([]string, len(fields))}
		trimmed, invalid := false, false
		for i, v := range fields {
			if !utf8.ValidString(v) {
				invalid = true
			}
			s := strings.TrimSpace(v)
			trimmed = trimmed || s != v
			rec.fields[i] = s
		}
		if invalid {
			ld.skip(file, line, idOf(fields), "not valid UTF-8")
			continue
		}
		if trimmed {
			example := idOf(fields)
			if example == "" {
				example = fmt.Sprintf("line %d", line)
			}
			ld.fix(file, "spaces_trimmed", "spaces around a field", "trimmed", example)
		}
		t.rows = append(t.rows, rec)
	}
	return t, nil
}

// newCSVReader returns a reader of the CSV records of data that lets each
// row have its own number of fields: readTable checks them row by row, so
// that one bad row does not stop the file.
func newCSVReader(data []byte) *csv.Reader {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	return r
}

// afterLines returns data after its first n lines.
func afterLines(data []byte, n int) []byte {
	for ; n > 0; n-- {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return nil
		}
		data = data[i+1:]
	}
	return data
}

// nameKey is the form in which names are compared when they do not match
// exactly: without case and without any white space, so that "GTXPro",
// "gtx pro" and "GTX  Pro" all find "GTX Pro".
func nameKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, f := range strings.Fields(s) {
		b.WriteString(strings.ToLower(f))
	}
	return b.String()
}

// A names is a set of canonical names, found by their exact spelling or,
// failing that, by their nameKey.
type names struct {
	exact map[string]string
	key   map[string]string
}

func newNames() *names { return &names{exact: map[string]string{}, key: map[string]string{}} }

// add adds name and reports the canonical name it collides with by key, if
// any ("" when it is new).
func (n *names) add(name string) (existing string) {
	if c, ok := n.key[nameKey(name)]; ok {
		return c
	}
	n.exact[name] = name
	n.key[nameKey(name)] = name
	return ""
}

// find returns the canonical name for s and whether s had to be normalized
// to find it; ok is false if no name matches.
func (n *names) find(s string) (name string, fixed, ok bool) {
	if c, ok := n.exact[s]; ok {
		return c, false, true
	}
	if c, ok := n.key[nameKey(s)]; ok {
		return c, true, true
	}
	return "", false, false
}

// maxQuote is the most bytes of a field that a message quotes.
const maxQuote = 64

// clip returns s cut to maxQuote bytes at a rune boundary, "..." marking
// the cut, so that a message quoting a field of the data stays short
// whatever the field holds.
func clip(s string) string {
	if len(s) <= maxQuote {
		return s
	}
	cut := maxQuote
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
