module github.com/nnrt/nn

go 1.24
