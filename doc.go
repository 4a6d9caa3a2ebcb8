// Package nn trains and runs multi-layer perceptrons inside Go programs,
// with the standard library only.
//
// A network is an input width followed by dense layers, each with an
// activation, and optional dropout:
//
//	net, err := nn.New(
//		nn.Input(4),
//		nn.Dense(16, nn.ReLU),
//		nn.Dropout(0.2),
//		nn.Dense(3, nn.Softmax),
//		nn.Seed(42),
//	)
//	hist, err := net.Fit(ctx, x, nn.Classes(labels), nn.TrainConfig{Epochs: 100, BatchSize: 32})
//	probs, err := net.Predict([]float32{5.1, 3.5, 1.4, 0.2})
//
// # Data
//
// Every value is a float32. A batch is a [Matrix]: one contiguous
// row-major slice with one sample per row. Classification targets are
// either class indices in a one-column matrix ([Classes]) or rows of
// OutputSize() floats (one-hot or soft labels).
//
// # Training
//
// [Network.Fit] runs mini-batch training with SGD, momentum, Nesterov,
// Adam or RMSProp, learning-rate schedules, L1 and L2 penalties per layer,
// gradient clipping by global norm, a validation split or set, early
// stopping that restores the best weights, per-epoch callbacks,
// cancellation through a context and an optional progress line. The batch
// size has no default: [TrainConfig.BatchSize] must be at least 1. The loss
// defaults from the output layer: categorical cross-entropy for softmax,
// binary cross-entropy for a single sigmoid output, mean squared error
// otherwise.
//
// # Reproducibility
//
// The network owns its random generator (PCG from math/rand/v2, seeded by
// [Seed]); it draws the initial weights, the shuffles and the dropout
// masks. The same seed, data and configuration give bit-identical weights
// on the same architecture, whatever else the program does with math/rand.
// The generator state, the optimiser's moments and step count and the
// number of epochs trained belong to the network, so a checkpoint saved
// with its optimiser state resumes training exactly there. The initial
// weights and the model file bytes are the same everywhere; trained
// weights and outputs may differ in the last bits between architectures
// (amd64 rounds every product, while the compiler fuses multiply-adds on
// arm64, s390x and others).
//
// # Concurrency and memory
//
// Predict, PredictInto, PredictLogitsInto, PredictBatch, PredictBatchInto,
// Evaluate and EvaluateK may run from any number of goroutines at once;
// each call takes scratch space from a pool owned by the network, so a
// single-sample PredictInto allocates nothing in steady state. Fit and the
// setters modify the network and need exclusive use. A training step
// allocates nothing once the first batch has run, and Fit leaves no
// goroutine behind.
//
// # Errors
//
// Bad input never panics and never trains on NaN: the message starts with
// "nn: ", names the layer, row, column and sizes involved, and wraps one of
// the sentinel errors ([ErrShape], [ErrEmpty], [ErrNonFinite], [ErrLabel],
// [ErrConfig], [ErrDiverged]) for use with errors.Is.
package nn

// BUG(nn): Training and inference are bit-identical per architecture only:
// the portable loops let the Go compiler fuse multiply-adds where the
// processor has them, so amd64, arm64 and s390x round differently.
