"""NumPy counterpart of dev.reparam.bench.KsTiming: batched ETDRK4 forward and hand-written adjoint
of the forced KS solver (n = 256 problems, N = 128, L = 32 pi, dt = 0.25, 100 steps), vectorised
over problems with rfft/irfft. Keeps the whole trajectory's stage values (no checkpointing).

Run: python3 bench/ks_numpy.py [n]. Prints best-of-5 times and a finite-difference check of d/d alpha.

Real-FFT packing in the adjoint (half spectrum, real inner product over real and imaginary parts):
  u = irfft(v)  ->  v_bar = c / N * rfft(u_bar),  c = 1 at DC and Nyquist, 2 elsewhere
  v = rfft(u)   ->  u_bar = N * irfft(d * v_bar), d = 1 at DC and Nyquist, 1/2 elsewhere
"""
import sys
import time
import numpy as np

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/test-data/ks")
from make_reference import coefficients, initial_states  # noqa: E402


class Ks:
    def __init__(self, n, length, dt, steps):
        self.n, self.steps = n, steps
        self.e, self.e2, self.q, self.f1, self.f2, self.f3, self.g = coefficients(n, length, dt)
        x = length * np.arange(n) / n
        self.forcing = np.fft.rfft(np.cos(4 * np.pi * x / length))
        self.c = np.full(n // 2 + 1, 2.0)
        self.c[[0, -1]] = 1.0

    def _nonlinear(self, x, alpha, beta):
        u = np.fft.irfft(x, n=self.n, axis=1)
        return beta[:, None] * self.g * np.fft.rfft(u * u, axis=1) + alpha[:, None] * self.forcing, u

    def forward(self, u0, alpha, beta, keep=False):
        v = np.fft.rfft(u0, axis=1)
        stages = []
        for _ in range(self.steps):
            nv, uv = self._nonlinear(v, alpha, beta)
            a = self.e2 * v + self.q * nv
            na, ua = self._nonlinear(a, alpha, beta)
            b = self.e2 * v + self.q * na
            nb, ub = self._nonlinear(b, alpha, beta)
            c = self.e2 * a + self.q * (2 * nb - nv)
            nc, uc = self._nonlinear(c, alpha, beta)
            v = self.e * v + self.f1 * nv + 2 * self.f2 * (na + nb) + self.f3 * nc
            if keep:
                stages.append((uv, ua, ub, uc))
        return np.fft.irfft(v, n=self.n, axis=1), stages

    def _nonlinear_adjoint(self, nbar, u, beta, grad):
        grad[:, 0] += np.sum((np.conj(self.forcing) * nbar).real, axis=1)
        z = np.conj(self.g) * nbar  # cotangent of W = rfft(u^2), divided by beta
        s = self.n * np.fft.irfft(z / self.c, n=self.n, axis=1)  # transpose of rfft: d = 1 / c
        grad[:, 1] += np.sum(u * u * s, axis=1)
        return self.c / self.n * np.fft.rfft(2 * u * beta[:, None] * s, axis=1)

    def loss_and_gradient(self, u0, alpha, beta, y):
        ut, stages = self.forward(u0, alpha, beta, keep=True)
        r = ut - y
        loss = np.mean(r * r, axis=1)
        grad = np.zeros((len(alpha), 2))
        vb = self.c / self.n * np.fft.rfft(2 * r / self.n, axis=1)
        for uv, ua, ub, uc in reversed(stages):
            nvb, nab, ncb = self.f1 * vb, 2 * self.f2 * vb, self.f3 * vb
            nbb = nab.copy()
            vb = self.e * vb
            cb = self._nonlinear_adjoint(ncb, uc, beta, grad)
            ab = self.e2 * cb
            nbb += 2 * self.q * cb
            nvb -= self.q * cb
            bb = self._nonlinear_adjoint(nbb, ub, beta, grad)
            vb += self.e2 * bb
            nab += self.q * bb
            ab += self._nonlinear_adjoint(nab, ua, beta, grad)
            vb += self.e2 * ab
            nvb += self.q * ab
            vb += self._nonlinear_adjoint(nvb, uv, beta, grad)
        return loss, grad


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    ks = Ks(128, 32 * np.pi, 0.25, 100)
    rng = np.random.default_rng(1)
    u0 = initial_states(rng, count, 128)
    y, _ = ks.forward(u0, rng.uniform(-1, 1, count), rng.uniform(0.5, 1.5, count))
    alpha, beta = np.zeros(count), np.ones(count)
    forward = both = np.inf
    for r in range(7):
        t0 = time.perf_counter()
        ks.forward(u0, alpha, beta)
        t1 = time.perf_counter()
        ks.loss_and_gradient(u0, alpha, beta, y)
        t2 = time.perf_counter()
        if r >= 2:
            forward, both = min(forward, t1 - t0), min(both, t2 - t1)
    print(f"numpy {np.__version__}, n = {count}, N = 128, 100 steps")
    print(f"forward {forward:.3f} s, forward + adjoint {both:.3f} s (best of 5)")
    _, grad = ks.loss_and_gradient(u0[:2], alpha[:2], beta[:2], y[:2])
    h = 1e-6
    lp, _ = ks.loss_and_gradient(u0[:2], alpha[:2] + h, beta[:2], y[:2])
    lm, _ = ks.loss_and_gradient(u0[:2], alpha[:2] - h, beta[:2], y[:2])
    print("adjoint vs central difference, d/d alpha, relative:", np.abs((lp - lm) / (2 * h) - grad[:, 0]) / np.abs(grad[:, 0]))


if __name__ == "__main__":
    main()
