"""PyTorch version of dev.reparam.sim.ns (the Navier-Stokes step of paper section 4.4), batched over
problems, for timing against the Java CPU solver and the CUDA kernels on the same machine.

Same discretisation as the Java code (docs/ns.md): W x H MAC grid, dx = 1, closed walls and solid
obstacle cells; Gaussian force at t = 0; per step semi-Lagrangian advection (bilinear, clamped
departure points), explicit viscosity, pressure projection by conjugate gradients from q = 0 until
|r| <= max(tol |D_M a|, 1e-14 |M a|), each problem stopping at its own iteration. Differences: the
CG is plain or Jacobi-preconditioned (MIC(0) is a sequential triangular solve), and the gradient
is taken by autograd, with the projection as an autograd.Function whose backward is another CG
solve (P is symmetric) and checkpoint segments of C steps (as the Java adjoint).

  python3 bench/torch/ns_step.py --device cpu --dtype float64 [--n 64 --size 100 --repeats 3]
  python3 bench/torch/ns_step.py --check DIR   # DIR from dev.reparam.bench.NsTorchParityExport
"""
import argparse
import math
import statistics
import sys
import time

import torch
from torch.utils.checkpoint import checkpoint

ROUNDOFF_FLOOR = 1e-14
FORCE_CENTRE_Y, FORCE_RADIUS = 15.0, 5.0


def three_obstacles(w, h):
    """MacGrid.threeObstacles: solid [H, W] bool, cell (i, j) at [j, i]."""
    solid = torch.zeros(h, w, dtype=torch.bool)
    for rx, ry in ((0.15, 0.40), (0.45, 0.50), (0.75, 0.40)):
        x0, y0 = math.floor(rx * w + 0.5), math.floor(ry * h + 0.5)  # Java Math.round
        solid[y0:y0 + max(1, math.floor(0.1 * h + 0.5)), x0:x0 + max(1, math.floor(0.1 * w + 0.5))] = True
    return solid


