package plot

import (
	"image/color"
	"path/filepath"
	"testing"
)

func TestPixelCorners(t *testing.T) {
	c := New(140, 100, -1, 1, 0, 10)
	for _, p := range []struct {
		x, y   float64
		px, py int
	}{
		{-1, 0, Margin, 100 - Margin},
		{1, 10, 140 - Margin, Margin},
		{0, 5, 70, 50},
	} {
		if px, py := c.Pixel(p.x, p.y); px != p.px || py != p.py {
			t.Errorf("Pixel(%v, %v) = %d, %d, want %d, %d", p.x, p.y, px, py, p.px, p.py)
		}
	}
}

func TestDrawAndSave(t *testing.T) {
	const m, w = Margin, 2*Margin + 20 // a 20×20 plotting area
	c := New(w, w, 0, 1, 0, 1)
	c.Fill(func(x, y float64) color.Color {
		if x < 0.5 {
			return Blue
		}
		return Orange
	})
	c.Line([]float64{0, 1}, []float64{0, 1}, Green)

	path := filepath.Join(t.TempDir(), "p.png")
	if err := Save(path, SideBySide(c, c)); err != nil {
		t.Fatal(err)
	}
	img, err := ReadPNG(path)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 2*w || b.Dy() != w {
		t.Fatalf("saved image is %v, want %d×%d", b, 2*w, w)
	}
	at := func(x, y int) color.RGBA { return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) }
	// left half of each panel blue, right half orange, diagonal green,
	// margin white
	for _, p := range []struct {
		x, y int
		want color.RGBA
	}{
		{m + 5, m + 5, Blue}, {m + 15, m + 15, Orange}, {m + 10, m + 10, Green},
		{w + m + 5, m + 5, Blue}, {w + m + 15, m + 15, Orange}, {w + m + 10, m + 10, Green},
		{5, 5, color.RGBA{255, 255, 255, 255}},
	} {
		if got := at(p.x, p.y); got != p.want {
			t.Errorf("pixel (%d, %d) = %v, want %v", p.x, p.y, got, p.want)
		}
	}
}

func TestText(t *testing.T) {
	c := New(100, 100, 0, 1, 0, 1)
	c.Text(10, 10, "T-1", Red)
	// T: top row inked across, then only the middle column
	ink := func(x, y int) bool { return c.Img.RGBAAt(x, y) == Red }
	for _, p := range []struct {
		fx, fy int // font pixel, counted from the text's corner
		want   bool
	}{
		{0, 0, true}, {2, 0, true}, {1, 4, true}, {0, 4, false},
		{4, 2, true}, {6, 2, true}, {4, 1, false}, // the dash
		{9, 0, true}, {8, 1, true}, {10, 4, true}, // the 1
	} {
		x, y := 10+p.fx*textScale, 10+p.fy*textScale
		if ink(x, y) != p.want || ink(x+1, y+1) != p.want {
			t.Errorf("font pixel (%d, %d): ink %v, want %v", p.fx, p.fy, ink(x, y), p.want)
		}
	}
	if got, want := TextWidth("T-1"), 11*textScale; got != want {
		t.Errorf("TextWidth = %d, want %d", got, want)
	}
}

func TestSaveBadPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "p.png")
	if err := Save(path, New(10, 10, 0, 1, 0, 1).Img); err == nil {
		t.Error("Save into a missing folder: no error")
	}
}

// Lines of every slope run from end to end, whichever way they are drawn.
func TestSegmentEnds(t *testing.T) {
	for x := 0; x < 100; x += 3 {
		for _, y := range []int{0, 37, 50, 99} {
			for _, fwd := range []bool{true, false} {
				c := New(100, 100, 0, 1, 0, 1)
				if fwd {
					c.segment(50, 50, x, y, Red)
				} else {
					c.segment(x, y, 50, 50, Red)
				}
				if c.Img.RGBAAt(x, y) != Red || c.Img.RGBAAt(50, 50) != Red {
					t.Fatalf("segment (50, 50)-(%d, %d), forward %v, misses an end", x, y, fwd)
				}
			}
		}
	}
}
