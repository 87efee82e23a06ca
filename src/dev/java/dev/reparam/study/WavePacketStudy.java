package dev.reparam.study;

import dev.reparam.inverse.Comparison;
import dev.reparam.inverse.Solution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The wave-packet factor study of issue 13 (docs/experiments.md): reparameterized training plus
 * BFGS refinement against BFGS, for variants of {@link WavePacketSetup}, one CSV row per
 * (variant, n, seed), appended as each finishes so an interrupted study resumes where it stopped.
 * <pre>
 *   bench/dev-main dev.reparam.study.WavePacketStudy --csv study.csv --n 64 --seeds 0-3 \
 *       --variants 'default;lr=3e-4;bn=none;last=0'
 *   bench/dev-main dev.reparam.study.StudyTable study.csv &gt; study.md
 * </pre>
 */
public final class WavePacketStudy {
    static final String HEADER = "variant,n,seed,better,equal,worse,unrefined_better,basin_bfgs,basin_refined,"
            + "settle_median,initial_spread,final_spread,minima_travelled,loss_bfgs,loss_refined,seconds";

    private WavePacketStudy() {}

    public static void main(String[] args) throws IOException {
        Path csv = null;
        List<String> variants = List.of("default");
        int[] sizes = {64};
        long[] seeds = {0, 1, 2, 3};
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--csv" -> csv = Path.of(args[i + 1]);
                case "--variants" -> variants = Arrays.asList(args[i + 1].split(";"));
                case "--n" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seeds" -> seeds = seeds(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (csv == null) throw new IllegalArgumentException("--csv FILE is required");
        Set<String> done = new HashSet<>();
        if (Files.exists(csv)) {
            for (String line : Files.readAllLines(csv)) done.add(key(line.split(",", -1)));
        } else {
            Files.writeString(csv, HEADER + "\n");
        }
        for (String v : variants) {
            WavePacketSetup setup = WavePacketSetup.DEFAULT.with(v);
            String name = v.replace(',', ' ');
            for (int n : sizes) {
                for (long seed : seeds) {
                    if (done.contains(name + "|" + n + "|" + seed)) continue;
                    String row = run(name, setup, n, seed);
                    Files.writeString(csv, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                    System.out.println(row);
                }
            }
        }
    }

    private static String key(String[] f) {
        return f.length < 3 ? "" : f[0] + "|" + f[1] + "|" + f[2];
    }

    private static long[] seeds(String s) {
        if (s.contains("-")) {
            String[] p = s.split("-");
            long a = Long.parseLong(p[0]), b = Long.parseLong(p[1]);
            long[] out = new long[(int) (b - a + 1)];
            for (int i = 0; i < out.length; i++) out[i] = a + i;
            return out;
        }
        return Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }

    static String run(String name, WavePacketSetup setup, int n, long seed) {
        long start = System.nanoTime();
        StudyTrial t = StudyTrial.run(setup, n, seed);
        StudyTraining.Outcome o = t.training();
        Solution reference = t.reference(), refined = t.refined();
        double[] xi = t.xi(), loss = t.loss();
        Comparison c = Comparison.of(refined.loss(), reference.loss());
        Comparison u = Comparison.of(loss, reference.loss());
        double[] truth = t.problems().trueParameters();
        List<Object> f = new ArrayList<>(List.of(name, n, seed));
        f.addAll(List.of(c.better(), c.equal(), c.worse(), u.better(), inBasin(reference.xi(), truth),
                inBasin(refined.xi(), truth)));
        f.addAll(List.of(settleMedian(o.trajectory()), std(o.trajectory()[0]), std(xi),
                minimaTravelled(o.trajectory()), reference.meanLoss(), refined.meanLoss(),
                (System.nanoTime() - start) * 1e-9));
        StringBuilder row = new StringBuilder();
        for (Object v : f) {
            if (row.length() > 0) row.append(',');
            row.append(v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : v);
        }
        return row.toString();
    }

    /** Share of problems whose answer lies within pi/2 of the true t0: the global minimum's basin. */
    private static double inBasin(double[] t0, double[] truth) {
        int in = 0;
        for (int i = 0; i < t0.length; i++) if (Math.abs(t0[i] - truth[i]) < Math.PI / 2) in++;
        return (double) in / t0.length;
    }

    /**
     * The median over problems of the iteration from which the estimate stays within pi (half
     * the spacing of neighbouring minima) of where training left it: when it "settled".
     */
    private static double settleMedian(double[][] trajectory) {
        int iterations = trajectory.length, n = trajectory[0].length;
        double[] settle = new double[n];
        for (int i = 0; i < n; i++) {
            double end = trajectory[iterations - 1][i];
            int it = iterations - 1;
            while (it > 0 && Math.abs(trajectory[it - 1][i] - end) <= Math.PI) it--;
            settle[i] = it;
        }
        Arrays.sort(settle);
        return n % 2 == 1 ? settle[n / 2] : 0.5 * (settle[n / 2 - 1] + settle[n / 2]);
    }

    /** Mean over problems of the path length of the estimate during training, in minima (units of 2 pi). */
    private static double minimaTravelled(double[][] trajectory) {
        double total = 0;
        for (int it = 1; it < trajectory.length; it++) {
            double[] now = trajectory[it], before = trajectory[it - 1];
            for (int i = 0; i < now.length; i++) total += Math.abs(now[i] - before[i]);
        }
        return total / trajectory[0].length / (2 * Math.PI);
    }

    private static double std(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0), sq = 0;
        for (double x : v) sq += (x - mean) * (x - mean);
        return Math.sqrt(sq / v.length);
    }
}
