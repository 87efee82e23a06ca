"""PyTorch copy of one reparameterized wave-packet iteration (reparam's Reparameterized on the
WavePacketExperiment), for timing our Java CPU backend and CUDA kernels against PyTorch on the
same device, and a parity check against the Java code in float64.

One iteration = forward of the network (5 x [Conv1d k=5 'same' -> BatchNorm (batch statistics)
-> ReLU -> MaxPool 2], Flatten, Linear 256->64, ReLU, Linear 64->1), xi = mid + half tanh(z), the
wave-packet loss of every problem (mean over 256 samples of (u(t; xi) - y)^2), backward of their
sum, clipping to global gradient norm 1, Adam (lr 1e-4, betas 0.9/0.999, eps 1e-8).

  python3 bench/torch/wavepacket_reparam.py --device cpu --dtype float64 --n 64 256 --threads 2
  python3 bench/torch/wavepacket_reparam.py --device cuda --dtype float32 --n 64 256
  python3 bench/torch/wavepacket_reparam.py --check DIR   # DIR from dev.reparam.bench.TorchParityExport

See bench/torch/README.md.
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
import torch
from torch import nn

# reparam's constants: WavePacket (physics), WavePacketProblems (bounds, noise), Conv1dNetwork,
# WavePacketExperiment.training (Adam lr, clipping), AdamOptions.defaults, BatchNorm defaults.
SAMPLES, AMPLITUDE, SIGMA = 256, 1.0, 10.0
T0_MIN, T0_MAX, NOISE_STD = 64.0, 192.0, 0.1
CHANNELS, KERNEL, HIDDEN = (16, 16, 32, 32, 32), 5, 64
LR, BETAS, EPS, MAX_GRAD_NORM = 1e-4, (0.9, 0.999), 1e-8, 1.0
BN_EPS, BN_MOMENTUM = 1e-5, 0.1
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def network():
    """The layers of Conv1dNetwork.layers(1), in the same order (so Sequential index = Java layer index)."""
    layers, cin = [], 1
    for c in CHANNELS:
        layers += [nn.Conv1d(cin, c, KERNEL, padding=(KERNEL - 1) // 2), nn.BatchNorm1d(c, eps=BN_EPS, momentum=BN_MOMENTUM),
                   nn.ReLU(), nn.MaxPool1d(2)]
        cin = c
    layers += [nn.Flatten(), nn.Linear(cin * (SAMPLES >> len(CHANNELS)), HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1)]
    return nn.Sequential(*layers)


class WavePacketLoss:
    """Per-problem loss of WavePacket.lossAndGradient at xi = mid + half tanh(z) (Bounds.toPhysical); autograd gives
    the same gradient as the Java code's analytic one times the tanh Jacobian (UnconstrainedObjective)."""

    def __init__(self, observations, lo, hi):
        self.y = observations.reshape(observations.shape[0], SAMPLES)
        self.t = torch.arange(1, SAMPLES + 1, dtype=observations.dtype, device=observations.device)
        self.mid, self.half = 0.5 * (lo + hi), 0.5 * (hi - lo)

    def __call__(self, z):
        xi = self.mid + self.half * torch.tanh(z)  # [n, 1]
        s = self.t - xi
        u = AMPLITUDE * torch.sin(s) * torch.exp(-s * s / (SIGMA * SIGMA))
        return torch.mean((u - self.y) ** 2, dim=1)


class Iteration:
    """Reparameterized.solve's loop body: forward, problem loss, backward of the summed loss, clip, Adam."""

    def __init__(self, model, observations, lo=T0_MIN, hi=T0_MAX, lr=LR, betas=BETAS, eps=EPS, max_grad_norm=MAX_GRAD_NORM):
        self.model = model
        self.x = observations
        self.loss = WavePacketLoss(observations, lo, hi)
        self.params = list(model.parameters())
        self.max_grad_norm = max_grad_norm
        # foreach on CUDA (PyTorch's default there); the per-tensor loop on CPU, also its default.
        self.adam = torch.optim.Adam(self.params, lr=lr, betas=betas, eps=eps)

    def __call__(self):
        self.adam.zero_grad(set_to_none=True)
        loss = self.loss(self.model(self.x))
        loss.sum().backward()
        self.clip()
        self.adam.step()
        return loss.detach()

    def clip(self):
        """Adam.step's clipping: scale = min(1, max / ||g||) with clip_grad_norm_'s own norm (foreach), but not its
        scale, which divides by ||g|| + 1e-6: a 1e-6 relative difference that the float64 parity check would see.
        No host sync: the scale stays on the device. Unlike the Java code, a non-finite norm is not detected
        (that would need a sync)."""
        grads = [p.grad for p in self.params]
        norm = torch.nn.utils.get_total_norm(grads)
        torch._foreach_mul_(grads, torch.clamp(self.max_grad_norm / norm, max=1.0))


