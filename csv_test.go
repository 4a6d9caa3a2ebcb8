package nn_test

import (
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/nnrt/nn"
)

func TestReadCSVClasses(t *testing.T) {
	in := "\ufeffa, b ,kind\n1,2,cat\n\n3.5,-4e1,dog\n\"5\",6,cat\n"
	d, err := nn.ReadCSV(strings.NewReader(in), "kind")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b"}; !slices.Equal(d.Features, want) {
		t.Errorf("Features = %q, want %q", d.Features, want)
	}
	if want := []string{"cat", "dog"}; !slices.Equal(d.Classes, want) {
		t.Errorf("Classes = %q, want %q", d.Classes, want)
	}
	if d.X.Rows != 3 || d.X.Cols != 2 || !slices.Equal(d.X.Data, []float32{1, 2, 3.5, -40, 5, 6}) {
		t.Errorf("X = %+v", d.X)
	}
	if d.Y.Rows != 3 || d.Y.Cols != 1 || !slices.Equal(d.Y.Data, []float32{0, 1, 0}) {
		t.Errorf("Y = %+v", d.Y)
	}
}

func TestReadCSVNumericTarget(t *testing.T) {
	in := "y,x1,x2\n0.5,1,2\n-2,3,4\n"
	d, err := nn.ReadCSV(strings.NewReader(in), "y")
	if err != nil {
		t.Fatal(err)
	}
	if d.Classes != nil {
		t.Errorf("Classes = %q, want nil", d.Classes)
	}
	if !slices.Equal(d.Y.Data, []float32{0.5, -2}) || !slices.Equal(d.X.Data, []float32{1, 2, 3, 4}) {
		t.Errorf("X = %v, Y = %v", d.X.Data, d.Y.Data)
	}
	if want := []string{"x1", "x2"}; !slices.Equal(d.Features, want) {
		t.Errorf("Features = %q, want %q", d.Features, want)
	}
}

func TestReadCSVNoTarget(t *testing.T) {
	d, err := nn.ReadCSV(strings.NewReader("p,q\n1,2\n3,4\n5,6\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if d.X.Rows != 3 || d.X.Cols != 2 || d.Y.Rows != 3 || d.Y.Cols != 0 {
		t.Errorf("X is %d×%d, Y is %d×%d; want 3×2 and 3×0", d.X.Rows, d.X.Cols, d.Y.Rows, d.Y.Cols)
	}
}

func TestReadCSVErrors(t *testing.T) {
	for _, c := range []struct {
		name, in, target string
		kind             error
		says             []string // the message must contain each
	}{
		{"empty input", "", "y", nn.ErrEmpty, []string{"no header"}},
		{"header only", "a,y\n", "y", nn.ErrEmpty, []string{"no data"}},
		{"missing target", "a,b\n1,2\n", "y", nn.ErrConfig, []string{`"y"`, `"a,b"`}},
		{"twice the target", "y,y\n1,2\n", "y", nn.ErrConfig, []string{"columns 1 and 2"}},
		{"bad number", "a,b,y\n1,2,x\n3,oops,z\n", "y", nn.ErrShape,
			[]string{"line 3", "column 2 (b)", `"oops"`, "not a number"}},
		{"empty field", "a,b,y\n1,,x\n", "y", nn.ErrShape, []string{"line 2", "column 2 (b)", "empty"}},
		{"NaN", "a,y\nNaN,1\n", "y", nn.ErrNonFinite, []string{"line 2", "column 1 (a)", "NaN"}},
		{"infinite", "a,y\n1,2\n-inf,1\n", "y", nn.ErrNonFinite, []string{"line 3", "column 1 (a)"}},
		{"too large", "a,y\n1e39,1\n", "y", nn.ErrNonFinite, []string{"line 2", "float32 range"}},
		{"ragged short", "a,b,y\n1,2,x\n3,4\n", "y", nn.ErrShape, []string{"line 3", "2 fields, want 3"}},
		{"ragged long", "a,y\n1,x\n2,y,3\n", "y", nn.ErrShape, []string{"line 3", "3 fields, want 2"}},
		{"empty target", "a,y\n1,x\n2,\n", "y", nn.ErrLabel, []string{"line 3", "column 2 (y)", "empty target"}},
		{"infinite target", "a,y\n1,2\n2,Inf\n", "y", nn.ErrNonFinite, []string{"line 3", "column 2 (y)"}},
		{"stray quote", "a,y\n1,x\"y\n", "y", nn.ErrShape, []string{"line 2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := nn.ReadCSV(strings.NewReader(c.in), c.target)
			if err == nil {
				t.Fatalf("got %+v, want an error", d)
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("error %q is not %v", err, c.kind)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "nn: ") {
				t.Errorf("error %q does not start with \"nn: \"", msg)
			}
			for _, s := range c.says {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not say %q", msg, s)
				}
			}
		})
	}
}

