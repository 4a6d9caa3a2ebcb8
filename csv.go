package nn

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Data is a table read by [ReadCSV]: one row per sample.
type Data struct {
	// X holds the feature columns, in the order of the header.
	X Matrix
	// Y holds the target column. For a class target it is one column of
	// class indices (0, 1, ...) that index Classes; for a numeric target,
	// the values themselves. Without a target it has no columns.
	Y Matrix
	// Features names the columns of X.
	Features []string
	// Classes names the classes of a non-numeric target, in the order of
	// their first appearance. It is nil for a numeric target.
	Classes []string
}

// bom is the UTF-8 byte-order mark that may open a file.
var bom = []byte("\ufeff")

// ReadCSV reads a comma-separated table whose first line names the
// columns. Every column but target must hold numbers; they become the
// columns of [Data.X]. The target column becomes [Data.Y]: if any of its
// values is not a number, each distinct value is a class, numbered in the
// order it first appears and named in [Data.Classes]; otherwise Y holds the
// values. An empty target reads every column as a feature.
//
// Fields may be quoted and surrounded by spaces; blank lines are skipped,
// and so is a UTF-8 byte-order mark at the start.
// An error names the line and column of the first bad field: a field that
// is not a number, NaN or infinite, a line with the wrong number of fields,
// a target name not in the header, or a table without rows.
func ReadCSV(r io.Reader, target string) (*Data, error) {
	// A byte-order mark (spreadsheets write one) goes before the parser
	// sees it: glued to a quoted first name it would make the quote bare.
	if r == nil {
		return nil, errorf(ErrConfig, "csv: the reader is nil")
	}
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		_, _ = br.Discard(len(bom))
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true

	// header
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errorf(ErrEmpty, "csv: no header line")
	}
	if err != nil {
		return nil, csvSyntaxError(err)
	}
	names := make([]string, len(head))
	for i, h := range head {
		names[i] = strings.TrimSpace(h)
	}
	ti, err := targetColumn(names, target)
	if err != nil {
		return nil, err
	}

	d := &Data{Features: make([]string, 0, len(names))}
	for i, n := range names {
		if i != ti {
			d.Features = append(d.Features, n)
		}
	}

	// rows: features are parsed at once, target fields kept as text until
	// all are seen
	var xs []float32
	var ys []string
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvSyntaxError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(names) {
			return nil, errorf(ErrShape, "csv line %d has %d fields, want %d as in the header",
				line, len(rec), len(names))
		}
		for i, f := range rec {
			f = strings.TrimSpace(f)
			if i == ti {
				if f == "" {
					return nil, errorf(ErrLabel, "csv line %d, column %d (%s): empty target",
						line, i+1, names[i])
				}
				ys = append(ys, f)
				lines = append(lines, line)
				continue
			}
			v, kind, why := parseField(f)
			if kind != nil {
				return nil, errorf(kind, "csv line %d, column %d (%s): %s",
					line, i+1, names[i], why)
			}
			xs = append(xs, v)
		}
	}
	rows := len(xs) / max(len(d.Features), 1)
	if ti >= 0 {
		rows = len(ys)
	}
	if rows == 0 {
		return nil, errorf(ErrEmpty, "csv: header but no data lines")
	}
	d.X = Matrix{Rows: rows, Cols: len(d.Features), Data: xs}
	if ti < 0 {
		d.Y = Matrix{Rows: rows}
		return d, nil
	}
	d.Y, d.Classes, err = targetValues(ys, lines, ti+1, target)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// targetColumn returns the index of target in names, or -1 for no target.
func targetColumn(names []string, target string) (int, error) {
	if target == "" {
		return -1, nil
	}
	ti := -1
	for i, n := range names {
		if n != target {
			continue
		}
		if ti >= 0 {
			return 0, errorf(ErrConfig, "csv: target %q names columns %d and %d", target, ti+1, i+1)
		}
		ti = i
	}
	if ti < 0 {
		return 0, errorf(ErrConfig, "csv: no target column %q in header %q",
			target, strings.Join(names, ","))
	}
	return ti, nil
}

// parseField reads one number. When f is not a finite float32 it returns
// the kind of error (a sentinel) and why.
func parseField(f string) (v float32, kind error, why string) {
	if f == "" {
		return 0, ErrShape, "empty field"
	}
	x, err := strconv.ParseFloat(f, 32)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, ErrNonFinite, fmt.Sprintf("%q is out of float32 range", f)
	case err != nil:
		return 0, ErrShape, fmt.Sprintf("%q is not a number", f)
	case math.IsNaN(x) || math.IsInf(x, 0):
		return 0, ErrNonFinite, fmt.Sprintf("%q is not finite", f)
	}
	return float32(x), nil, ""
}

// targetValues turns the target fields into a column: numbers when every
// field reads as one, class indices otherwise. lines holds the line of each
// field, for errors.
func targetValues(ys []string, lines []int, col int, name string) (Matrix, []string, error) {
	y := NewMatrix(len(ys), 1)
	numeric := true
	for _, f := range ys {
		if _, err := strconv.ParseFloat(f, 32); err != nil && !errors.Is(err, strconv.ErrRange) {
			numeric = false
			break
		}
	}
	if numeric {
		for i, f := range ys {
			v, kind, why := parseField(f)
			if kind != nil {
				return Matrix{}, nil, errorf(kind, "csv line %d, column %d (%s): %s",
					lines[i], col, name, why)
			}
			y.Data[i] = v
		}
		return y, nil, nil
	}

	var classes []string
	index := make(map[string]int)
	for i, f := range ys {
		c, ok := index[f]
		if !ok {
			c = len(classes)
			index[f] = c
			classes = append(classes, f)
		}
		y.Data[i] = float32(c)
	}
	return y, classes, nil
}

// csvSyntaxError rewords an error of encoding/csv (a stray quote, say).
func csvSyntaxError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errorf(ErrShape, "csv line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return errorf(err, "csv: %v", err)
}
