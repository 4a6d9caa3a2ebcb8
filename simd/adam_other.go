//go:build purego || !amd64

package simd

// adam runs the Adam step; on this target every level uses the portable
// loop.
func adam(_ Level, g, m, v []float32, c *adamConsts) {
	adamGeneric(g, m, v, c)
}
