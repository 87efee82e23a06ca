package dev.reparam.bench;

import java.util.Locale;

/** The human-readable form of a {@link BenchReport}: a header, the kernel table, the iteration table. */
public final class BenchTable {
    private BenchTable() {}

    public static String format(BenchReport r) {
        StringBuilder b = new StringBuilder();
        DeviceReference d = r.reference();
        b.append(f("reparam bench %s: backend %s %s, %d threads, n = %d%s, %d warm-up + %d timed runs per kernel%n",
                r.version(), r.backend(), r.dtype(), r.threads(), r.n(),
                r.size() > 0 ? ", elementwise size " + r.size() : "", r.warmup(), r.repeats()));
        b.append(f("timer: %s%n", r.timer()));
        b.append(f("device: %s%n", d.device()));
        b.append(f("  copy bandwidth %9.2f GB/s     (%s)%n", d.copyBytesPerSecond() * 1e-9, d.copyMethod()));
        b.append(f("  peak           %9.2f GFLOP/s  (%s)%n", d.peakFlopsPerSecond() * 1e-9, d.peakMethod()));
        if (!r.kernels().isEmpty()) {
            int opWidth = Math.max(2, r.kernels().stream().mapToInt(k -> k.kase().op().length()).max().orElse(2));
            int shapeWidth = Math.max(5, r.kernels().stream().mapToInt(k -> k.kase().shape().length()).max().orElse(5));
            String head = "%-" + opWidth + "s  %-" + shapeWidth + "s %11s %11s %11s %9s %6s %9s %6s%n";
            b.append(f("%nkernels (time: median over runs, p10 and p90; rates from the median)%n"));
            b.append(f(head, "op", "shape", "median us", "p10 us", "p90 us", "GB/s", "%copy", "GFLOP/s", "%peak"));
            String row = "%-" + opWidth + "s  %-" + shapeWidth + "s %11.2f %11.2f %11.2f %9.2f %6.1f %9.2f %6.1f%n";
            for (KernelBench.Result k : r.kernels()) {
                Stats s = k.seconds();
                b.append(f(row, k.kase().op(), k.kase().shape(), s.median() * 1e6, s.p10() * 1e6, s.p90() * 1e6,
                        k.bytesPerSecond() * 1e-9, 100 * k.copyFraction(), k.flopsPerSecond() * 1e-9,
                        100 * k.peakFraction()));
            }
        }
        if (!r.iterations().isEmpty()) {
            b.append(f("%nfull iterations (seconds per iteration: median, min, p10, p90 over samples)%n"));
            b.append(f("%-22s %-16s %6s %11s %11s %11s %11s %8s%n", "experiment", "method", "n", "median ms", "min ms",
                    "p10 ms", "p90 ms", "samples"));
            for (MethodIterations.Result m : r.iterations()) {
                Stats s = m.seconds();
                b.append(f("%-22s %-16s %6d %11.3f %11.3f %11.3f %11.3f %8d%n", m.experiment(), m.method(), m.n(),
                        s.median() * 1e3, s.min() * 1e3, s.p10() * 1e3, s.p90() * 1e3, s.samples()));
            }
        }
        return b.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
