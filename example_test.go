package nn_test

import (
	"context"
	"fmt"

	"github.com/nnrt/nn"
)

func ExampleNew() {
	net, err := nn.New(
		nn.Input(4),
		nn.Dense(16, nn.ReLU),
		nn.Dropout(0.2),
		nn.Dense(3, nn.Softmax),
		nn.Seed(42),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, l := range net.Layers() {
		fmt.Printf("layer %d: %s %d->%d %s\n", i, l.Kind, l.In, l.Out, l.Act)
	}
	fmt.Println("loss:", net.Loss())
	// Output:
	// layer 0: dense 4->16 relu
	// layer 1: dropout 16->16 identity
	// layer 2: dense 16->3 softmax
	// loss: categorical_crossentropy
}

func ExampleNetwork_Fit() {
	// XOR: no straight line separates the classes, one hidden layer does.
	x, _ := nn.FromRows([][]float32{{0, 0}, {0, 1}, {1, 0}, {1, 1}})
	y, _ := nn.FromRows([][]float32{{0}, {1}, {1}, {0}})

	net, _ := nn.New(nn.Input(2), nn.Dense(4, nn.Tanh), nn.Dense(1, nn.Sigmoid), nn.Seed(1))
	hist, err := net.Fit(context.Background(), x, y, nn.TrainConfig{
		Epochs:    300,
		BatchSize: 4,
		Optimizer: nn.Adam(0.05),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := net.Evaluate(x, y)
	fmt.Printf("epochs: %d, accuracy: %.2f\n", len(hist.Epochs), m.Accuracy)
	for i := range x.Rows {
		p, _ := net.Predict(x.Row(i))
		fmt.Printf("%v -> %.0f\n", x.Row(i), p[0])
	}
	// Output:
	// epochs: 300, accuracy: 1.00
	// [0 0] -> 0
	// [0 1] -> 1
	// [1 0] -> 1
	// [1 1] -> 0
}

func ExampleNetwork_Predict() {
	// A single sigmoid unit computing logical AND with hand-set weights.
	net, _ := nn.New(nn.Input(2), nn.Dense(1, nn.Sigmoid))
	if err := net.SetWeights(0, [][]float32{{20, 20}}, []float32{-30}); err != nil {
		fmt.Println(err)
		return
	}
	for _, x := range [][]float32{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
		p, _ := net.Predict(x)
		fmt.Printf("%v -> %.4f\n", x, p[0])
	}
	_, err := net.Predict([]float32{1, 2, 3})
	fmt.Println(err)
	// Output:
	// [0 0] -> 0.0000
	// [0 1] -> 0.0000
	// [1 0] -> 0.0000
	// [1 1] -> 1.0000
	// nn: layer 0 (dense 2->1): input has 3 values, want 2
}

func ExampleNetwork_PredictInto() {
	net, _ := nn.New(nn.Input(3), nn.Dense(8, nn.ReLU), nn.Dense(2, nn.Softmax), nn.Seed(7))
	dst := make([]float32, net.OutputSize()) // reused: no allocation per call
	for _, x := range [][]float32{{1, 0, 0}, {0, 1, 0}} {
		if err := net.PredictInto(dst, x); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("sum of probabilities: %.3f\n", dst[0]+dst[1])
	}
	// Output:
	// sum of probabilities: 1.000
	// sum of probabilities: 1.000
}
