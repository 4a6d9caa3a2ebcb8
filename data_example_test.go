package nn_test

import (
	"fmt"
	"strings"

	"github.com/nnrt/nn"
)

func ExampleReadCSV() {
	table := `height,weight,animal
30,4.1,cat
60,25,dog
25,3.5,cat
`
	d, err := nn.ReadCSV(strings.NewReader(table), "animal")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("features:", d.Features)
	fmt.Println("classes: ", d.Classes)
	fmt.Println("X:", d.X.Data)
	fmt.Println("Y:", d.Y.Data)

	// a bad field is reported by line and column
	_, err = nn.ReadCSV(strings.NewReader("height,animal\n30,cat\ntall,dog\n"), "animal")
	fmt.Println(err)
	// Output:
	// features: [height weight]
	// classes:  [cat dog]
	// X: [30 4.1 60 25 25 3.5]
	// Y: [0 1 0]
	// nn: csv line 3, column 1 (height): "tall" is not a number
}

func ExampleSplit() {
	x := nn.Matrix{Rows: 10, Cols: 1, Data: []float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}
	y := nn.Classes([]int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1})
	trainX, _, testX, testY, err := nn.Split(x, y, 0.2, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("train rows:", trainX.Rows, "test rows:", testX.Rows)
	fmt.Println("test x:", testX.Data, "test y:", testY.Data)
	// Output:
	// train rows: 8 test rows: 2
	// test x: [3 4] test y: [0 0]
}

func ExampleFitScaler() {
	train := nn.Matrix{Rows: 3, Cols: 2, Data: []float32{
		1, 100,
		2, 200,
		3, 300,
	}}
	s, err := nn.FitScaler(train)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mean %v, std %.4v\n", s.Mean, s.Std)

	// new inputs are transformed with the training statistics
	z, err := s.Transform(nn.Matrix{Rows: 1, Cols: 2, Data: []float32{2, 400}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4v\n", z.Data)
	// Output:
	// mean [2 200], std [0.8165 81.65]
	// [0 2.449]
}

func ExampleOneHot() {
	m, err := nn.OneHot([]int{2, 0, 1}, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range m.Rows {
		fmt.Println(m.Row(i))
	}
	// Output:
	// [0 0 1]
	// [1 0 0]
	// [0 1 0]
}
