package nn

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// writeFileAtomic replaces the file at path with the bytes that write
// produces, so that readers see either the old file or the complete new one:
// write goes to a temporary file in the same folder, which is synced,
// closed and renamed over path; then the folder is synced so that the
// rename survives a crash. On any error the temporary file is removed and
// path is untouched. A new file gets mode 0644; a replaced one keeps its
// mode. If path is a symbolic link, the file it leads to is replaced.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	// Through a symbolic link the file it leads to is replaced and the
	// link kept (current.nnm -> v12.nnm stays a link). A link to nothing
	// yet is replaced by the file.
	target := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(target); err == nil {
		mode = st.Mode().Perm()
	}

	f, err := os.CreateTemp(dir, "."+base+".tmp*")
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
	if err := f.Chmod(mode); err != nil {
		return err
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
