"""Times single-precision matrix products through numpy (OpenBLAS).

Reads one shape per line on stdin, "m n k", and prints "m n k seconds" per
product: the median of five timings, each averaged over enough calls to
last about 20 ms. Run with OPENBLAS_NUM_THREADS=1 for a single thread. With
the argument "cpu" the clock is the CPU time of the process, else the wall.
"""
import statistics
import sys
import time

import numpy as np

clock = time.process_time if sys.argv[1:] == ["cpu"] else time.perf_counter


def time_product(m, n, k):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=c)
    reps = 1
    while True:
        start = clock()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        elapsed = clock() - start
        if elapsed > 0.02:
            break
        reps *= 2
    samples = [elapsed / reps]
    for _ in range(4):
        start = clock()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        samples.append((clock() - start) / reps)
    return statistics.median(samples)


for line in sys.stdin:
    if line.strip():
        m, n, k = map(int, line.split())
        print(m, n, k, repr(time_product(m, n, k)), flush=True)
