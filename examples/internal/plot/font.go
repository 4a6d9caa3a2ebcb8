package plot

import (
	"image/color"
	"strings"
)

// glyphs is a 3×5 pixel font: five rows of three, top to bottom, '#' for
// ink. Lower-case letters are drawn as capitals; unknown runes as blanks.
var glyphs = map[rune]string{
	'0': "###" + "#.#" + "#.#" + "#.#" + "###",
	'1': ".#." + "##." + ".#." + ".#." + "###",
	'2': "###" + "..#" + "###" + "#.." + "###",
	'3': "###" + "..#" + ".##" + "..#" + "###",
	'4': "#.#" + "#.#" + "###" + "..#" + "..#",
	'5': "###" + "#.." + "###" + "..#" + "###",
	'6': "###" + "#.." + "###" + "#.#" + "###",
	'7': "###" + "..#" + "..#" + ".#." + ".#.",
	'8': "###" + "#.#" + "###" + "#.#" + "###",
	'9': "###" + "#.#" + "###" + "..#" + "###",
	'A': ".#." + "#.#" + "###" + "#.#" + "#.#",
	'B': "##." + "#.#" + "##." + "#.#" + "##.",
	'C': ".##" + "#.." + "#.." + "#.." + ".##",
	'D': "##." + "#.#" + "#.#" + "#.#" + "##.",
	'E': "###" + "#.." + "##." + "#.." + "###",
	'F': "###" + "#.." + "##." + "#.." + "#..",
	'G': ".##" + "#.." + "#.#" + "#.#" + ".##",
	'H': "#.#" + "#.#" + "###" + "#.#" + "#.#",
	'I': "###" + ".#." + ".#." + ".#." + "###",
	'J': "..#" + "..#" + "..#" + "#.#" + ".#.",
	'K': "#.#" + "#.#" + "##." + "#.#" + "#.#",
	'L': "#.." + "#.." + "#.." + "#.." + "###",
	'M': "#.#" + "###" + "###" + "#.#" + "#.#",
	'N': "##." + "#.#" + "#.#" + "#.#" + "#.#",
	'O': ".#." + "#.#" + "#.#" + "#.#" + ".#.",
	'P': "##." + "#.#" + "##." + "#.." + "#..",
	'Q': ".#." + "#.#" + "#.#" + "##." + ".##",
	'R': "##." + "#.#" + "##." + "#.#" + "#.#",
	'S': ".##" + "#.." + ".#." + "..#" + "##.",
	'T': "###" + ".#." + ".#." + ".#." + ".#.",
	'U': "#.#" + "#.#" + "#.#" + "#.#" + "###",
	'V': "#.#" + "#.#" + "#.#" + "#.#" + ".#.",
	'W': "#.#" + "#.#" + "###" + "###" + "#.#",
	'X': "#.#" + "#.#" + ".#." + "#.#" + "#.#",
	'Y': "#.#" + "#.#" + ".#." + ".#." + ".#.",
	'Z': "###" + "..#" + ".#." + "#.." + "###",
	'.': "..." + "..." + "..." + "..." + ".#.",
	',': "..." + "..." + "..." + ".#." + "#..",
	':': "..." + ".#." + "..." + ".#." + "...",
	'-': "..." + "..." + "###" + "..." + "...",
	'+': "..." + ".#." + "###" + ".#." + "...",
	'=': "..." + "###" + "..." + "###" + "...",
	'(': ".#." + "#.." + "#.." + "#.." + ".#.",
	')': ".#." + "..#" + "..#" + "..#" + ".#.",
	'/': "..#" + "..#" + ".#." + "#.." + "#..",
	'%': "#.#" + "..#" + ".#." + "#.." + "#.#",
}

// textScale is how many pixels wide and high one font pixel is drawn.
const textScale = 2

// TextWidth returns the width in pixels of s as Text draws it.
func TextWidth(s string) int {
	n := len([]rune(s))
	if n == 0 {
		return 0
	}
	return (4*n - 1) * textScale
}

// TextHeight is the height in pixels of a line of text.
const TextHeight = 5 * textScale

// Text draws s with its top left corner at pixel (px, py).
func (c *Canvas) Text(px, py int, s string, col color.Color) {
	for i, r := range []rune(strings.ToUpper(s)) {
		g := glyphs[r]
		for k := range len(g) {
			if g[k] != '#' {
				continue
			}
			x0, y0 := px+(4*i+k%3)*textScale, py+k/3*textScale
			for dy := range textScale {
				for dx := range textScale {
					c.Img.Set(x0+dx, y0+dy, col)
				}
			}
		}
	}
}

// Title writes s centred in the top margin.
func (c *Canvas) Title(s string) {
	w := c.Img.Bounds().Dx()
	c.Text((w-TextWidth(s))/2, (Margin-TextHeight)/2, s, Black)
}
