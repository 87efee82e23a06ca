"""Operation and byte counts of kernels/ks/ks.cu for docs/ks.md's roofline estimate.

Counted from the code: floating-point operations per transform, stage and step, and the bytes
the forward + adjoint must move at least versus what this design moves (checkpoints and stage
scratch). Rates are H100 SXM datasheet leads, not measurements.
    python3 bench/ks_roofline.py [problems N steps interval]
"""
import math
import sys

n, N, S, C = (int(a) for a in sys.argv[1:5]) if len(sys.argv) == 5 else (256, 128, 100, 10)
H, M, LOG = N // 2, N // 2 + 1, int(math.log2(N // 2))
cfft = H // 2 * 4 + (LOG - 1) * (H // 2) * 10       # size-2 stage, then 10 per twiddled butterfly
rfft = cfft + 16 * (H - 1) + 2                      # split into the half spectrum
irfft = cfft + 12 * (H - 1) + 2                     # pack from the half spectrum
nonlinear = irfft + 3 * N + rfft + 8 * M            # to grid (scale, test), square, back, N(x)
forward_step = 4 * nonlinear + 2 * M * (3 + 3 + 5 + 10)
adjoint_nonlinear = 8 * M + irfft + 6 * N + rfft + 2 * M
adjoint_step = 4 * adjoint_nonlinear + 2 * M * 25
flops = n * S * (2 * forward_step + adjoint_step)   # forward, recompute, adjoint
segments = -(-S // C)
table = 9 * M + 2 * H + H
minimal = 8 * (2 * n * N + 2 * n + 3 * n + table)
design = minimal + 8 * (2 * n * segments * 2 * M + 4 * n * N + 2 * n * S * 4 * N)
# barriers: inverse = pack, permute, LOG stages (LOG + 2); forward = permute, LOG stages, unpack (LOG + 2)
phases_forward = 4 * ((LOG + 2) + 1 + 1 + (LOG + 2)) + 4    # + blow-up vote, squaring; 4 stage combinations
phases_adjoint = 4 * ((LOG + 2) + 1 + (LOG + 2)) + 5        # + grid loop; 5 combinations
print(f"n={n} N={N} steps={S} C={C}")
print(f"real FFT {rfft} FLOP, forward step {forward_step}, adjoint step {adjoint_step} (per problem)")
print(f"forward only {n * S * forward_step:.3g} FLOP; forward + adjoint {flops:.3g} FLOP")
print(f"bytes: least {minimal:.3g}, this design {design:.3g} (float64)")
for name, rate64, rate32, bw in [("H100 SXM", 34e12, 67e12, 3.35e12)]:
    print(f"{name}: arithmetic {flops / rate64 * 1e6:.0f} us f64 / {flops / rate32 * 1e6:.0f} us f32; "
          f"least bytes {minimal / bw * 1e6:.2f} us; design bytes {design / bw * 1e6:.0f} us")
total = S * (2 * phases_forward + phases_adjoint)
print(f"barrier phases: {phases_forward} per forward step, {phases_adjoint} per adjoint step, {total} in all; "
      f"at 100-200 cycles / 1.75 GHz: {total * 100 / 1.75e3:.0f}-{total * 200 / 1.75e3:.0f} us")
