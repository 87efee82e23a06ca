package dev.reparam.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

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
        new Sharing(n, body, pool.getParallelism()).run(pool);
    }

    /**
     * One parallel loop: the calling thread and parallelism - 1 pool tasks take runs of indices
     * from a shared counter until none are left. The caller works instead of waiting, and the
     * dispatch is one submit per helper (a parallel IntStream costs 10-25 us per loop here, and an
     * iteration of the wave-packet network runs about 60 loops). Which thread runs an index never
     * changes a result: bodies write disjoint outputs or per-index partials.
     */
    private static final class Sharing {
        private final int n, grain;
        private final IntConsumer body;
        private final int helpers;
        private final AtomicInteger next = new AtomicInteger();

        Sharing(int n, IntConsumer body, int parallelism) {
            this.n = n;
            this.body = body;
            this.helpers = Math.min(parallelism, n) - 1;
            // a few runs per thread, so a thread slowed by another process leaves its share to the rest
            this.grain = Math.max(1, n / (4 * (helpers + 1)));
        }

        private void work() {
            for (int s; (s = next.getAndAdd(grain)) < n; ) {
                for (int i = s, e = Math.min(n, s + grain); i < e; i++) body.accept(i);
            }
        }

        void run(ForkJoinPool pool) {
            ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
            AtomicBoolean[] claimed = new AtomicBoolean[helpers];
            for (int t = 0; t < helpers; t++) {
                AtomicBoolean mine = claimed[t] = new AtomicBoolean();
                tasks[t] = pool.submit(() -> {
                    if (mine.compareAndSet(false, true)) work();
                });
            }
            RuntimeException failure = null;
            try {
                work();
            } catch (RuntimeException e) {
                next.set(n);
                failure = e;
            }
            // A helper that has not started by now finds nothing left to do: claim its slot so it
            // never runs the body, instead of waiting for a worker to wake up only to return.
            for (int t = 0; t < helpers; t++) {
                if (claimed[t].compareAndSet(false, true)) continue;
                try {
                    tasks[t].join();
                } catch (RuntimeException e) {
                    if (failure == null) failure = e;
                }
            }
            if (failure != null) throw failure;
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
