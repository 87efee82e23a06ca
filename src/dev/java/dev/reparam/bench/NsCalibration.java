package dev.reparam.bench;

import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Solution;
import dev.reparam.sim.ns.NsExperiment;
import dev.reparam.sim.ns.NsProblems;

import java.util.Map;
import java.util.TreeMap;

/**
 * BFGS (the experiment's L-BFGS settings) from the prior mean on Navier-Stokes problems (the spec's property: converges
 * in about 10-40 iterations, often to a local optimum). "Recovered": |x0 - x0*| < 1 cell and both
 * |v0 - v0*| < 0.05. Prints per problem the truth, the answer, the loss there and at the truth.
 * Run: {@code java -cp target/classes dev.reparam.bench.NsCalibration [n] [seed] [quick]}.
 */
public final class NsCalibration {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 0;
        NsProblems.Physics physics = args.length > 2 && args[2].equals("quick") ? NsProblems.Physics.QUICK
                : NsProblems.Physics.PAPER;
        long start = System.nanoTime();
        NsProblems problems = NsProblems.generate(physics, n, seed);
        double[] truth = problems.trueParameters(), trueLoss = new double[n];
        int[] all = ProblemSets.all(n);
        problems.lossAndGradient(all, truth, trueLoss, new double[3 * n]);
        Solution s = new Bfgs(new NsExperiment(physics).lbfgs()).solve(problems, ProgressListener.NONE).unrefined();
        int recovered = 0, belowTruth = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            double[] x = s.xi();
            boolean ok = Math.abs(x[3 * i] - truth[3 * i]) < 1 && Math.abs(x[3 * i + 1] - truth[3 * i + 1]) < 0.05
                    && Math.abs(x[3 * i + 2] - truth[3 * i + 2]) < 0.05;
            if (ok) recovered++;
            if (s.loss()[i] <= trueLoss[i]) belowTruth++;
            reasons.merge(s.stopReasons()[i], 1, Integer::sum);
            System.out.printf("%2d truth (%.2f, %.3f, %.3f) loss %.3e | bfgs (%.2f, %.3f, %.3f) loss %.3e, %d "
                    + "iterations, %s%s%n", i,
                    truth[3 * i], truth[3 * i + 1], truth[3 * i + 2], trueLoss[i], x[3 * i], x[3 * i + 1],
                    x[3 * i + 2], s.loss()[i], s.iterations()[i], s.stopReasons()[i], ok ? " RECOVERED" : "");
        }
        System.out.printf("recovered %d of %d, loss <= loss at truth: %d, mean iterations %.1f, %s, %.1f s%n",
                recovered, n, belowTruth, s.meanIterations(), reasons, (System.nanoTime() - start) * 1e-9);
    }
}
