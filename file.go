package nn

import (
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// writeFileAtomic replaces the file at path with the bytes that write
// produces, so that readers see either the old file or the complete new one:
// write goes to a temporary file in the same folder, which is synced,
// closed and renamed over path; then the folder is synced so that the
// rename survives a crash. On any error the temporary file is removed and
// path is untouched. A new file gets mode 0644 less the umask; a replaced
// one keeps its mode. Only a regular file is replaced: a folder, device,
// pipe or socket at path is an error. If path is a symbolic link, the file
// it leads to is replaced.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	// Through a symbolic link the file it leads to is replaced and the
	// link kept (current.nnm -> v12.nnm stays a link). A link to nothing
	// yet is replaced by the file.
	target := path
	switch real, err := filepath.EvalSymlinks(path); {
	case err == nil:
		target = real
	case !errors.Is(err, fs.ErrNotExist):
		// a loop of links, a folder that cannot be read
		return errorf(err, "save %s: %v", path, err)
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	// a replaced file keeps its mode; a new one gets 0644 less the umask,
	// which the system applies when the temporary file is created
	var keep fs.FileMode
	replacing := false
	if st, err := os.Stat(target); err == nil {
		// a folder, device, pipe or socket is not swapped for a file
		if !st.Mode().IsRegular() {
			return errorf(ErrConfig, "save %s: not a regular file (%v)", path, st.Mode().Type())
		}
		keep, replacing = st.Mode().Perm(), true
	}

	f, err := createTemp(dir, base)
	if err != nil {
		return errorf(err, "save %s: %v", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = errorf(err, "save %s: %v", path, err)
		}
	}()

	if err := write(f); err != nil {
		return err
	}
	if replacing {
		if err := f.Chmod(keep); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), target); err != nil {
		return err
	}
	return syncDir(dir)
}

// createTemp creates a new file for writing in dir, named after base and
// hidden, with mode 0644 less the umask (os.CreateTemp's files are 0600).
func createTemp(dir, base string) (*os.File, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		return f, err
	}
}

// syncDir makes a rename in dir durable. Windows cannot open a folder for
// syncing, so there the rename is left to the file system.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