def random_problems(n, seed, dtype, device):
    """Problems like WavePacketProblems.generate (t0 ~ U[64, 192], N(0, 0.1^2) noise), from NumPy's generator, so
    not the Java problems; the timing does not depend on the values."""
    rng = np.random.default_rng(seed)
    t0 = rng.uniform(T0_MIN, T0_MAX, (n, 1))
    s = np.arange(1, SAMPLES + 1) - t0
    y = AMPLITUDE * np.sin(s) * np.exp(-s * s / SIGMA**2) + NOISE_STD * rng.standard_normal((n, SAMPLES))
    return torch.tensor(y.reshape(n, 1, SAMPLES), dtype=dtype, device=device)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_iterations(n, dtype, device, warmup, repeats, seed=0):
    """Median and mean of `repeats` iterations after `warmup`: the median syncs after every iteration (its wall
    time, as a training loop that reads the loss would see it), the mean syncs once after all of them."""
    torch.manual_seed(seed)
    model = network().to(device=device, dtype=dtype)
    step = Iteration(model, random_problems(n, seed, dtype, device))
    curve = torch.empty(warmup + 2 * repeats, n, dtype=dtype, device=device)
    for it in range(warmup):
        curve[it] = step()
    synchronize(device)
    times = []
    for it in range(warmup, warmup + repeats):
        start = time.perf_counter()
        curve[it] = step()
        synchronize(device)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    for it in range(warmup + repeats, warmup + 2 * repeats):
        curve[it] = step()
    synchronize(device)
    mean = (time.perf_counter() - start) / repeats
    if not torch.isfinite(curve).all():
        raise SystemExit(f"n = {n}: non-finite loss during timing")
    return {"n": n, "dtype": str(dtype).removeprefix("torch."), "device": str(device), "parameters": sum(p.numel() for p in model.parameters()),
            "median_ms": 1e3 * statistics.median(times), "min_ms": 1e3 * min(times), "mean_unsynced_ms": 1e3 * mean,
            "warmup": warmup, "repeats": repeats}


# ---- parity with the Java export ------------------------------------------------------------
JAVA_NAMES = {("Conv1d", "weight"): "weight", ("Conv1d", "bias"): "bias", ("BatchNorm", "gamma"): "weight",
              ("BatchNorm", "beta"): "bias", ("Linear", "weight"): "weight", ("Linear", "bias"): "bias"}


def layout(path):
    """(Sequential index, torch attribute, shape) per tensor of the Java flat parameter vector, in its order."""
    rows = []
    with open(path) as f:
        for line in f:
            index, kind, name, dims = line.split()
            rows.append((int(index), JAVA_NAMES[(kind, name)], tuple(int(d) for d in dims.split(","))))
    return rows


def tensors_in_java_order(model, rows):
    out = []
    for index, attr, shape in rows:
        t = getattr(model[index], attr)
        if tuple(t.shape) != shape:
            raise SystemExit(f"layout: layer {index} {attr} is {tuple(t.shape)} in torch but {shape} in Java")
        out.append(t)
    if len(out) != len(list(model.parameters())):
        raise SystemExit(f"layout: Java has {len(out)} parameter tensors, torch {len(list(model.parameters()))}")
    return out


def flat(tensors):
    return torch.cat([t.detach().reshape(-1) for t in tensors]).cpu().numpy()


def rel(actual, expected):
    """max |actual - expected| / max |expected| (the scale of the Java parity tests)."""
    return float(np.max(np.abs(actual - expected)) / np.max(np.abs(expected)))


