#!/usr/bin/env python3
"""docs/scaling.md's model: time per data-parallel iteration on K GPUs, strong and weak scaling.

    python3 bench/scaling_model.py          (prints the Markdown tables)

T(K) = compute(n / K) + gradient copies + gradient sum + batch-norm collectives. The inputs are
stated below with where each comes from: the sum through host memory is the one measured on
this machine (bench AllReduceTiming); the per-problem GPU costs are the roofline estimates of
docs/performance.md (no GPU has run reparam yet); link rates are public specs.
"""

# theta's size per experiment (Model.params().size(), paper physics) and batch-norm layers
THETA = {"wavepacket": 31_057, "kuramoto-sivashinsky": 23_010, "navier-stokes": 61_075}
BN_LAYERS = {"wavepacket": 5, "kuramoto-sivashinsky": 5, "navier-stokes": 4}
# SyncBatchNorm: sums and centred squares forward, one sum backward, per layer and iteration
COLLECTIVES_PER_BN = 3

# GPU seconds per iteration, estimates (docs/performance.md "On a GPU: estimates to check"):
# Navier-Stokes loss and gradient about 0.13 s per 64 problems, linear in n;
# KS latency-bound, about 2 ms per iteration for up to ~256 problems per GPU (one block each);
# the wave packet launch-bound, about 0.5 ms per iteration (a hundred launches of small kernels).
def gpu_compute(experiment, n_gpu):
    if experiment == "navier-stokes":
        return 0.13 / 64 * n_gpu
    if experiment == "kuramoto-sivashinsky":
        return 2e-3 * max(1.0, n_gpu / 256)
    return 0.5e-3 * max(1.0, n_gpu / 4096)

# Links (public specs): PCIe Gen5 x16 about 50 GB/s per direction in practice (H100 SXM's host
# link); NVLink 4 450 GB/s per direction per H100; InfiniBand NDR 400 Gb/s = 50 GB/s per GPU
# (one port per GPU, as in a DGX H100) and 1-2 us MPI latency; on a node through host memory
# 2 us per collective step (measured here: 32 values in 2 us). 2 us per step everywhere.
PCIE, NVLINK, IB = 50e9, 450e9, 50e9
LATENCY = 2e-6
GPUS_PER_NODE = 8

# Measured here (AllReduceTiming, 2 ranks, idle): seconds of one sum in rank order of a vector
# of this many bytes between 2 ranks through host shared memory; linear in between.
MEASURED_HOST = [(256, 1e-6), (248e3, 0.29e-3), (2.48e6, 3.25e-3), (24.8e6, 37.7e-3)]


def host_pair(bytes_):
    pts = MEASURED_HOST
    if bytes_ <= pts[0][0]:
        return pts[0][1]
    for (b0, t0), (b1, t1) in zip(pts, pts[1:]):
        if bytes_ <= b1:
            return t0 + (t1 - t0) * (bytes_ - b0) / (b1 - b0)
    return pts[-1][1] * bytes_ / pts[-1][0]


def reparam_today(bytes_, k):
    """reparam's sum in rank order (native/mpi): an all-to-all of chunks, the chunk sums, an
    all-gather, through host memory. Each rank moves 2 (K-1)/K of the vector in and out; at
    K = 2 that is the measured exchange. Off the node the bytes also cross InfiniBand, and each
    of the two phases sends K - 1 messages."""
    if k == 1:
        return 0.0
    share = 2 * (k - 1) / k
    t = share * host_pair(bytes_)
    if k > GPUS_PER_NODE:
        t = max(t, share * bytes_ / IB)
    return t + 2 * (k - 2) * LATENCY


def ring_on_device(bytes_, k):
    """A ring all-reduce between the GPUs themselves (what NCCL does): 2 (K-1)/K of the vector
    over NVLink on a node or InfiniBand across nodes, 2 (K-1) latency steps, no host copies."""
    if k == 1:
        return 0.0
    link = NVLINK if k <= GPUS_PER_NODE else IB
    return 2 * (k - 1) / k * bytes_ / link + 2 * (k - 1) * LATENCY


def small_collectives(experiment, k):
    """Batch norm's statistics: tens of values, latency only (a tree: log2 K steps each way)."""
    if k == 1:
        return 0.0
    steps = 2 * max(1, (k - 1).bit_length())
    return BN_LAYERS[experiment] * COLLECTIVES_PER_BN * steps * LATENCY


def iteration(experiment, n, k, reduce):
    bytes_ = 8 * THETA[experiment]
    compute = gpu_compute(experiment, -(-n // k))
    if k == 1:
        return compute, 0.0
    # reparam's binding sums host arrays: the gradient goes to the host and back over PCIe
    copies = 2 * bytes_ / PCIE if reduce is reparam_today else 0.0
    comm = copies + reduce(bytes_, k) + small_collectives(experiment, k)
    return compute + comm, comm


KS = [1, 2, 4, 8, 16, 32, 64, 128]


def strong(experiment, n):
    print(f"\n**{experiment}, n = {n} (strong scaling)**\n")
    print("| GPUs (nodes) | problems per GPU | reparam today: ms / iteration | speed-up | in communication "
          "| on-device ring: ms / iteration | speed-up | in communication |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    t1, _ = iteration(experiment, n, 1, reparam_today)
    for k in KS:
        if -(-n // k) < 1 or k > n:
            break
        a, ca = iteration(experiment, n, k, reparam_today)
        r, cr = iteration(experiment, n, k, ring_on_device)
        nodes = max(1, k // GPUS_PER_NODE)
        print(f"| {k} ({nodes}) | {-(-n // k)} | {1e3 * a:.2f} | {t1 / a:.1f}x | {100 * ca / a:.0f} % "
              f"| {1e3 * r:.2f} | {t1 / r:.1f}x | {100 * cr / r:.0f} % |")


def weak(experiment, per_gpu):
    print(f"\n**{experiment}, {per_gpu} problems per GPU (weak scaling)**\n")
    print("| GPUs (nodes) | n | reparam today: efficiency | on-device ring: efficiency |")
    print("|---:|---:|---:|---:|")
    t1, _ = iteration(experiment, per_gpu, 1, reparam_today)
    for k in KS:
        a, _ = iteration(experiment, per_gpu * k, k, reparam_today)
        r, _ = iteration(experiment, per_gpu * k, k, ring_on_device)
        print(f"| {k} ({max(1, k // GPUS_PER_NODE)}) | {per_gpu * k} | {100 * t1 / a:.0f} % | {100 * t1 / r:.0f} % |")


def threshold():
    print("\n**Problems per GPU from which communication is under 10 % of an iteration**\n")
    print("| experiment | 8 GPUs, reparam today | 8 GPUs, on-device ring | 128 GPUs, reparam today "
          "| 128 GPUs, on-device ring |")
    print("|---|---:|---:|---:|---:|")
    for e in THETA:
        cells = []
        for k in (8, 128):
            for reduce in (reparam_today, ring_on_device):
                found = "> 65536"
                for per in range(1, 65537):
                    t, c = iteration(e, per * k, k, reduce)
                    if c <= 0.1 * t:
                        found = str(per)
                        break
                cells.append(found)
        print(f"| {e} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")


if __name__ == "__main__":
    strong("navier-stokes", 256)
    strong("navier-stokes", 4096)
    strong("kuramoto-sivashinsky", 4096)
    weak("navier-stokes", 16)
    weak("kuramoto-sivashinsky", 256)
    threshold()
