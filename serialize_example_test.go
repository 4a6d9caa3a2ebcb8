package nn_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/nnrt/nn"
)

// A model saved with Save loads with Load and predicts the same numbers;
// Float16 and Int8 trade exactness for size.
func ExampleNetwork_Save() {
	net, err := nn.New(nn.Input(1), nn.Dense(1, nn.Identity))
	if err != nil {
		log.Fatal(err)
	}
	if err := net.SetWeights(0, [][]float32{{1.5}}, []float32{-2}); err != nil {
		log.Fatal(err)
	}
	net.SetMeta("unit", "degrees")

	var buf bytes.Buffer
	if err := net.Save(&buf); err != nil {
		log.Fatal(err)
	}
	fmt.Println("bytes:", buf.Len())

	loaded, err := nn.Load(&buf)
	if err != nil {
		log.Fatal(err)
	}
	y, err := loaded.Predict([]float32{1})
	if err != nil {
		log.Fatal(err)
	}
	unit, _ := loaded.Meta("unit")
	fmt.Println(y[0], unit)
	// Output:
	// bytes: 212
	// -0.5 degrees
}
