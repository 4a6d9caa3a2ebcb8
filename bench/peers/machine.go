package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/nnrt/nn/bench/spec"
)

// clockTicks is USER_HZ, the unit of /proc/stat on Linux.
const clockTicks = 100

// load is how busy the machine was while a table ran, apart from the
// runners themselves.
type load struct {
	wall        time.Duration
	others      float64 // cores used on average by other processes
	avg1, avg2  string  // 1-minute load average at start and end
	ok          bool
	ours        time.Duration
	busyAtStart float64
}

// meter accumulates the runners' CPU time between startLoad and stop.
type meter struct {
	l     load
	start time.Time
}

func startLoad() *meter {
	m := &meter{start: time.Now()}
	m.l.avg1 = loadAvg()
	m.l.busyAtStart, m.l.ok = busySeconds()
	return m
}

func (m *meter) add(cpu time.Duration) { m.l.ours += cpu }

func (m *meter) stop() load {
	l := m.l
	l.wall = time.Since(m.start)
	l.avg2 = loadAvg()
	busy, ok := busySeconds()
	l.ok = l.ok && ok
	if l.ok && l.wall > 0 {
		l.others = max(0, busy-l.busyAtStart-l.ours.Seconds()) / l.wall.Seconds()
	}
	return l
}

func (l load) String() string {
	if !l.ok {
		return fmt.Sprintf("load average %s → %s", l.avg1, l.avg2)
	}
	return fmt.Sprintf("other processes used %.2f of %d cores on average over %s (load average %s → %s)",
		l.others, runtime.NumCPU(), l.wall.Round(time.Second), l.avg1, l.avg2)
}

// busySeconds returns the CPU seconds all processes have used since boot.
func busySeconds() (float64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, false
	}
	var busy float64
	for i, s := range f[1:] {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false
		}
		if i != 3 && i != 4 { // idle and iowait
			busy += v
		}
	}
	return busy / clockTicks, true
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// machine describes the computer and toolchains in one line each.
func machine() []string {
	cpu := "unknown CPU"
	var avx512 bool
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			k, v, _ := strings.Cut(l, ":")
			switch strings.TrimSpace(k) {
			case "model name":
				cpu = strings.TrimSpace(v)
			case "flags":
				avx512 = strings.Contains(v, " avx512f")
			}
		}
	}
	isa := "AVX2"
	if avx512 {
		isa = "AVX-512"
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(string(b))
		if len(f) > 1 {
			if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
				mem = fmt.Sprintf(", %.0f GiB", kb/(1<<20))
			}
		}
	}
	osName := runtime.GOOS
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
				osName = strings.Trim(v, `"`)
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		osName += ", Linux " + strings.TrimSpace(string(b))
	}
	tools := []string{runtime.Version()}
	py, _ := python()
	for _, t := range [][]string{{py, "--version"}, {"node", "--version"}, {"gcc", "-dumpfullversion"}} {
		if t[0] == "" {
			continue
		}
		if v, err := exec.Command(t[0], t[1:]...).Output(); err == nil {
			name := map[string]string{"node": "node ", "gcc": "gcc "}[t[0]]
			tools = append(tools, name+strings.TrimSpace(string(v)))
		}
	}
	return []string{
		fmt.Sprintf("%s, %d cores (%s)%s; %s", cpu, runtime.NumCPU(), isa, mem, osName),
		strings.Join(tools, ", "),
	}
}

// fannVersion asks dpkg, as the FANN headers carry no version.
func fannVersion() string {
	v, err := exec.Command("dpkg-query", "-W", "-f=${Version}", "libfann-dev").Output()
	if err != nil {
		return ""
	}
	return "FANN " + strings.TrimSpace(string(v)) + " (Debian libfann-dev)"
}

// writeSpec writes s as JSON to path and in the flat form beside it.
func writeSpec(path string, s spec.Spec) error {
	b, err := json.MarshalIndent(s, "", "\t")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	return os.WriteFile(spec.FlatPath(path), []byte(s.Flat()), 0o644)
}
