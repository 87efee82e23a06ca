package dev.reparam.study;

import dev.reparam.inverse.Comparison;
import dev.reparam.inverse.Solution;

import java.util.Arrays;
import java.util.Locale;

/**
 * What BFGS refinement does to the network's answers (docs/experiments.md, "Learning-rate
 * schedule"): per (variant, seed), the network's gradient at its answers, the refinement's
 * iterations, the share of problems it moves to another minimum (|t0 refined - t0 trained| > pi,
 * half the spacing of neighbouring minima), and how the moved ones then compare with BFGS.
 * <pre>
 *   bench/dev-main dev.reparam.study.RefinementMoves 64 0-3 'default;schedule=cosine'
 * </pre>
 */
public final class RefinementMoves {
    private RefinementMoves() {}

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        String[] range = args[1].split("-");
        long first = Long.parseLong(range[0]), last = Long.parseLong(range[range.length - 1]);
        System.out.println("| variant | seed | median abs dL/dt0 at the answer | median refinement iterations"
                + " | moved to another minimum | of the moved: better than BFGS / worse |");
        System.out.println("|---|---:|---:|---:|---:|---|");
        for (String v : args[2].split(";")) {
            WavePacketSetup setup = WavePacketSetup.DEFAULT.with(v);
            for (long seed = first; seed <= last; seed++) row(v, setup, n, seed);
        }
    }

    private static void row(String name, WavePacketSetup setup, int n, long seed) {
        StudyTrial t = StudyTrial.run(setup, n, seed);
        Solution reference = t.reference(), refined = t.refined();
        double[] xi = t.xi(), gradient = t.gradient();
        int moved = 0, movedBetter = 0, movedWorse = 0;
        for (int i = 0; i < n; i++) {
            if (Math.abs(refined.xi()[i] - xi[i]) <= Math.PI) continue;
            moved++;
            Comparison c = Comparison.of(new double[] {refined.loss()[i]}, new double[] {reference.loss()[i]});
            if (c.better() > 0) movedBetter++;
            if (c.worse() > 0) movedWorse++;
        }
        System.out.printf(Locale.ROOT, "| %s | %d | %.2e | %.0f | %.1f %% | %d / %d |%n", name, seed,
                median(abs(gradient)), median(toDouble(refined.iterations())), 100.0 * moved / n, movedBetter,
                movedWorse);
    }

    private static double[] abs(double[] v) {
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) a[i] = Math.abs(v[i]);
        return a;
    }

    private static double[] toDouble(int[] v) {
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) a[i] = v[i];
        return a;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
