# A numpy job on OpenBLAS threads: matrix products (scenario real.numpy).
import numpy as np
rng = np.random.default_rng(7)
a = rng.standard_normal((400, 400))
s = 0.0
for r in range(2000):
    b = a @ a.T
    a = b / np.linalg.norm(b) + rng.standard_normal((400, 400)) * 1e-3
    s += float(np.trace(a))
    if r % 100 == 0:
        print("round", r, "%.6f" % s, flush=True)
print("done")
