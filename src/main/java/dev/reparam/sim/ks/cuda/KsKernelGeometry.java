package dev.reparam.sim.ks.cuda;

import dev.reparam.cuda.CudaDtype;

/**
 * Launch shape and memory of the Kuramoto-Sivashinsky kernels (kernels/ks/ks.cu) for N grid points:
 * one block of max(32, N/2) threads per problem, the problem's spectra and FFT work array in
 * dynamic shared memory. The sizes here must match the carving at the top of ks_forward and
 * ks_adjoint; everything is a function of N and the dtype only, so it is tested without a GPU.
 */
public final class KsKernelGeometry {
    public static final int MIN_POINTS = 4;
    /** N / 2 threads per block at most 512 (the kernels' __launch_bounds__). */
    public static final int MAX_POINTS = 1024;
    /** Dynamic shared memory every device grants without opting in. */
    public static final int DEFAULT_SHARED_LIMIT = 48 * 1024;

    private KsKernelGeometry() {}

    /** N must be a power of two from 4 to 1024; the message names the input. */
    public static void checkPoints(int n) {
        if (n < MIN_POINTS || n > MAX_POINTS || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("Kuramoto-Sivashinsky on CUDA: the grid size N must be a power of two "
                    + "from " + MIN_POINTS + " to " + MAX_POINTS + ", got " + n);
        }
    }

    /** Half-spectrum length M = N/2 + 1. */
    public static int modes(int n) {
        return n / 2 + 1;
    }

    /** Threads per block: one per complex FFT point, at least a warp (a power of two: the block sums need it). */
    public static int threads(int n) {
        return Math.max(32, n / 2);
    }

    /** ks_forward: state 2M, N(v..c) 8M, stages a, b/c 4M, FFT work N, all T. */
    public static int forwardSharedBytes(int n, CudaDtype dtype) {
        return (14 * modes(n) + n) * dtype.bytes();
    }

    /** ks_adjoint: one double per thread for the block sums, then cotangent 2M, work 14M, FFT work N, all T. */
    public static int adjointSharedBytes(int n, CudaDtype dtype) {
        return threads(n) * Double.BYTES + (16 * modes(n) + n) * dtype.bytes();
    }

    /** Checkpoint segments of a rollout: ceil(steps / interval). */
    public static int segments(int steps, int interval) {
        return (steps + interval - 1) / interval;
    }

    /** Values T per problem of the checkpoint array: one half spectrum (2M) per segment. */
    public static long checkpointValues(int n, int steps, int interval) {
        return (long) segments(steps, interval) * 2 * modes(n);
    }

    /** Values T per problem of the adjoint's stage scratch: four grids of N per step of one segment. */
    public static long stageValues(int n, int interval) {
        return (long) interval * 4 * n;
    }
}
