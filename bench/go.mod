module github.com/nnrt/nn/bench

go 1.24.0

replace github.com/nnrt/nn => ../

require (
	github.com/nnrt/nn v0.0.0-00010101000000-000000000000
	gonum.org/v1/gonum v0.17.0
)
