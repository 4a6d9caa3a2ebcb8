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
		{-1, 0, margin, 100 - margin},
		{1, 10, 140 - margin, margin},
		{0, 5, 70, 50},
	} {
		if px, py := c.Pixel(p.x, p.y); px != p.px || py != p.py {
			t.Errorf("Pixel(%v, %v) = %d, %d, want %d, %d", p.x, p.y, px, py, p.px, p.py)
		}
	}
}

func TestDrawAndSave(t *testing.T) {
	c := New(60, 60, 0, 1, 0, 1)
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
	if b := img.Bounds(); b.Dx() != 120 || b.Dy() != 60 {
		t.Fatalf("saved image is %v, want 120×60", b)
	}
	at := func(x, y int) color.RGBA { return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA) }
	// left half of each panel blue, right half orange, diagonal green,
	// margin white
	for _, p := range []struct {
		x, y int
		want color.RGBA
	}{
		{25, 25, Blue}, {35, 35, Orange}, {85, 25, Blue}, {95, 35, Orange},
		{30, 30, Green}, {90, 30, Green}, {5, 5, color.RGBA{255, 255, 255, 255}},
	} {
		if got := at(p.x, p.y); got != p.want {
			t.Errorf("pixel (%d, %d) = %v, want %v", p.x, p.y, got, p.want)
		}
	}
}

func TestSaveBadPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "p.png")
	if err := Save(path, New(10, 10, 0, 1, 0, 1).Img); err == nil {
		t.Error("Save into a missing folder: no error")
	}
}

// Lines of every slope must end: draw a fan of them from the centre.
func TestSegmentEnds(t *testing.T) {
	c := New(100, 100, 0, 1, 0, 1)
	for x := 0; x < 100; x += 3 {
		for _, y := range []int{0, 37, 99} {
			c.segment(50, 50, x, y, Black)
			c.segment(x, y, 50, 50, Black)
			if got := color.RGBAModel.Convert(c.Img.At(x, y)); got != Black {
				t.Fatalf("segment to (%d, %d) does not reach it", x, y)
			}
		}
	}
}
