package dev.reparam.bench;

import dev.reparam.tensor.Parallel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The CPU's ceilings, measured here rather than taken from a data sheet:
 * <ul>
 *   <li>copy bandwidth: a double array far larger than the caches copied into another by
 *       System.arraycopy, split into chunks over the {@link Parallel} workers, as the backend's
 *       ops are; bytes = read + written;</li>
 *   <li>peak: the higher of two register-bound loops per worker: {@value #CHAINS} independent
 *       scalar chains a = fma(a, b, c) (Math.fma, one vfmadd where the CPU has FMA: the ceiling of
 *       the backend's scalar loops), and an L1-resident array updated by x = (x b + c) b + c ...
 *       in a loop the JIT vectorises (separate multiply and add, the shape the backend's vectorised
 *       loops have). The scalar rate alone understates what vectorised kernels reach, which made
 *       the convolutions show over 100% of "peak".</li>
 * </ul>
 * Each is the best of several runs after warm-up: a ceiling, so the runs another process
 * disturbed are dropped rather than averaged in.
 */
public final class CpuReference {
    static final int CHAINS = 12;
    /** Doubles per worker in the vectorised loop: 8 KiB, well inside any L1 data cache. */
    static final int VECTOR_LENGTH = 1024;
    /** Multiply-add pairs per element and pass: enough arithmetic per load and store to be FLOP-bound. */
    private static final int VECTOR_DEPTH = 8;
    private static volatile double sink;

    private CpuReference() {}

    public static DeviceReference measure(boolean quick) {
        int threads = Parallel.threads();
        String cpu = cpuName() + ", " + threads + " threads (" + Runtime.getRuntime().availableProcessors()
                + " cores visible)";
        int length = quick ? 1 << 23 : 1 << 25; // 64 or 256 MiB per array
        double copy = copyBandwidth(length, threads, quick ? 5 : 10);
        double scalar = fmaRate(threads, quick ? 3 : 5);
        double vector = vectorRate(threads, quick ? 3 : 5);
        String method = vector > scalar
                ? String.format("vectorised multiply-add loop over %d L1-resident doubles per thread (scalar Math.fma: "
                + "%.1f GFLOP/s), %d threads, best of runs", VECTOR_LENGTH, scalar * 1e-9, threads)
                : String.format("scalar Math.fma, %d register chains per thread (vectorised loop: %.1f GFLOP/s), %d "
                + "threads, best of runs", CHAINS, vector * 1e-9, threads);
        return new DeviceReference(cpu, copy,
                String.format("System.arraycopy of %d MiB in %d parallel chunks, best of runs",
                (long) length * 8 >> 20, 4 * threads), Math.max(scalar, vector), method);
    }

    /** The model name Linux reports, else the architecture. */
    static String cpuName() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | UncheckedIOException e) {
            return System.getProperty("os.arch");
        }
    }

    static double copyBandwidth(int length, int threads, int runs) {
        double[] src = new double[length], dst = new double[length];
        Arrays.fill(src, 1.0);
        int chunks = 4 * threads;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs + 2; r++) {
            long t = System.nanoTime();
            Parallel.forEach(chunks, Long.MAX_VALUE / chunks, c -> {
                int from = (int) ((long) length * c / chunks), to = (int) ((long) length * (c + 1) / chunks);
                System.arraycopy(src, from, dst, from, to - from);
            });
            double s = (System.nanoTime() - t) * 1e-9;
            if (r >= 2) best = Math.min(best, s); // two warm-up runs
        }
        return 2.0 * length * Double.BYTES / best;
    }

    static double fmaRate(int threads, int runs) {
        int items = 4 * threads, iterations = 1 << 22;
        // enough calls and loop trips for the JIT's optimising compiler to take the whole method
        double warm = 0;
        for (int i = 0; i < 200; i++) warm += fmaChains(1 << 16, 0.999, 1e-3);
        sink = warm;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs + 1; r++) {
            double[] out = new double[items];
            long t = System.nanoTime();
            Parallel.forEach(items, Long.MAX_VALUE / items, i -> out[i] = fmaChains(iterations, 0.999, 1e-3));
            double s = (System.nanoTime() - t) * 1e-9;
            sink = out[0];
            if (r >= 1) best = Math.min(best, s);
        }
        return 2.0 * CHAINS * iterations * items / best;
    }

    /**
     * CHAINS independent FMA chains held in locals (registers): throughput-bound, not
     * latency-bound, and no memory traffic. With |b| < 1 each converges to c / (1 - b).
     */
    static double fmaChains(int iterations, double b, double c) {
        double a0 = 0, a1 = 1, a2 = 2, a3 = 3, a4 = 4, a5 = 5, a6 = 6, a7 = 7, a8 = 8, a9 = 9, a10 = 10, a11 = 11;
        for (int i = 0; i < iterations; i++) {
            a0 = Math.fma(a0, b, c);
            a1 = Math.fma(a1, b, c);
            a2 = Math.fma(a2, b, c);
            a3 = Math.fma(a3, b, c);
            a4 = Math.fma(a4, b, c);
            a5 = Math.fma(a5, b, c);
            a6 = Math.fma(a6, b, c);
            a7 = Math.fma(a7, b, c);
            a8 = Math.fma(a8, b, c);
            a9 = Math.fma(a9, b, c);
            a10 = Math.fma(a10, b, c);
            a11 = Math.fma(a11, b, c);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }

    static double vectorRate(int threads, int runs) {
        int items = 4 * threads, passes = 1 << 14;
        double[][] arrays = new double[items][VECTOR_LENGTH];
        double warm = 0;
        for (int i = 0; i < 200; i++) warm += multiplyAddPasses(arrays[0], 64, 0.999, 1e-3);
        sink = warm;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs + 1; r++) {
            double[] out = new double[items];
            long t = System.nanoTime();
            Parallel.forEach(items, Long.MAX_VALUE / items,
                    i -> out[i] = multiplyAddPasses(arrays[i], passes, 0.999, 1e-3));
            double s = (System.nanoTime() - t) * 1e-9;
            sink = out[0];
            if (r >= 1) best = Math.min(best, s);
        }
        return 2.0 * VECTOR_DEPTH * VECTOR_LENGTH * (double) passes * items / best;
    }

    /**
     * {@code passes} sweeps of x = x b + c applied {@value #VECTOR_DEPTH} times per element: the
     * same index on every array access, so C2 vectorises it; |b| < 1 keeps the values bounded.
     */
    static double multiplyAddPasses(double[] x, int passes, double b, double c) {
        for (int p = 0; p < passes; p++) {
            for (int i = 0; i < x.length; i++) {
                double v = x[i];
                v = v * b + c;
                v = v * b + c;
                v = v * b + c;
                v = v * b + c;
                v = v * b + c;
                v = v * b + c;
                v = v * b + c;
                v = v * b + c;
                x[i] = v;
            }
        }
        return x[0];
    }
}
