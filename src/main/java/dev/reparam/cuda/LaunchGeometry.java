package dev.reparam.cuda;

/**
 * Grid sizes for the kernels' launches; BLOCK_THREADS mirrors kernels/common.cuh. Kernels loop
 * grid-stride, so any grid covers any size and the caps only bound the launch.
 */
public final class LaunchGeometry {
    /** Threads per block of every launch (the reductions' shared-memory trees assume it). */
    public static final int BLOCK_THREADS = 256;
    /** Enough blocks to fill any current GPU many times over; larger sizes loop. */
    public static final int MAX_ELEMENTWISE_BLOCKS = 1 << 16;
    /**
     * Fixed upper bound of reduction partials. The count depends on n only, never on the
     * device, which is what makes the two-pass sums bit-reproducible.
     */
    public static final int MAX_REDUCTION_BLOCKS = 1024;

    private LaunchGeometry() {}

    /** Blocks for an elementwise kernel over n elements (at least 1, so n = 0 is a no-op launch). */
    public static int elementwiseBlocks(int n) {
        return (int) Math.max(1, Math.min(MAX_ELEMENTWISE_BLOCKS, ceilDiv(n, BLOCK_THREADS)));
    }

    /** Threads of a warp: the L-BFGS kernels run one warp per problem. */
    public static final int WARP_THREADS = 32;

    /** Blocks for one warp per item (kernels/lbfgs.cu): BLOCK_THREADS / 32 = 8 items per block. */
    public static int warpBlocks(int items) {
        return (int) Math.max(1, ceilDiv(items, BLOCK_THREADS / WARP_THREADS));
    }

    /** Blocks of the first reduction pass over n elements, hence the number of partials. */
    public static int reductionBlocks(int n) {
        return (int) Math.max(1, Math.min(MAX_REDUCTION_BLOCKS, ceilDiv(n, BLOCK_THREADS)));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
