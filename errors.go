package nn

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the package returns wraps one of them, so
// callers can test the kind with [errors.Is] while the message names the
// layer, row, column and sizes involved.
var (
	// ErrShape reports data whose width or length does not match the network
	// or the other operand.
	ErrShape = errors.New("shape mismatch")
	// ErrEmpty reports a data set without rows.
	ErrEmpty = errors.New("empty data")
	// ErrNonFinite reports a NaN or infinity in inputs, targets or weights.
	ErrNonFinite = errors.New("non-finite value")
	// ErrLabel reports a class index outside the range of the output layer.
	ErrLabel = errors.New("label out of range")
	// ErrConfig reports an invalid network or training setting.
	ErrConfig = errors.New("invalid configuration")
	// ErrDiverged is returned by [Network.Fit] when the loss or the gradient
	// becomes NaN or infinite; the network keeps its last finite weights.
	ErrDiverged = errors.New("training diverged")
	// ErrStop may be returned by a [TrainConfig.OnEpoch] callback to end
	// training early without an error.
	ErrStop = errors.New("stop training")

	// ErrBadMagic reports a model file that does not start with the magic bytes.
	ErrBadMagic = errors.New("not an nn model file")
	// ErrVersion reports a model file of a format version this package cannot read.
	ErrVersion = errors.New("unsupported model file version")
	// ErrChecksum reports a model file whose checksum does not match its content.
	ErrChecksum = errors.New("model file checksum mismatch")
	// ErrTruncated reports a model file that ends early.
	ErrTruncated = errors.New("model file truncated")
	// ErrArchitecture reports a model file describing an impossible network.
	ErrArchitecture = errors.New("invalid architecture in model file")
)

// nnError carries a detailed message, the sentinel it belongs to and, when
// it reports another error in a wider context, that error.
type nnError struct {
	kind  error
	cause error
	msg   string
}

func (e *nnError) Error() string { return e.msg }

func (e *nnError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// errorf returns an error of the given kind whose message is "nn: " followed
// by the formatted text.
func errorf(kind error, format string, args ...any) error {
	return &nnError{kind: kind, msg: "nn: " + fmt.Sprintf(format, args...)}
}

// wrapf returns an error of the given kind that reports cause in the
// context of the formatted text: its message is "nn: ", the text, ": " and
// cause's own message, and errors.Is matches kind and whatever cause
// matches.
func wrapf(kind, cause error, format string, args ...any) error {
	return &nnError{kind: kind, cause: cause, msg: "nn: " + fmt.Sprintf(format, args...) + ": " + detail(cause)}
}

// detail returns the message of err without the "nn: " that opens the
// messages of this package.
func detail(err error) string { return strings.TrimPrefix(err.Error(), "nn: ") }