class Grid:
    """The MAC grid of dev.reparam.sim.ns.MacGrid: a state is [n, size], u (H x (W + 1), row j, column i)
    then v ((H + 1) x W); a face is open when both cells beside it are fluid."""

    def __init__(self, solid, dtype, device):
        self.h, self.w = solid.shape
        h, w = self.h, self.w
        self.dtype, self.device = dtype, device
        self.u_size = (w + 1) * h
        self.size = self.u_size + w * (h + 1)
        fluid = ~solid
        open_u = torch.zeros(h, w + 1, dtype=torch.bool)
        open_u[:, 1:w] = fluid[:, :-1] & fluid[:, 1:]
        open_v = torch.zeros(h + 1, w, dtype=torch.bool)
        open_v[1:h, :] = fluid[:-1, :] & fluid[1:, :]
        as_t = lambda a: a.to(device=device, dtype=dtype)  # noqa: E731
        self.fluid = as_t(fluid)
        self.open = as_t(torch.cat([open_u.reshape(-1), open_v.reshape(-1)]))
        # Poisson couplings across interior faces (cells c-1|c and c-w|c), and the diagonal
        self.cx, self.cy = as_t(open_u[:, 1:w]), as_t(open_v[1:h, :])
        diag = torch.zeros(h, w, dtype=dtype)
        diag[:, 1:] += self.cx.cpu()
        diag[:, :-1] += self.cx.cpu()
        diag[1:, :] += self.cy.cpu()
        diag[:-1, :] += self.cy.cpu()
        self.diag = as_t(diag)
        self.inv_diag = as_t(torch.where(diag > 0, 1 / diag.clamp(min=1), torch.zeros(())))
        # face positions (x, y): u(i, j) at (i, j + 1/2), v(i, j) at (i + 1/2, j)
        ju, iu = torch.meshgrid(torch.arange(h, dtype=dtype), torch.arange(w + 1, dtype=dtype), indexing="ij")
        jv, iv = torch.meshgrid(torch.arange(h + 1, dtype=dtype), torch.arange(w, dtype=dtype), indexing="ij")
        self.ux, self.uy = as_t(iu.reshape(-1)), as_t(ju.reshape(-1) + 0.5)
        self.vx, self.vy = as_t(iv.reshape(-1) + 0.5), as_t(jv.reshape(-1))
        # the backtrace's interpolation of the other component sits at fixed points
        self.cross_v = stencil(*self.sample_v(self.ux, self.uy))  # v at the u faces
        self.cross_u = stencil(*self.sample_u(self.vx, self.vy))  # u at the v faces

    def sample_u(self, x, y):
        """Bilinear.at arguments for u at (x, y): (offset, nx, ny, fx, fy)."""
        return 0, self.w + 1, self.h, x, y - 0.5

    def sample_v(self, x, y):
        return self.u_size, self.w, self.h + 1, x - 0.5, y

    def split(self, s):
        n = s.shape[0]
        return s[:, :self.u_size].view(n, self.h, self.w + 1), s[:, self.u_size:].view(n, self.h + 1, self.w)

    def observe(self, s):
        """MacGrid.observe: u rows j >= H/2, then v rows j >= H/2."""
        u, v = self.split(s)
        n = s.shape[0]
        return torch.cat([u[:, self.h // 2:].reshape(n, -1), v[:, self.h // 2:].reshape(n, -1)], dim=1)


def clamp_flat(f, hi):
    """Clamps to [0, hi]; where the clamp is active (boundary included, as in Bilinear) the result
    does not depend on f."""
    inside = (f > 0) & (f < hi)
    return torch.where(inside, f, f.detach().clamp(0, hi))


def stencil(offset, nx, ny, fx, fy):
    """Bilinear.at: flat index of the lower-left sample and the fractions (tx, ty)."""
    fx, fy = clamp_flat(fx, nx - 1), clamp_flat(fy, ny - 1)
    i0 = fx.detach().floor().clamp(max=nx - 2)
    j0 = fy.detach().floor().clamp(max=ny - 2)
    base = (offset + j0 * nx + i0).long()
    return base, nx, fx - i0, fy - j0


def interpolate(s, st):
    """Bilinear.value: s [n, size]; the stencil's index is [F] (same for all problems) or [n, F]."""
    base, nx, tx, ty = st
    if base.dim() == 1:
        take = lambda k: s.index_select(1, base + k)  # noqa: E731
    else:
        take = lambda k: torch.gather(s, 1, base + k)  # noqa: E731
    return ((1 - tx) * (1 - ty) * take(0) + tx * (1 - ty) * take(1)
            + (1 - tx) * ty * take(nx) + tx * ty * take(nx + 1))


def advect(g, s, dt):
    """Advection.forward: each open face traced back by its own component and the interpolated
    other one; closed faces 0."""
    u, v = s[:, :g.u_size], s[:, g.u_size:]
    v_at_u, u_at_v = interpolate(s, g.cross_v), interpolate(s, g.cross_u)
    new_u = interpolate(s, stencil(*g.sample_u(g.ux - dt * u, g.uy - dt * v_at_u)))
    new_v = interpolate(s, stencil(*g.sample_v(g.vx - dt * u_at_v, g.vy - dt * v)))
    return torch.cat([new_u, new_v], dim=1) * g.open


def laplacian(a):
    """5-point Laplacian of a face array [n, ny, nx], values outside it count as 0."""
    p = torch.nn.functional.pad(a, (1, 1, 1, 1))
    return p[:, 1:-1, :-2] + p[:, 1:-1, 2:] + p[:, :-2, 1:-1] + p[:, 2:, 1:-1] - 4 * a


def viscosity(g, a, c):
    """Viscosity.forward: M (I + c L) a per component."""
    u, v = g.split(a)
    n = a.shape[0]
    lap = torch.cat([laplacian(u).reshape(n, -1), laplacian(v).reshape(n, -1)], dim=1)
    return (a + c * lap) * g.open


class Projector:
    """PressureProjection.apply for a batch, with plain or Jacobi-preconditioned CG. Counts each
    problem's iterations (forward solves and adjoint solves separately) and the batch's
    iterations (the slowest problem's, rounded up to a convergence test, which is what the batch pays for)."""

    def __init__(self, g, tol, precond="none", sync_every=1):
        if not tol > 0:
            raise ValueError(f"CG tolerance must be > 0, got {tol}")
        if precond not in ("none", "jacobi"):
            raise ValueError(f"preconditioner must be none or jacobi, got {precond}")
        self.g, self.tol, self.precond, self.sync_every = g, tol, precond, sync_every
        self.max_iterations = 10 * g.h * g.w
        self.reset_counts()

    def reset_counts(self):
        self.pending = {"forward": [], "adjoint": []}
        self.batch_iterations = {"forward": 0, "adjoint": 0}
        self.solves = {"forward": 0, "adjoint": 0}

    def take_problem_iterations(self, kind):
        """Per problem of the current batch: the iterations of its `kind` solves since the last take."""
        counts, self.pending[kind] = self.pending[kind], []
        return torch.stack(counts).sum(dim=0).cpu() if counts else None

    def divergence(self, a):
        u, v = self.g.split(a * self.g.open)
        return (u[:, :, 1:] - u[:, :, :-1] + v[:, 1:, :] - v[:, :-1, :]) * self.g.fluid

    def gradient_faces(self, q):
        """D_M^T q on the faces: q(cell before) - q(cell after) across open faces."""
        g, n = self.g, q.shape[0]
        du = q.new_zeros(n, g.h, g.w + 1)
        du[:, :, 1:g.w] = (q[:, :, :-1] - q[:, :, 1:]) * g.cx
        dv = q.new_zeros(n, g.h + 1, g.w)
        dv[:, 1:g.h, :] = (q[:, :-1, :] - q[:, 1:, :]) * g.cy
        return torch.cat([du.reshape(n, -1), dv.reshape(n, -1)], dim=1)

    def poisson(self, p):
        """A p = D_M D_M^T p: open-face count times p minus the neighbours across open faces."""
        g = self.g
        out = g.diag * p
        fx, fy = g.cx * p[:, :, 1:], g.cx * p[:, :, :-1]
        out[:, :, :-1] -= fx
        out[:, :, 1:] -= fy
        gx, gy = g.cy * p[:, 1:, :], g.cy * p[:, :-1, :]
        out[:, :-1, :] -= gx
        out[:, 1:, :] -= gy
        return out

    def apply(self, a, kind):
        """P a = M a - D_M^T q, A q = D_M a."""
        rhs = self.divergence(a)
        ma = a * self.g.open
        floor2 = ROUNDOFF_FLOOR ** 2 * (ma * ma).sum(dim=1)
        q = self.solve(rhs, floor2, kind)
        return ma - self.gradient_faces(q)

    def solve(self, rhs, floor2, kind):
        dot = lambda x, y: (x * y).sum(dim=(1, 2))  # noqa: E731
        bcast = lambda x: x[:, None, None]  # noqa: E731
        q = torch.zeros_like(rhs)
        r = rhs.clone()
        z = r * self.g.inv_diag if self.precond == "jacobi" else r
        d = z.clone()
        rr, rz = dot(r, r), dot(r, z)
        stop = torch.maximum(self.tol ** 2 * rr, floor2)
        active = rr > stop
        counts = torch.zeros(rhs.shape[0], dtype=torch.int64, device=rhs.device)
        it = 0
        while True:
            # converged problems keep alpha = 0 and their direction: each problem follows its own
            # CG sequence, so checking for convergence only every sync_every iterations costs time only
            if it % self.sync_every == 0 and not bool(active.any()):
                break
            if it == self.max_iterations and bool(active.any()):
                raise RuntimeError(f"CG did not converge in {self.max_iterations} iterations")
            ad = self.poisson(d)
            alpha = torch.where(active, rz / dot(d, ad), torch.zeros_like(rz))
            q.addcmul_(bcast(alpha), d)
            r.addcmul_(bcast(alpha), ad, value=-1)
            rr = dot(r, r)
            z = r * self.g.inv_diag if self.precond == "jacobi" else r
            rz_new = dot(r, z)
            beta = torch.where(active, rz_new / rz, torch.zeros_like(rz))
            d = torch.where(bcast(active), z + bcast(beta) * d, d)
            rz = torch.where(active, rz_new, rz)
            counts += active
            active = active & (rr > stop)
            it += 1
        self.pending[kind].append(counts)
        self.batch_iterations[kind] += it  # what the batch paid: its slowest problem, rounded up to sync_every
        self.solves[kind] += 1
        return q


class Projection(torch.autograd.Function):
    """P a with P^T = P: the backward projects the cotangent with its own CG solve, so autograd
    keeps nothing of the iterations."""

    @staticmethod
    def forward(ctx, a, projector):
        ctx.projector = projector
        return projector.apply(a, "forward")

    @staticmethod
    def backward(ctx, bar):
        return ctx.projector.apply(bar, "adjoint"), None


class NavierStokes:
    def __init__(self, g, dt, steps, nu, tol, checkpoint_interval=None, precond="none", sync_every=1):
        if not dt > 0 or not nu >= 0:
            raise ValueError(f"need dt > 0 and nu >= 0, got dt = {dt}, nu = {nu}")
        if steps < 1:
            raise ValueError(f"need steps >= 1, got {steps}")
        self.g, self.dt, self.steps, self.c = g, dt, steps, dt * nu
        self.interval = checkpoint_interval or math.ceil(math.sqrt(steps))
        self.projector = Projector(g, tol, precond, sync_every)

    def force(self, params):
        """GaussianForce.apply on open faces, xi = (x0, v0x, v0y) per problem."""
        g = self.g
        x0, vx, vy = params[:, 0:1], params[:, 1:2], params[:, 2:3]
        inv = 1 / (2 * FORCE_RADIUS ** 2)
        pu = torch.exp(-((g.ux - x0) ** 2 + (g.uy - FORCE_CENTRE_Y) ** 2) * inv)
        pv = torch.exp(-((g.vx - x0) ** 2 + (g.vy - FORCE_CENTRE_Y) ** 2) * inv)
        return torch.cat([vx * pu, vy * pv], dim=1) * g.open

    def pre_projection(self, s):
        return viscosity(self.g, advect(self.g, s, self.dt), self.c)

    def step(self, s):
        return Projection.apply(self.pre_projection(s), self.projector)

    def segment(self, s, m):
        """m steps without the last projection (the recompute of a checkpoint segment: the last
        projection's backward needs nothing of its input)."""
        for _ in range(m - 1):
            s = self.step(s)
        return self.pre_projection(s)

    def rollout(self, params, initial, steps=None):
        s = initial * self.g.open + self.force(params)
        steps = self.steps if steps is None else steps
        k = 0
        while k < steps:
            m = min(self.interval, steps - k)
            if torch.is_grad_enabled():
                a = checkpoint(self.segment, s, m, use_reentrant=False, preserve_rng_state=False)
            else:
                a = self.segment(s, m)
            s = Projection.apply(a, self.projector)
            k += m
        return s

    def loss(self, params, initial, targets):
        """Per problem: mean squared difference on the observed top half of the final state."""
        return ((self.g.observe(self.rollout(params, initial)) - targets) ** 2).mean(dim=1)

    def loss_and_gradient(self, params, initial, targets, initial_grad=False):
        params = params.detach().requires_grad_(True)
        initial = initial.detach().requires_grad_(initial_grad)
        with torch.enable_grad():
            loss = self.loss(params, initial, targets)
            inputs = (params, initial) if initial_grad else (params,)
            grads = torch.autograd.grad(loss.sum(), inputs)
        # the initial state enters masked, so its gradient is 0 on closed faces as in the Java code
        return (loss.detach(),) + tuple(grads)


def smooth_noise(gen, g, n, amplitude):
    """SmoothNoise.states with torch's generator: per component the Fourier modes (kx, ky) in [1, 3]^2,
    a ~ U[-A/3, A/3], phase ~ U[0, 2 pi)."""
    comps = []
    for x, y in ((g.ux, g.uy), (g.vx, g.vy)):
        a = (2 * torch.rand(n, 3, 3, generator=gen, dtype=torch.float64) - 1) * amplitude / 3
        phase = 2 * math.pi * torch.rand(n, 3, 3, generator=gen, dtype=torch.float64)
        k = torch.arange(1, 4, dtype=torch.float64)
        xs, ys = x.cpu().double() / g.w, y.cpu().double() / g.h
        arg = 2 * math.pi * (k[:, None, None] * xs + k[None, :, None] * ys)  # [3, 3, F]
        comps.append((a[..., None] * torch.cos(arg[None] + phase[..., None])).sum(dim=(1, 2)))
    return torch.cat(comps, dim=1).to(device=g.device, dtype=g.dtype)


def random_params(gen, n, w, dtype, device):
    lo = torch.tensor([0.2 * w, -2.0, -2.0], dtype=torch.float64)
    hi = torch.tensor([0.8 * w, 2.0, 2.0], dtype=torch.float64)
    return (lo + (hi - lo) * torch.rand(n, 3, generator=gen, dtype=torch.float64)).to(device=device, dtype=dtype)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(fn, repeats, device):
    times, result = [], None
    for _ in range(repeats):
        sync(device)
        t0 = time.perf_counter()
        result = fn()
        sync(device)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def chunked(fn, chunk, projector, kind, *batches):
    """fn over slices of `chunk` problems, results concatenated, and each problem's `kind` CG
    iterations: on a CPU a few problems' arrays stay in cache through the CG iterations, where the
    whole batch's do not."""
    parts, counts = [], []
    for k in range(0, batches[0].shape[0], chunk):
        parts.append(fn(*(b[k:k + chunk] for b in batches)))
        counts.append(projector.take_problem_iterations(kind))
    if isinstance(parts[0], tuple):
        return tuple(torch.cat(x) for x in zip(*parts)), torch.cat(counts)
    return torch.cat(parts), torch.cat(counts)


def run_timing(args, device, dtype):
    steps, w, n = args.steps, args.size, args.n
    chunk = args.chunk or n
    g = Grid(three_obstacles(w, w), dtype, device)
    gen = torch.Generator().manual_seed(1)
    s0 = smooth_noise(gen, g, n, 0.3)
    truth, guess = (random_params(gen, n, w, dtype, device) for _ in range(2))
    one = NavierStokes(g, 1.0, 1, 0.01, args.tol, 1, args.precond, args.sync_every)
    full = NavierStokes(g, 1.0, steps, 0.01, args.tol, args.checkpoint, args.precond, args.sync_every)
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else f"{torch.get_num_threads()} threads"
    print(f"torch {torch.__version__}, {device} ({where}), {dtype}, n = {n} (CG batches of {chunk}), {w} x {w} cells, "
          f"{steps} steps, CG tolerance {args.tol:.0e}, {'Jacobi-preconditioned' if args.precond == 'jacobi' else 'plain'} CG, "
          f"checkpoint interval {full.interval}, median of {args.repeats}", flush=True)
    fmt = lambda ts: ", ".join(f"{t:.3f}" for t in ts)  # noqa: E731
    batches = math.ceil(n / chunk) * args.repeats
    with torch.no_grad():
        chunked(one.rollout, chunk, one.projector, "forward", truth, s0)  # warm-up
        t_one, all_one, _ = timed(lambda: chunked(one.rollout, chunk, one.projector, "forward", truth, s0), args.repeats, device)
        print(f"one step {t_one:.3f} s [{fmt(all_one)}]", flush=True)
        full.projector.reset_counts()
        t_fwd, all_fwd, (finals, counts) = timed(lambda: chunked(full.rollout, chunk, full.projector, "forward", truth, s0),
                                                 args.repeats, device)
        print(f"{steps}-step forward {t_fwd:.3f} s [{fmt(all_fwd)}]", flush=True)
        fwd = full.projector
        per_problem = counts.double() / steps
        print(f"forward CG iterations per step: mean {per_problem.mean():.1f}, worst problem's mean {per_problem.max():.1f}, "
              f"batch (slowest problem per solve) {fwd.batch_iterations['forward'] / (steps * batches):.1f}", flush=True)
    targets = g.observe(finals)
    full.projector.reset_counts()
    t_grad, all_grad, ((loss, grad), adj_counts) = timed(
        lambda: chunked(full.loss_and_gradient, chunk, full.projector, "adjoint", guess, s0, targets), args.repeats, device)
    adj = full.projector
    print(f"{steps}-step forward + adjoint (loss and gradient) {t_grad:.3f} s [{fmt(all_grad)}]")
    print(f"adjoint CG iterations per step: mean {adj_counts.double().mean() / steps:.1f}, "
          f"batch {adj.batch_iterations['adjoint'] / (steps * batches):.1f}; "
          f"forward solves per gradient, recompute included: {adj.solves['forward'] / batches:.0f}")
    div = Projector(g, 1.0).divergence(finals).abs().max()
    print(f"final states: max |div| over fluid cells {div:.1e}, max |velocity component| {finals.abs().max():.2f}; "
          f"gradient finite: {bool(torch.isfinite(grad).all())}")


def load(directory, name):
    import numpy as np
    path = f"{directory}/{name}.npy"
    try:
        return torch.from_numpy(np.load(path))
    except (OSError, ValueError) as e:
        sys.exit(f"--check: cannot read {path} ({e}); write DIR with dev.reparam.bench.NsTorchParityExport")


def rel(a, b):
    """max |a - b| / max |b| (normwise over the batch)."""
    return float((a - b).abs().max() / b.abs().max())


def run_check(args, device, dtype):
    d = args.check
    phys = load(d, "physics").tolist()
    if len(phys) != 7:
        sys.exit(f"{d}/physics.npy: expected 7 values (W, H, dt, steps, nu, tol, checkpoint), got {len(phys)}")
    w, h, dt, steps, nu, tol, interval = phys
    solid = load(d, "solid").bool()
    if tuple(solid.shape) != (int(h), int(w)):
        sys.exit(f"{d}/solid.npy: shape {tuple(solid.shape)} does not match H x W = {int(h)} x {int(w)}")
    g = Grid(solid, dtype, device)
    get = lambda name: load(d, name).to(device=device, dtype=dtype)  # noqa: E731
    initial, params, targets = get("initial"), get("params"), get("targets")
    tol = args.tol if args.tol_given else tol
    one = NavierStokes(g, dt, 1, nu, tol, 1, args.precond, args.sync_every)
    full = NavierStokes(g, dt, int(steps), nu, tol, int(interval), args.precond, args.sync_every)
    with torch.no_grad():
        step1 = one.rollout(params, initial)
        it1 = one.projector.take_problem_iterations("forward")
        final = full.rollout(params, initial)
        itr = full.projector.take_problem_iterations("forward")
    loss, grad, grad_initial = full.loss_and_gradient(params, initial, targets, initial_grad=True)
    print(f"parity with {d}: {initial.shape[0]} problems, {int(w)} x {int(h)} cells, {int(steps)} steps, CG tolerance "
          f"{tol:.0e} (Java's {phys[5]:.0e}, MIC(0)), torch {args.precond} CG, {dtype}, {device}")
    print("max relative difference (max |torch - java| / max |java|):")
    print(f"  state after one step      {rel(step1, get('step1')):.1e}")
    print(f"  state after {int(steps)} steps      {rel(final, get('final')):.1e}")
    print(f"  loss                      {rel(loss, get('loss')):.1e}")
    jg = get("grad")
    per = ((grad - jg).abs() / jg.abs()).max(dim=0).values
    print(f"  d loss / d (x0, v0x, v0y) {rel(grad, jg):.1e} (per component, worst problem: "
          + ", ".join(f"{x:.1e}" for x in per.tolist()) + ")")
    print(f"  d loss / d initial state  {rel(grad_initial, get('grad_initial')):.1e}")
    print("forward CG iterations per problem, one step | whole rollout:")
    print(f"  java MIC(0) {load(d, 'cg_step1_mic').tolist()} | {load(d, 'cg_rollout_mic').tolist()}")
    print(f"  java plain  {load(d, 'cg_step1_plain').tolist()} | {load(d, 'cg_rollout_plain').tolist()}")
    print(f"  torch {args.precond:<5} {it1.tolist()} | {itr.tolist()}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    p.add_argument("--dtype", default="float64", choices=["float32", "float64"])
    p.add_argument("--n", type=int, default=64, help="problems in the batch (default 64)")
    p.add_argument("--size", type=int, default=100, help="W = H cells (default 100)")
    p.add_argument("--steps", type=int, default=56)
    p.add_argument("--tol", type=float, default=None, help="CG tolerance (default 1e-5; --check: the exported one)")
    p.add_argument("--precond", default="none", choices=["none", "jacobi"])
    p.add_argument("--checkpoint", type=int, default=None, help="steps per checkpoint segment (default ceil(sqrt(steps)))")
    p.add_argument("--sync-every", type=int, default=None,
                   help="CG convergence test every k iterations (default 1 on cpu, 8 on cuda)")
    p.add_argument("--chunk", type=int, default=None,
                   help="timing: run the batch as CG batches of this many problems (default all n; a few help a CPU's cache)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    p.add_argument("--check", metavar="DIR", help="compare with NsTorchParityExport's files in DIR")
    args = p.parse_args()
    for name in ("n", "size", "steps", "repeats", "threads", "chunk", "checkpoint", "sync_every"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            sys.exit(f"--{name} must be >= 1, got {getattr(args, name)}")
    if args.size < 10:
        sys.exit(f"--size must be >= 10 (the obstacles and the force need room), got {args.size}")
    try:
        device = torch.device(args.device)
    except RuntimeError:
        sys.exit(f"--device: unknown device {args.device!r} (cpu or cuda)")
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: this torch build or machine has no CUDA")
    args.tol_given = args.tol is not None
    args.tol = 1e-5 if args.tol is None else args.tol
    if not args.tol > 0:
        sys.exit(f"--tol must be > 0, got {args.tol}")
    if args.sync_every is None:
        args.sync_every = 8 if device.type == "cuda" else 1
    torch.set_num_threads(args.threads)
    dtype = getattr(torch, args.dtype)
    if args.check:
        run_check(args, device, dtype)
    else:
        run_timing(args, device, dtype)


if __name__ == "__main__":
    main()
