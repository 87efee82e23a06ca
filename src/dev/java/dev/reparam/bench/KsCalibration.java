package dev.reparam.bench;

import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Solution;
import dev.reparam.sim.ks.KsProblems;

import java.util.Map;
import java.util.TreeMap;

/**
 * How often BFGS from the prior mean (0, 1) recovers (alpha, beta) of the paper-profile KS
 * problems (the spec's property: about 60%). "Recovered": both parameters within TOLERANCE of the
 * truth. Also prints the stop reasons and how the final losses split.
 * Run: {@code java -cp target/classes dev.reparam.bench.KsCalibration [n] [seeds] [quick]}.
 */
public final class KsCalibration {
    static final double TOLERANCE = 1e-3;

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 48,
                seeds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        KsProblems.Physics physics = args.length > 2 && args[2].equals("quick") ? KsProblems.Physics.QUICK
                : KsProblems.Physics.PAPER;
        int recoveredAll = 0;
        for (int seed = 0; seed < seeds; seed++) {
            long start = System.nanoTime();
            KsProblems problems = KsProblems.generate(physics, n, seed);
            MethodResult r = new Bfgs().solve(problems, ProgressListener.NONE);
            Solution s = r.unrefined();
            double[] truth = problems.trueParameters();
            int recovered = 0, lossBelow = 0;
            Map<String, Integer> reasons = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                boolean ok = Math.abs(s.xi()[2 * i] - truth[2 * i]) < TOLERANCE
                        && Math.abs(s.xi()[2 * i + 1] - truth[2 * i + 1]) < TOLERANCE;
                if (ok) recovered++;
                if (s.loss()[i] < 1e-10) lossBelow++;
                reasons.merge(s.stopReasons()[i] + (ok ? "/recovered" : "/missed"), 1, Integer::sum);
            }
            recoveredAll += recovered;
            System.out.printf("seed %d: recovered %d of %d, loss < 1e-10: %d, mean iterations %.1f, %s, %.1f s%n",
                    seed, recovered, n, lossBelow, s.meanIterations(), reasons, (System.nanoTime() - start) * 1e-9);
        }
        System.out.printf("total: recovered %d of %d (%.0f%%)%n", recoveredAll, n * seeds,
                100.0 * recoveredAll / (n * seeds));
    }
}