def check(folder, device):
    load = lambda name: np.load(os.path.join(folder, name + ".npy"))
    n, seed, iterations, lr, beta1, beta2, eps, max_norm, lo, hi = load("wp_config")
    iterations = int(iterations)
    for name, ours, java in (("lr", LR, lr), ("betas", BETAS, (beta1, beta2)), ("eps", EPS, eps), ("clip", MAX_GRAD_NORM, max_norm),
                             ("bounds", (T0_MIN, T0_MAX), (lo, hi))):
        if not np.allclose(ours, java, rtol=0, atol=0):
            print(f"note: the export's {name} {java} differs from this script's {ours}; the check uses the export's")
    dtype = torch.float64
    model = network().to(device=device, dtype=dtype)
    rows = layout(os.path.join(folder, "wp_layout.txt"))
    ordered = tensors_in_java_order(model, rows)
    params0 = load("wp_params0")
    with torch.no_grad():
        at = 0
        for t in ordered:
            t.copy_(torch.from_numpy(params0[at:at + t.numel()].reshape(t.shape)))
            at += t.numel()
    assert at == params0.size, f"layout covers {at} of {params0.size} parameters"
    step = Iteration(model, torch.tensor(load("wp_observations"), dtype=dtype, device=device), lo, hi, lr, (beta1, beta2), eps, max_norm)

    # iteration 0 by hand, to read the gradient before the Adam step
    step.adam.zero_grad(set_to_none=True)
    loss0 = step.loss(model(step.x))
    loss0.sum().backward()
    grad0 = flat([t.grad for t in ordered])
    step.clip()
    step.adam.step()
    curve = [loss0.detach().cpu().numpy()] + [step().cpu().numpy() for _ in range(iterations - 1)]
    with torch.no_grad():
        z_final = model(step.x).cpu().numpy()
    # Conv biases feed a batch norm, which removes them: their true gradient is 0 and what both codes compute is
    # rounding noise (~1e-14 of the largest gradient, different in each), which Adam turns into different steps of
    # about lr |g| / eps ~ 1e-10.
    noise = np.concatenate([np.full(int(np.prod(shape)), isinstance(model[i], nn.Conv1d) and attr == "bias")
                            for i, attr, shape in rows])
    results = {
        "loss, iteration 1": rel(curve[0], load("wp_curve")[0]),
        "parameter gradient, iteration 1": rel(grad0, load("wp_grad0")),
        f"losses, iterations 1..{iterations}": rel(np.array(curve), load("wp_curve")),
        f"parameters after {iterations} Adam steps*": rel(flat(ordered)[~noise], load("wp_params_final")[~noise]),
        f"network output after {iterations} steps": rel(z_final, load("wp_z_final")),
    }
    print(f"parity with Java (float64, {device}, n = {int(n)}, {params0.size} parameters), max |torch - java| / max |java|:")
    for k, v in results.items():
        print(f"  {k:<40} {v:.2e}")
    conv_bias = float(np.max(np.abs(flat(ordered)[noise] - load("wp_params_final")[noise])))
    print(f"  * without the conv biases, whose gradient is rounding noise (a batch norm follows them) that Adam turns\n"
          f"    into steps of ~lr |g| / eps: they differ by {conv_bias:.2e} (absolute; lr = {lr:g}, eps = {eps:g})")
    worst = max(results.values())
    if not worst <= 1e-9:
        raise SystemExit(f"parity FAILED: worst relative difference {worst:.2e} > 1e-9")
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:K")
    p.add_argument("--dtype", default="float64", choices=sorted(DTYPES))
    p.add_argument("--n", type=int, nargs="+", default=[64, 256], help="numbers of problems to time")
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--repeats", type=int, default=50)
    p.add_argument("--threads", type=int, help="torch.set_num_threads (CPU)")
    p.add_argument("--check", metavar="DIR", help="parity with the Java export in DIR (float64) instead of timing")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    a = p.parse_args()
    if a.threads is not None:
        if a.threads < 1:
            p.error(f"--threads must be >= 1, got {a.threads}")
        torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        p.error(f"--device {a.device}: CUDA is not available in this PyTorch ({torch.__version__})")
    if any(n < 1 for n in a.n) or a.warmup < 0 or a.repeats < 1:
        p.error(f"need --n >= 1, --warmup >= 0, --repeats >= 1, got --n {' '.join(map(str, a.n))}, --warmup {a.warmup}, "
                f"--repeats {a.repeats}")
    print(f"torch {torch.__version__}, device {device}"
          + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else f", {torch.get_num_threads()} threads"))
    if a.check:
        if not os.path.isfile(os.path.join(a.check, "wp_config.npy")):
            p.error(f"--check {a.check}: no wp_config.npy there (run dev.reparam.bench.TorchParityExport {a.check})")
        results = check(a.check, device)
    else:
        results = []
        for n in a.n:
            r = time_iterations(n, DTYPES[a.dtype], device, a.warmup, a.repeats)
            results.append(r)
            print(f"reparameterized iteration, n = {n}, {a.dtype}, {r['parameters']} parameters: median {r['median_ms']:.3f} ms "
                  f"(min {r['min_ms']:.3f}; mean {r['mean_unsynced_ms']:.3f} ms without a sync per iteration; "
                  f"{a.warmup} warm-up, {a.repeats} timed)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"torch": torch.__version__, "device": str(device), "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
