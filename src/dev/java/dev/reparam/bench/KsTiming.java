package dev.reparam.bench;

import dev.reparam.inverse.ProblemSets;
import dev.reparam.sim.ks.KsProblems;
import dev.reparam.sim.ks.KuramotoSivashinsky;
import dev.reparam.tensor.Parallel;

import java.util.SplittableRandom;

/**
 * Wall time of the batched KS forward pass and of forward + adjoint (lossAndGradient) at the
 * paper's size: n problems (default 256), N = 128, L = 32 pi, dt = 0.25, 100 steps.
 * Run: {@code java -cp target/classes dev.reparam.bench.KsTiming [n]}; bench/ks_numpy.py is the NumPy counterpart.
 */
public final class KsTiming {
    private static final int N = 128, STEPS = 100, WARMUP = 3, REPEATS = 5;

    public static void main(String[] args) {
        int n = args.length == 0 ? 256 : Integer.parseInt(args[0]);
        KuramotoSivashinsky ks = new KuramotoSivashinsky(N, 32 * Math.PI, 0.25, STEPS);
        SplittableRandom rng = new SplittableRandom(1);
        double[] u0 = KsProblems.initialStates(rng, n, N), alpha = new double[n], beta = new double[n],
                params = new double[2 * n];
        for (int i = 0; i < n; i++) {
            alpha[i] = rng.nextDouble(-1, 1);
            beta[i] = rng.nextDouble(0.5, 1.5);
            params[2 * i] = 0;
            params[2 * i + 1] = 1;
        }
        int[] rows = ProblemSets.all(n);
        double[] loss = new double[n], grad = new double[2 * n];
        double[] targets = ks.simulate(alpha, beta, u0);
        System.out.printf("threads %d, java %s, n = %d, N = %d, %d steps%n", Parallel.threads(),
                System.getProperty("java.version"), n, N, STEPS);
        double forward = Double.POSITIVE_INFINITY, both = Double.POSITIVE_INFINITY;
        for (int r = 0; r < WARMUP + REPEATS; r++) {
            long t0 = System.nanoTime();
            ks.simulate(alpha, beta, u0);
            long t1 = System.nanoTime();
            ks.lossAndGradient(rows, params, u0, targets, loss, grad);
            long t2 = System.nanoTime();
            if (r >= WARMUP) {
                forward = Math.min(forward, (t1 - t0) * 1e-9);
                both = Math.min(both, (t2 - t1) * 1e-9);
            }
        }
        System.out.printf("forward %.3f s, forward + adjoint (lossAndGradient) %.3f s (best of %d)%n", forward, both,
                REPEATS);
    }
}
