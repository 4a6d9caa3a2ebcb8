module github.com/nnrt/nn/bench

go 1.24

replace github.com/nnrt/nn => ../
