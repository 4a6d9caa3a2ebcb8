// Package plot draws the small pictures of the examples: line charts and
// two-dimensional maps on a white canvas, with short labels in a tiny
// built-in font, saved as PNG.
package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
)

// Colours the examples share.
var (
	Blue   = color.RGBA{31, 119, 180, 255}
	Orange = color.RGBA{255, 127, 14, 255}
	Green  = color.RGBA{44, 160, 44, 255}
	Red    = color.RGBA{214, 39, 40, 255}
	Purple = color.RGBA{148, 103, 189, 255}
	Grey   = color.RGBA{150, 150, 150, 255}
	Black  = color.RGBA{0, 0, 0, 255}
)

// Margin is the border around the plotting area, in pixels, that holds
// the title and the tick labels.
const Margin = 36

// Canvas is a picture with a data coordinate system: X grows to the
// right from XMin to XMax, Y upwards from YMin to YMax.
type Canvas struct {
	Img                    *image.RGBA
	XMin, XMax, YMin, YMax float64
}

// New returns a white w×h canvas showing the given data ranges.
func New(w, h int, xmin, xmax, ymin, ymax float64) *Canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	return &Canvas{Img: img, XMin: xmin, XMax: xmax, YMin: ymin, YMax: ymax}
}

// Pixel returns the pixel position of the data point (x, y).
func (c *Canvas) Pixel(x, y float64) (px, py int) {
	b := c.Img.Bounds()
	w, h := float64(b.Dx()-2*Margin), float64(b.Dy()-2*Margin)
	px = Margin + int((x-c.XMin)/(c.XMax-c.XMin)*w+0.5)
	py = b.Dy() - Margin - int((y-c.YMin)/(c.YMax-c.YMin)*h+0.5)
	return px, py
}

// point returns the data point at the centre of pixel (px, py).
func (c *Canvas) point(px, py int) (x, y float64) {
	b := c.Img.Bounds()
	w, h := float64(b.Dx()-2*Margin), float64(b.Dy()-2*Margin)
	x = c.XMin + float64(px-Margin)/w*(c.XMax-c.XMin)
	y = c.YMin + float64(b.Dy()-Margin-py)/h*(c.YMax-c.YMin)
	return x, y
}

// Step returns the width and height of one pixel in data units.
func (c *Canvas) Step() (dx, dy float64) {
	b := c.Img.Bounds()
	return (c.XMax - c.XMin) / float64(b.Dx()-2*Margin), (c.YMax - c.YMin) / float64(b.Dy()-2*Margin)
}

// Fill paints every pixel of the plotting area with the colour f gives
// for its data point: a map of a function of two variables.
func (c *Canvas) Fill(f func(x, y float64) color.Color) {
	b := c.Img.Bounds()
	for py := Margin; py <= b.Dy()-Margin; py++ {
		for px := Margin; px <= b.Dx()-Margin; px++ {
			c.Img.Set(px, py, f(c.point(px, py)))
		}
	}
}

// Axes draws the lines x = 0 and y = 0 where they are in view, and a frame
// around the plotting area.
func (c *Canvas) Axes() {
	b := c.Img.Bounds()
	l, t, r, bot := Margin, Margin, b.Dx()-Margin, b.Dy()-Margin
	c.segment(l, t, r, t, Black)
	c.segment(l, bot, r, bot, Black)
	c.segment(l, t, l, bot, Black)
	c.segment(r, t, r, bot, Black)
	if c.YMin < 0 && c.YMax > 0 {
		_, py := c.Pixel(0, 0)
		c.segment(l, py, r, py, Grey)
	}
	if c.XMin < 0 && c.XMax > 0 {
		px, _ := c.Pixel(0, 0)
		c.segment(px, t, px, bot, Grey)
	}
}

// XTicks marks each value on the bottom edge and writes it below.
func (c *Canvas) XTicks(vs ...float64) {
	bot := c.Img.Bounds().Dy() - Margin
	for _, v := range vs {
		px, _ := c.Pixel(v, c.YMin)
		c.segment(px, bot, px, bot+4, Black)
		s := strconv.FormatFloat(v, 'g', 4, 64)
		c.Text(px-TextWidth(s)/2, bot+7, s, Black)
	}
}

// YTicks marks each value on the left edge and writes it to the left.
func (c *Canvas) YTicks(vs ...float64) {
	for _, v := range vs {
		_, py := c.Pixel(c.XMin, v)
		c.segment(Margin-4, py, Margin, py, Black)
		s := strconv.FormatFloat(v, 'g', 4, 64)
		c.Text(Margin-6-TextWidth(s), py-TextHeight/2, s, Black)
	}
}

// Line draws the polyline through (xs[i], ys[i]), two pixels wide.
func (c *Canvas) Line(xs, ys []float64, col color.Color) {
	for i := 1; i < len(xs) && i < len(ys); i++ {
		x0, y0 := c.Pixel(xs[i-1], ys[i-1])
		x1, y1 := c.Pixel(xs[i], ys[i])
		c.segment(x0, y0, x1, y1, col)
		c.segment(x0, y0+1, x1, y1+1, col)
	}
}

// HLine draws a horizontal line at height y across the plotting area.
func (c *Canvas) HLine(y float64, col color.Color) {
	c.Line([]float64{c.XMin, c.XMax}, []float64{y, y}, col)
}

// VLine draws a vertical line at x across the plotting area.
func (c *Canvas) VLine(x float64, col color.Color) {
	c.Line([]float64{x, x}, []float64{c.YMin, c.YMax}, col)
}

// Dot draws a filled disc of radius r pixels at (x, y) with a dark rim.
func (c *Canvas) Dot(x, y float64, r int, col color.Color) {
	cx, cy := c.Pixel(x, y)
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			d := dx*dx + dy*dy
			switch {
			case d <= (r-1)*(r-1):
				c.Img.Set(cx+dx, cy+dy, col)
			case d <= r*r:
				c.Img.Set(cx+dx, cy+dy, Black)
			}
		}
	}
}

// segment draws a one-pixel line between two pixels (Bresenham). Each
// step moves one pixel along the longer axis, so it sets max(dx, dy) + 1
// pixels.
func (c *Canvas) segment(x0, y0, x1, y1 int, col color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for range max(dx, -dy) + 1 {
		c.Img.Set(x0, y0, col)
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

// Blend mixes a and b: t = 0 gives a, t = 1 gives b.
func Blend(a, b color.RGBA, t float64) color.RGBA {
	t = min(max(t, 0), 1)
	mix := func(p, q uint8) uint8 { return uint8(float64(p)*(1-t) + float64(q)*t + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// SideBySide places the canvases in one row, left to right.
func SideBySide(cs ...*Canvas) *image.RGBA {
	w, h := 0, 0
	for _, c := range cs {
		w += c.Img.Bounds().Dx()
		h = max(h, c.Img.Bounds().Dy())
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	x := 0
	for _, c := range cs {
		r := c.Img.Bounds().Add(image.Pt(x, 0))
		draw.Draw(out, r, c.Img, image.Point{}, draw.Src)
		x += c.Img.Bounds().Dx()
	}
	return out
}

// Save writes img as a PNG file readable by everyone (mode 0644). It
// writes a temporary file next to path and renames it, so that a failure
// leaves no half-written picture.
func Save(path string, img image.Image) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".plot-*.png")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = png.Encode(f, img)
	if err == nil {
		// a picture is meant to be viewed or served: CreateTemp made it 0600
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// ReadPNG reads back a picture written by Save.
func ReadPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}
