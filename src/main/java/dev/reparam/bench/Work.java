package dev.reparam.bench;

/**
 * What one call of a kernel must do, by model (see {@link WorkModels}): the bytes it must move
 * to and from memory and its floating-point operations. Dividing by the measured time gives the
 * GB/s and GFLOP/s that {@code reparam bench} prints.
 */
public record Work(long bytes, long flops) {
    public Work {
        if (bytes < 0 || flops < 0) {
            throw new IllegalArgumentException("negative work: " + bytes + " bytes, " + flops + " flops");
        }
    }
}
