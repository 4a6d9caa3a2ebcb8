package main

import (
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nnrt/nn/bench/spec"
)

// dataset is one prepared set of data files.
type dataset struct {
	x, y   string // file paths
	rows   int
	inputs int
	source string // where the values came from, for the report
}

// datasets holds every file the works read.
type datasets struct {
	board, digits, flowers dataset
	mnistTest              *dataset // nil when MNIST is absent
}

// prepare writes the data files of every work into dir. Board positions are
// synthetic; digits and the accuracy check read MNIST from shared, flowers
// reads iris; each falls back to synthetic data with a note when absent.
func prepare(dir, shared string, seed uint64) (*datasets, error) {
	rng := rand.New(rand.NewPCG(seed, 0))
	var d datasets
	var err error

	// Board: stones as +1 (own), -1 (opponent), 0 (empty); every one of the
	// 361 classes appears, so every peer builds the same output layer.
	const boardRows, points = 1000, 361
	bx := make([]float32, boardRows*points)
	for i := range bx {
		switch r := rng.IntN(10); {
		case r < 2:
			bx[i] = 1
		case r < 4:
			bx[i] = -1
		}
	}
	by := make([]int, boardRows)
	for i := range by {
		by[i] = i % points
	}
	rng.Shuffle(len(by), func(i, j int) { by[i], by[j] = by[j], by[i] })
	if d.board, err = write(dir, "board", bx, by, points, "synthetic positions"); err != nil {
		return nil, err
	}

	mnistDir := filepath.Join(shared, "mnist")
	tx, ty, terr := readMNIST(mnistDir, "train")
	vx, vy, verr := readMNIST(mnistDir, "t10k")
	if terr == nil && verr == nil {
		if d.digits, err = write(dir, "digits", tx, ty, 784, "MNIST training set"); err != nil {
			return nil, err
		}
		test, err := write(dir, "mnist-test", vx, vy, 784, "MNIST test set")
		if err != nil {
			return nil, err
		}
		d.mnistTest = &test
	} else {
		if terr == nil {
			terr = verr
		}
		fmt.Fprintf(os.Stderr, "MNIST not used (%v): digits runs on synthetic images\n", terr)
		x, y := synthetic(rng, 60000, 784, 10)
		if d.digits, err = write(dir, "digits", x, y, 784, "synthetic images (MNIST absent)"); err != nil {
			return nil, err
		}
	}

	fx, fy, ferr := readIris(filepath.Join(shared, "iris", "iris.csv"))
	source := "iris, standardised"
	if ferr != nil {
		fmt.Fprintf(os.Stderr, "iris not used (%v): flowers runs on synthetic clusters\n", ferr)
		fx, fy = synthetic(rng, 150, 4, 3)
		source = "synthetic clusters (iris absent)"
	}
	if d.flowers, err = write(dir, "flowers", fx, fy, 4, source); err != nil {
		return nil, err
	}
	return &d, nil
}

func write(dir, name string, x []float32, y []int, inputs int, source string) (dataset, error) {
	d := dataset{
		x:      filepath.Join(dir, name+".x"),
		y:      filepath.Join(dir, name+".y"),
		rows:   len(y),
		inputs: inputs,
		source: source,
	}
	if err := spec.WriteF32(d.x, x); err != nil {
		return d, err
	}
	return d, spec.WriteLabels(d.y, y)
}

// synthetic returns rows of Gaussian clusters, one centre per class.
func synthetic(rng *rand.Rand, rows, inputs, classes int) ([]float32, []int) {
	centres := make([]float32, classes*inputs)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64())
	}
	x := make([]float32, rows*inputs)
	y := make([]int, rows)
	for i := range y {
		y[i] = i % classes
		for j := range inputs {
			x[i*inputs+j] = centres[y[i]*inputs+j] + float32(rng.NormFloat64())
		}
	}
	return x, y
}

// readMNIST reads one MNIST part ("train" or "t10k") with pixels scaled to
// [0, 1].
func readMNIST(dir, part string) ([]float32, []int, error) {
	images, err := readGz(filepath.Join(dir, part+"-images-idx3-ubyte.gz"))
	if err != nil {
		return nil, nil, err
	}
	labels, err := readGz(filepath.Join(dir, part+"-labels-idx1-ubyte.gz"))
	if err != nil {
		return nil, nil, err
	}
	if len(images) < 16 || binary.BigEndian.Uint32(images) != 0x803 ||
		len(labels) < 8 || binary.BigEndian.Uint32(labels) != 0x801 {
		return nil, nil, fmt.Errorf("%s: not IDX image and label files", part)
	}
	n := int(binary.BigEndian.Uint32(images[4:]))
	if int(binary.BigEndian.Uint32(labels[4:])) != n || len(images) != 16+n*784 || len(labels) != 8+n {
		return nil, nil, fmt.Errorf("%s: IDX sizes disagree", part)
	}
	x := make([]float32, n*784)
	for i, p := range images[16:] {
		x[i] = float32(p) / 255
	}
	y := make([]int, n)
	for i, l := range labels[8:] {
		y[i] = int(l)
	}
	return x, y, nil
}

func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return io.ReadAll(z)
}

// readIris reads the iris CSV (4 numeric columns then the species name),
// standardising each column.
func readIris(path string) ([]float32, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) < 2 {
		return nil, nil, fmt.Errorf("%s: no rows", path)
	}
	recs = recs[1:]
	x := make([]float32, 0, 4*len(recs))
	y := make([]int, 0, len(recs))
	class := map[string]int{}
	for i, r := range recs {
		if len(r) != 5 {
			return nil, nil, fmt.Errorf("%s: row %d has %d fields, want 5", path, i+2, len(r))
		}
		for _, s := range r[:4] {
			v, err := strconv.ParseFloat(s, 32)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: row %d: %w", path, i+2, err)
			}
			x = append(x, float32(v))
		}
		c, ok := class[r[4]]
		if !ok {
			c = len(class)
			class[r[4]] = c
		}
		y = append(y, c)
	}
	if len(class) != 3 {
		return nil, nil, fmt.Errorf("%s: %d species, want 3", path, len(class))
	}
	standardise(x, 4)
	return x, y, nil
}

func standardise(x []float32, cols int) {
	rows := len(x) / cols
	for j := range cols {
		var sum, sq float64
		for i := range rows {
			v := float64(x[i*cols+j])
			sum += v
			sq += v * v
		}
		mean := sum / float64(rows)
		std := math.Sqrt(max(sq/float64(rows)-mean*mean, 1e-12))
		for i := range rows {
			x[i*cols+j] = float32((float64(x[i*cols+j]) - mean) / std)
		}
	}
}
