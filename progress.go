package nn

import (
	"fmt"
	"io"
	"time"
)

// progress writes the Keras-like epoch lines of Fit.
type progress struct {
	w        io.Writer
	epochs   int
	batches  int
	accuracy bool // print accuracy
	topK     int
	last     time.Time // when the running bar was last drawn
	width    int       // length of the running bar, to blank it
	buf      []byte
}

// barWidth is the number of characters inside the progress bar; barEvery
// is the least time between two redraws of the running bar.
const (
	barWidth = 30
	barEvery = 200 * time.Millisecond
)

func newProgress(w io.Writer, epochs, batches int, accuracy bool, topK int) *progress {
	return &progress{w: w, epochs: epochs, batches: batches, accuracy: accuracy, topK: topK, last: time.Now()}
}

// head appends "Epoch e/N [=====>....] b/B".
func (p *progress) head(e, b int) {
	p.buf = fmt.Appendf(p.buf[:0], "Epoch %d/%d [", e, p.epochs)
	done := barWidth * b / p.batches
	for i := range barWidth {
		switch {
		case i < done:
			p.buf = append(p.buf, '=')
		case i == done:
			p.buf = append(p.buf, '>')
		default:
			p.buf = append(p.buf, '.')
		}
	}
	p.buf = fmt.Appendf(p.buf, "] %d/%d", b, p.batches)
}

// batch redraws the running bar after batch b of epoch e, at most every
// barEvery.
func (p *progress) batch(e, b int, loss float64, epochStart time.Time) {
	if p.w == nil || b == p.batches || time.Since(p.last) < barEvery {
		return
	}
	p.last = time.Now()
	p.head(e, b)
	p.buf = fmt.Appendf(p.buf, " - ETA: %s - loss: %.4f", eta(p.last.Sub(epochStart), b, p.batches-b), loss)
	p.width = len(p.buf)
	p.w.Write(append([]byte{'\r'}, p.buf...))
}

// epoch writes the final line of an epoch; total is the time since Fit
// started, from which the remaining time is estimated.
func (p *progress) epoch(st EpochStats, total time.Duration) {
	if p.w == nil {
		return
	}
	p.head(st.Epoch, p.batches)
	p.buf = fmt.Appendf(p.buf, " - %v - loss: %.4f", st.Elapsed.Round(time.Millisecond), st.Loss)
	if p.accuracy {
		p.buf = fmt.Appendf(p.buf, " - accuracy: %.4f", st.Accuracy)
	}
	if p.topK > 0 {
		p.buf = fmt.Appendf(p.buf, " - top%d: %.4f", p.topK, st.TopK)
	}
	if st.HasVal {
		p.buf = fmt.Appendf(p.buf, " - val_loss: %.4f", st.ValLoss)
		if p.accuracy {
			p.buf = fmt.Appendf(p.buf, " - val_accuracy: %.4f", st.ValAccuracy)
		}
		if p.topK > 0 {
			p.buf = fmt.Appendf(p.buf, " - val_top%d: %.4f", p.topK, st.ValTopK)
		}
	}
	p.buf = fmt.Appendf(p.buf, " - ETA: %s", eta(total, st.Epoch, p.epochs-st.Epoch))
	line := p.buf
	if p.width > 0 {
		// Overwrite the running bar, blanking what the final line leaves.
		pad := max(p.width-len(line), 0)
		line = append([]byte{'\r'}, line...)
		for range pad {
			line = append(line, ' ')
		}
		p.width = 0
	}
	p.w.Write(append(line, '\n'))
}

// maxETA is the longest time left that the progress line spells out.
const maxETA = 10000 * time.Hour

// eta returns the time left for left more steps when done steps took
// elapsed, computed in float64 so that a huge step count (Epochs set to
// math.MaxInt, stopped by a callback) cannot overflow time.Duration;
// beyond maxETA it reads ">10000h0m0s".
func eta(elapsed time.Duration, done, left int) string {
	d := float64(elapsed) / float64(done) * float64(left)
	if d > float64(maxETA) {
		return ">" + maxETA.String()
	}
	return time.Duration(d).Round(time.Millisecond).String()
}
