//go:build race

package nn

func init() { racing = true }
