package dev.reparam.bench;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.Kernel;
import dev.reparam.cuda.LaunchGeometry;
import dev.reparam.tensor.Tensor;

/**
 * The arithmetic ceiling {@code reparam bench} measures: kernels/bench/peak.cu, a register-bound
 * FMA loop, launched on a backend's stream. It is a measuring stick, not an op, so it lives with
 * the benchmark rather than in the backend.
 */
final class CudaFmaPeak {
    /** Independent FMA chains per thread in kernels/bench/peak.cu (its PEAK_CHAINS). */
    static final int CHAINS = 8;

    private CudaFmaPeak() {}

    /**
     * Queues the loop on one thread per element of {@code out} (whose size must be a positive
     * multiple of the block size). Returns the floating-point operations it does: 2 per FMA.
     */
    static long queue(CudaBackend backend, Tensor out, int iterations) {
        int n = out.size(), threads = LaunchGeometry.BLOCK_THREADS;
        if (n == 0 || n % threads != 0 || iterations < 1) {
            throw new IllegalArgumentException("FMA peak: " + n + " threads (need a positive multiple of " + threads
                    + "), " + iterations + " iterations");
        }
        // b and c chosen so every chain converges (|b| < 1): no overflow or denormals at any length
        backend.launch(Kernel.FMA_PEAK, n / threads, backend.args().tensor("out", out).i32("n", n)
                .i32("iterations", iterations).scalar("b", 0.999).scalar("c", 1e-3));
        return 2L * CHAINS * iterations * n;
    }
}
