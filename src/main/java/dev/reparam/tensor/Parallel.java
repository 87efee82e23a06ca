package dev.reparam.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Data-parallel loops for the CPU backend. Work is split into chunks whose boundaries depend only
 * on the problem size, never on the thread count, so reductions that sum per-chunk partials in
 * chunk order are bit-identical for any number of threads.
 */
public final class Parallel {
    /** Below this many elements of work a loop runs on the calling thread. */
    private static final long SERIAL_WORK = 1 << 14;
    private static volatile ForkJoinPool pool = new ForkJoinPool(defaultThreads());

    private Parallel() {}

    static int defaultThreads() {
        String p = System.getProperty("reparam.threads");
        if (p != null) return Math.max(1, Integer.parseInt(p));
        return Runtime.getRuntime().availableProcessors();
    }

    public static int threads() {
        return pool.getParallelism();
    }

    /** Replaces the worker pool (for the {@code --threads} option and thread-count tests). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        ForkJoinPool old = pool;
        pool = new ForkJoinPool(threads);
        old.shutdown();
    }

    /**
     * Runs {@code body.accept(i)} for i in [0, n). {@code workPerItem} is a rough cost per index
     * used to keep tiny loops serial.
     */
    public static void forEach(int n, long workPerItem, IntConsumer body) {
        if (n <= 1 || (long) n * workPerItem < SERIAL_WORK || pool.getParallelism() == 1) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    /** Number of fixed chunks used to split n items for a deterministic reduction. */
    public static int chunkCount(int n) {
        return Math.max(1, Math.min(n, 64));
    }

    public static int chunkStart(int n, int chunk) {
        return (int) ((long) n * chunk / chunkCount(n));
    }
}
