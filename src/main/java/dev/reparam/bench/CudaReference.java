package dev.reparam.bench;

import dev.reparam.cuda.CudaDriver;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.tensor.Tensor;

/**
 * The GPU's ceilings, measured with device events on the backend's stream: device-to-device copy
 * bandwidth of a buffer far larger than L2 (bytes = read + written), and the FMA rate of
 * kernels/bench/peak.cu in the backend's dtype (register-bound, 8 chains per thread, every SM full).
 * Each is the best of several runs after warm-up.
 */
public final class CudaReference {
    private CudaReference() {}

    public static DeviceReference measure(CudaBackend backend, boolean quick) {
        int bytes = backend.dtype().bytes();
        // under the interpreter the ceilings are the CPU's and not worth minutes: token sizes
        boolean interpreted = CudaDriver.interpreted();
        int length = (interpreted ? 1 << 20 : quick ? 256 << 20 : 1 << 30) / bytes; // 256 MiB or 1 GiB per buffer
        double copy;
        try (CudaEventTimer timer = new CudaEventTimer(backend)) {
            Tensor src = backend.zeros(length), dst = backend.zeros(length);
            double best = best(timer, 10, () -> backend.copy(src, dst));
            copy = 2.0 * length * bytes / best;
            backend.release(src);
            backend.release(dst);

            // 8192 blocks of 256 threads: many waves on any current GPU, so every SM stays busy
            int threads = (interpreted ? 4 : 8192) * 256, iterations = interpreted ? 4 : quick ? 1024 : 4096;
            Tensor out = backend.zeros(threads);
            long[] flops = {0};
            double bestPeak = best(timer, 5, () -> flops[0] = CudaFmaPeak.queue(backend, out, iterations));
            backend.release(out);
            return new DeviceReference(backend.device().toString(), copy,
                    String.format("cuMemcpyDtoD of %d MiB timed by events, best of runs", (long) length * bytes >> 20),
                    flops[0] / bestPeak,
                    String.format("kernels/bench/peak.cu (%s), %d FMA chains per thread, %d threads x %d iterations, "
                    + "best of runs", backend.dtype().suffix(), CudaFmaPeak.CHAINS, threads, iterations));
        }
    }

    private static double best(CudaEventTimer timer, int runs, Runnable op) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs + 2; r++) {
            double s = timer.seconds(op);
            if (r >= 2) best = Math.min(best, s);
        }
        return best;
    }
}
