"""PyTorch copy of reparam's batched forced Kuramoto-Sivashinsky ETDRK4 solver (sim/ks), forward and
gradient (autograd through torch.fft.rfft/irfft in place of our hand-written adjoint), for timing our Java
CPU solver and CUDA kernels against PyTorch on the same device, and a parity check.

u_t = alpha cos(4 pi x / L) - u_xx - u_xxxx - beta u u_x on [0, L), N points, ETDRK4 (Kassam & Trefethen) on
the half spectrum; loss = mean_x (u(T) - y)^2 per problem; gradient in alpha, beta and the initial state.

  python3 bench/torch/ks_etdrk4.py --device cpu --dtype float64 --threads 2      # n = 256, N = 128, 100 steps
  python3 bench/torch/ks_etdrk4.py --device cuda --dtype float32
  python3 bench/torch/ks_etdrk4.py --check [DIR]   # test-data/ks, bench/ks_numpy.py, and the Java export in DIR

See bench/torch/README.md.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# KuramotoSivashinsky.BLOW_UP, EtdCoefficients.CONTOUR_POINTS
BLOW_UP, CONTOUR_POINTS = 1e6, 32
DTYPES = {"float32": torch.float32, "float64": torch.float64}
COMPLEX = {torch.float32: torch.complex64, torch.float64: torch.complex128}


def coefficients(points, length, dt):
    """EtdCoefficients, in float64: per mode m = 0..N/2, k = 2 pi m / L, Lk = k^2 - k^4: E, E2, and Q, f1, f2, f3
    as real parts of means over 32 points on the upper half of the unit circle around dt Lk; the nonlinear factor
    -i k / 2 with 0 at the Nyquist mode; the forcing's FFT."""
    m = np.arange(points // 2 + 1)
    k = 2 * np.pi * m / length
    hl = dt * (k**2 - k**4)
    z = hl[:, None] + np.exp(1j * np.pi * (np.arange(CONTOUR_POINTS) + 0.5) / CONTOUR_POINTS)[None, :]
    ez = np.exp(z)
    phi = lambda f: dt * np.mean(f.real, axis=1)
    q = phi((np.exp(z / 2) - 1) / z)
    f1 = phi((-4 - z + ez * (4 - 3 * z + z**2)) / z**3)
    f2 = phi((2 + z + ez * (z - 2)) / z**3)
    f3 = phi((-4 - 3 * z - z**2 + ez * (4 - z)) / z**3)
    g = -0.5j * np.where(m == points // 2, 0.0, k)
    forcing = np.cos(4 * np.pi * np.arange(points) / points)
    return np.exp(hl), np.exp(hl / 2), q, f1, f2, f3, g, forcing


class Etdrk4:
    """KuramotoSivashinsky's rollout for a batch of problems [n, N] (rows independent), on torch tensors."""

    def __init__(self, points, length, dt, steps, dtype=torch.float64, device="cpu"):
        self.points, self.steps = points, steps
        e, e2, q, f1, f2, f3, g, forcing = coefficients(points, length, dt)
        real = lambda a: torch.tensor(a, dtype=dtype, device=device)
        self.e, self.e2, self.q, self.f1, self.f2, self.f3 = map(real, (e, e2, q, f1, f2, f3))
        self.two_f2 = 2 * self.f2
        self.g = torch.tensor(g, dtype=COMPLEX[dtype], device=device)
        self.forcing = torch.fft.rfft(real(forcing))

    def rollout(self, u0, alpha, beta):
        """u(T) [n, N] from u(0) [n, N], alpha [n], beta [n]; differentiable in all three."""
        bg = beta[:, None] * self.g  # beta (-i k / 2), once per rollout
        af = alpha[:, None] * self.forcing
        n = self.points

        def nonlinear(x):
            u = torch.fft.irfft(x, n=n, dim=1)
            return bg * torch.fft.rfft(u * u, dim=1) + af

        e, e2, q = self.e, self.e2, self.q
        v = torch.fft.rfft(u0, dim=1)
        for _ in range(self.steps):
            nv = nonlinear(v)
            a = e2 * v + q * nv
            na = nonlinear(a)
            b = e2 * v + q * na
            nb = nonlinear(b)
            c = e2 * a + q * (2 * nb - nv)
            nc = nonlinear(c)
            v = e * v + self.f1 * nv + self.two_f2 * (na + nb) + self.f3 * nc
        return torch.fft.irfft(v, n=n, dim=1)

    def loss_and_gradient(self, u0, alpha, beta, targets):
        """As KuramotoSivashinsky.lossAndGradient with gradU0: per-problem loss, d loss / d (alpha, beta) [n, 2] and
        d loss / d u0 [n, N]. A problem whose u(T) is non-finite or above 1e6 gets loss +inf and zero gradient (the
        Java code also checks the state at every stage, which would cost a device sync here)."""
        u0, alpha, beta = (t.detach().clone().requires_grad_() for t in (u0, alpha, beta))
        ut = self.rollout(u0, alpha, beta)
        loss = torch.mean((ut - targets) ** 2, dim=1)
        loss.sum().backward()  # problems are independent, so the gradient of the sum is each problem's own
        with torch.no_grad():
            ok = torch.isfinite(ut).all(dim=1) & (ut.abs().amax(dim=1) <= BLOW_UP)
            grad = torch.stack((alpha.grad, beta.grad), dim=1)
            zero = torch.zeros((), dtype=grad.dtype, device=grad.device)
            return (torch.where(ok, loss, torch.full_like(loss, math.inf)), torch.where(ok[:, None], grad, zero),
                    torch.where(ok[:, None], u0.grad, zero))


# ---- parity ---------------------------------------------------------------------------------------
def rel(actual, expected):
    """max |actual - expected| / max |expected|."""
    return float(np.max(np.abs(np.asarray(actual) - expected)) / np.max(np.abs(expected)))


def numpy_reference():
    """bench/ks_numpy.py: our NumPy solver with a hand-written adjoint (independent of autograd and of the Java code)."""
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import ks_numpy
    return ks_numpy


def check(folder, device):
    dt64 = torch.float64
    t = lambda a: torch.tensor(a, dtype=dt64, device=device)
    results = {}
    for profile in ("quick", "paper"):  # test-data/ks: independent NumPy ETDRK4 forward (full-circle contour)
        load = lambda key: np.load(os.path.join(ROOT, "test-data", "ks", f"reference_{profile}_{key}.npy"))
        points, length, dt, steps = load("config")
        solver = Etdrk4(int(points), length, dt, int(steps), dt64, device)
        with torch.no_grad():
            ut = solver.rollout(t(load("u0")), t(load("alpha")), t(load("beta"))).cpu().numpy()
        results[f"u(T) vs test-data/ks reference_{profile} (N = {int(points)}, {int(steps)} steps)"] = rel(ut, load("uT"))

    if folder:
        load = lambda key: np.load(os.path.join(folder, f"ks_{key}.npy"))
        points, length, dt, steps = load("config")
        u0, targets, params = load("u0"), load("targets"), load("params")
    else:  # no Java export: the paper-size reference problems, targets from other parameters
        load = lambda key: np.load(os.path.join(ROOT, "test-data", "ks", f"reference_paper_{key}.npy"))
        points, length, dt, steps = 128, 32 * np.pi, 0.25, 100
        u0, targets = load("u0"), load("uT")
        params = np.stack((load("alpha") * 0.5, load("beta") * 0.9 + 0.1), axis=1)
    solver = Etdrk4(int(points), length, dt, int(steps), dt64, device)
    loss, grad, grad_u0 = (x.cpu().numpy() for x in solver.loss_and_gradient(t(u0), t(params[:, 0]), t(params[:, 1]), t(targets)))
    with torch.no_grad():
        ut = solver.rollout(t(u0), t(params[:, 0]), t(params[:, 1])).cpu().numpy()
    where = f"(N = {int(points)}, {int(steps)} steps, {len(u0)} problems)"

    ks_numpy = numpy_reference()
    reference = ks_numpy.Ks(int(points), length, dt, int(steps))
    np_loss, np_grad = reference.loss_and_gradient(u0, params[:, 0], params[:, 1], targets)
    results[f"loss vs bench/ks_numpy.py {where}"] = rel(loss, np_loss)
    results[f"d/d(alpha, beta) vs bench/ks_numpy.py adjoint"] = rel(grad, np_grad)

    if folder:
        results[f"u(T) vs Java simulate {where}"] = rel(ut, load("uT"))
        results["loss vs Java lossAndGradient"] = rel(loss, load("loss"))
        results["d/d(alpha, beta) vs Java adjoint"] = rel(grad, load("grad"))
        results["d/d u0 vs Java adjoint"] = rel(grad_u0, load("grad_u0"))
    print(f"parity (float64, {device}), max |torch - reference| / max |reference|:")
    for k, v in results.items():
        print(f"  {k:<68} {v:.2e}")
    worst = max(results.values())
    if not worst <= 1e-9:
        raise SystemExit(f"parity FAILED: worst relative difference {worst:.2e} > 1e-9")
    return results


# ---- timing ---------------------------------------------------------------------------------------
def timing_problems(n, points, solver, dtype, device):
    """As bench/ks_numpy.py and KsTiming: random initial states (modes 1..8), targets from random (alpha, beta),
    the guess alpha = 0, beta = 1."""
    sys.path.insert(0, os.path.join(ROOT, "test-data", "ks"))
    from make_reference import initial_states
    rng = np.random.default_rng(1)
    t = lambda a: torch.tensor(a, dtype=dtype, device=device)
    u0 = t(initial_states(rng, n, points))
    with torch.no_grad():
        targets = solver.rollout(u0, t(rng.uniform(-1, 1, n)), t(rng.uniform(0.5, 1.5, n)))
    return u0, targets, torch.zeros(n, dtype=dtype, device=device), torch.ones(n, dtype=dtype, device=device)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(fn, device, warmup, repeats):
    times = []
    for r in range(warmup + repeats):
        synchronize(device)
        start = time.perf_counter()
        fn()
        synchronize(device)
        if r >= warmup:
            times.append(time.perf_counter() - start)
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:K")
    p.add_argument("--dtype", default="float64", choices=sorted(DTYPES))
    p.add_argument("--n", type=int, default=256, help="number of problems")
    p.add_argument("--points", type=int, default=128, help="grid points N (a power of two, as in the Java solver)")
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, help="torch.set_num_threads (CPU)")
    p.add_argument("--check", metavar="DIR", nargs="?", const="",
                   help="parity (float64) with test-data/ks and bench/ks_numpy.py, and with the Java export in DIR if given")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    a = p.parse_args()
    if a.threads is not None:
        if a.threads < 1:
            p.error(f"--threads must be >= 1, got {a.threads}")
        torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        p.error(f"--device {a.device}: CUDA is not available in this PyTorch ({torch.__version__})")
    if a.n < 1 or a.steps < 1 or a.points < 4 or a.points & (a.points - 1) or a.warmup < 0 or a.repeats < 1:
        p.error("need --n >= 1, --steps >= 1, --points a power of two >= 4, --warmup >= 0, --repeats >= 1")
    if a.check and not os.path.isfile(os.path.join(a.check, "ks_config.npy")):
        p.error(f"--check {a.check}: no ks_config.npy there (run dev.reparam.bench.TorchParityExport {a.check})")
    print(f"torch {torch.__version__}, device {device}"
          + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else f", {torch.get_num_threads()} threads"))
    if a.check is not None:
        results = check(a.check, device)
    else:
        dtype = DTYPES[a.dtype]
        solver = Etdrk4(a.points, 32 * np.pi, 0.25, a.steps, dtype, device)
        u0, targets, alpha, beta = timing_problems(a.n, a.points, solver, dtype, device)

        def forward():
            with torch.no_grad():
                solver.rollout(u0, alpha, beta)

        losses = []
        fwd = timed(forward, device, a.warmup, a.repeats)
        both = timed(lambda: losses.append(solver.loss_and_gradient(u0, alpha, beta, targets)[0]), device, a.warmup, a.repeats)
        if not all(bool(torch.isfinite(l).all()) for l in losses):
            raise SystemExit("non-finite loss during timing")
        results = {"n": a.n, "points": a.points, "steps": a.steps, "dtype": a.dtype, "device": str(device),
                   "forward_best_s": min(fwd), "forward_median_s": statistics.median(fwd),
                   "forward_adjoint_best_s": min(both), "forward_adjoint_median_s": statistics.median(both),
                   "warmup": a.warmup, "repeats": a.repeats}
        print(f"n = {a.n}, N = {a.points}, {a.steps} steps, {a.dtype}: forward {min(fwd):.4f} s "
              f"(median {statistics.median(fwd):.4f}), forward + gradient (autograd) {min(both):.4f} s "
              f"(median {statistics.median(both):.4f}); best of {a.repeats} after {a.warmup} warm-up")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"torch": torch.__version__, "device": str(device), "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