func TestReadCSVIris(t *testing.T) {
	f, err := os.Open("testdata/iris.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := nn.ReadCSV(f, "species")
	if err != nil {
		t.Fatal(err)
	}
	if d.X.Rows != 150 || d.X.Cols != 4 {
		t.Fatalf("X is %d×%d, want 150×4", d.X.Rows, d.X.Cols)
	}
	if want := []string{"setosa", "versicolor", "virginica"}; !slices.Equal(d.Classes, want) {
		t.Errorf("Classes = %q, want %q", d.Classes, want)
	}
	counts := make([]int, 3)
	for _, c := range d.Y.Data {
		counts[int(c)]++
	}
	if !slices.Equal(counts, []int{50, 50, 50}) {
		t.Errorf("class counts %v, want 50 each", counts)
	}
	// first and last rows of the file
	if got := d.X.Row(0); !slices.Equal(got, []float32{5.1, 3.5, 1.4, 0.2}) {
		t.Errorf("row 0 = %v", got)
	}
	if got := d.X.Row(149); !slices.Equal(got, []float32{5.9, 3.0, 5.1, 1.8}) {
		t.Errorf("row 149 = %v", got)
	}
}

// Whatever the bytes, ReadCSV returns an error or a consistent table of
// finite numbers; it never panics.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"a,b,y\n1,2,x\n3,4,z\n",
		"y,a\n1.5,2\n-3,4e2\n",
		"a,y\n\"1\",\"q\"\"x\"\n",
		"a,y\n1\n",
		"\ufeffa,y\nNaN,1\n",
		"",
	} {
		f.Add(s, "y")
	}
	f.Fuzz(func(t *testing.T, in, target string) {
		d, err := nn.ReadCSV(strings.NewReader(in), target)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "nn: ") {
				t.Errorf("error %q lacks the nn: prefix", err)
			}
			return
		}
		if d.X.Rows < 1 || len(d.X.Data) != d.X.Rows*d.X.Cols || d.X.Cols != len(d.Features) {
			t.Fatalf("X is %d×%d with %d values and %d feature names", d.X.Rows, d.X.Cols, len(d.X.Data), len(d.Features))
		}
		if d.Y.Rows != d.X.Rows || len(d.Y.Data) != d.Y.Rows*d.Y.Cols {
			t.Fatalf("Y is %d×%d with %d values for %d rows", d.Y.Rows, d.Y.Cols, len(d.Y.Data), d.X.Rows)
		}
		for _, m := range []nn.Matrix{d.X, d.Y} {
			for _, v := range m.Data {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					t.Fatalf("non-finite value %v read from %q", v, in)
				}
			}
		}
		for _, c := range d.Y.Data {
			if d.Classes != nil && (c < 0 || int(c) >= len(d.Classes) || c != float32(int(c))) {
				t.Fatalf("class index %v with %d classes", c, len(d.Classes))
			}
		}
	})
}
