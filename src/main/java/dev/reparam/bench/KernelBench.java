package dev.reparam.bench;

/**
 * Times one {@link KernelCases.Case}: several input sets are allocated and the runs rotate among
 * them, so an op whose data would fit in a cache is not timed on data the previous run left
 * there (unless the op's data is so small that it lives in the cache in real use too); then
 * warm-up runs (JIT compilation, the memory pool, the GPU's clocks), then the timed runs, each
 * timed on its own so the order statistics see every run.
 */
public final class KernelBench {
    /** Input sets are added until together they exceed this (larger than any CPU's or GPU's last-level cache)... */
    static final long ROTATION_BYTES = 256L << 20;
    /** ...or this many exist. */
    static final int MAX_SETS = 64;
    /**
     * Warm-up continues past the asked runs until this much time was spent in them (when any were
     * asked for): a few runs of a small op leave the JIT's optimising compiler no time to finish.
     */
    static final double MIN_WARMUP_SECONDS = 0.1;
    static final int MAX_WARMUP_RUNS = 10_000;

    /** Rates are from the median time; fractions are of the device's measured copy bandwidth and peak. */
    public record Result(KernelCases.Case kase, int rotationSets, Stats seconds, double bytesPerSecond,
                         double flopsPerSecond, double copyFraction, double peakFraction) {}

    private KernelBench() {}

    static int rotationSets(Work work) {
        long perSet = Math.max(1, work.bytes());
        return (int) Math.max(2, Math.min(MAX_SETS, (ROTATION_BYTES + perSet - 1) / perSet));
    }

    public static Result run(KernelCases.Case c, OpTimer timer, TensorSource src, int warmup, int repeats,
            DeviceReference ref) {
        if (repeats < 1) throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        int sets = rotationSets(c.work());
        Runnable[] calls = new Runnable[sets];
        try {
            for (int i = 0; i < sets; i++) calls[i] = c.inputSet().get();
            int warm = 0;
            for (double spent = 0; warm < warmup || (warm > 0 && spent < MIN_WARMUP_SECONDS
                    && warm < MAX_WARMUP_RUNS); warm++) {
                spent += timer.seconds(calls[warm % sets]);
            }
            double[] seconds = new double[repeats];
            for (int i = 0; i < repeats; i++) seconds[i] = timer.seconds(calls[(warm + i) % sets]);
            Stats s = Stats.of(seconds);
            double bps = c.work().bytes() / s.median(), fps = c.work().flops() / s.median();
            return new Result(c, sets, s, bps, fps, bps / ref.copyBytesPerSecond(), fps / ref.peakFlopsPerSecond());
        } finally {
            src.releaseAll();
        }
    }
}
