package dev.reparam.bench;

import dev.reparam.inverse.CentralDifferences;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.sim.ns.MacGrid;
import dev.reparam.sim.ns.NavierStokes;
import dev.reparam.sim.ns.ProjectionPreconditioner;
import dev.reparam.sim.ns.SmoothNoise;
import dev.reparam.tensor.Parallel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Navier-Stokes (CPU) measurements for docs/ns.md.
 * <ul>
 * <li>{@code java -cp target/classes dev.reparam.bench.NsTiming timing [n] [W] [mic|mg|plain]}: one
 * step, the 56-step forward and forward + adjoint (lossAndGradient) for n problems (default 64) on
 * W x W cells (default 100), CG tolerance 1e-5, preconditioned by MIC(0), the multigrid V-cycle or
 * nothing (default: {@link ProjectionPreconditioner#DEFAULT}), and
 * the CG iterations per step.</li>
 * <li>{@code java -cp target/classes dev.reparam.bench.NsTiming accuracy}: on the quick profile
 * (32 x 32, 8 steps), central differences (h = 1e-5) on (x0, v0x, v0y) and the dot-product test (one step
 * and the rollout, J v by central differences) with CG tolerance 1e-5 and 1e-12.</li>
 * </ul>
 */
public final class NsTiming {
    private static final double DT = 1, NU = 0.01, AMPLITUDE = 0.3;

    public static void main(String[] args) {
        String mode = args.length == 0 ? "timing" : args[0];
        if (mode.equals("accuracy")) {
            accuracy();
        } else {
            timing(args.length > 1 ? Integer.parseInt(args[1]) : 64, args.length > 2 ? Integer.parseInt(args[2]) : 100,
                    args.length > 3 ? ProjectionPreconditioner.parse(args[3]) : ProjectionPreconditioner.DEFAULT);
        }
    }

    private static double[] randomParams(SplittableRandom rng, int n, int w) {
        double[] p = new double[3 * n];
        for (int i = 0; i < n; i++) {
            p[3 * i] = rng.nextDouble(0.2 * w, 0.8 * w);
            p[3 * i + 1] = rng.nextDouble(-2, 2);
            p[3 * i + 2] = rng.nextDouble(-2, 2);
        }
        return p;
    }

    private static void timing(int n, int w, ProjectionPreconditioner preconditioned) {
        int steps = 56;
        MacGrid g = MacGrid.threeObstacles(w, w);
        SplittableRandom rng = new SplittableRandom(1);
        double[] s0 = SmoothNoise.states(rng, g, n, AMPLITUDE);
        double[] truth = randomParams(rng, n, w), guess = randomParams(rng, n, w);
        double tol = NavierStokes.DEFAULT_CG_TOLERANCE;
        NavierStokes one = new NavierStokes(g, DT, 1, NU, tol, 1, preconditioned);
        NavierStokes full = new NavierStokes(g, DT, steps, NU, tol, (int) Math.ceil(Math.sqrt(steps)), preconditioned);
        System.out.printf("threads %d, java %s, n = %d, %d x %d cells, %d steps, CG tolerance %.0e, %s%n",
                Parallel.threads(),
                System.getProperty("java.version"), n, w, w, steps, tol, preconditioned.label() + " preconditioner");
        one.simulate(truth, s0); // warm-up
        long t0 = System.nanoTime();
        one.simulate(truth, s0);
        long t1 = System.nanoTime();
        long[] iterations = new long[n];
        double[] finals = full.simulate(truth, s0, iterations);
        long t2 = System.nanoTime();
        double[] targets = g.observe(finals, n);
        int[] rows = ProblemSets.all(n);
        double[] loss = new double[n], grad = new double[3 * n];
        full.lossAndGradient(rows, guess, s0, targets, loss, grad);
        long t3 = System.nanoTime();
        long total = 0, max = 0;
        for (long it : iterations) {
            total += it;
            max = Math.max(max, it);
        }
        System.out.printf("one step %.3f s, %d-step forward %.3f s, %d-step forward + adjoint (lossAndGradient) %.3f "
                + "s%n", (t1 - t0) * 1e-9, steps, (t2 - t1) * 1e-9, steps, (t3 - t2) * 1e-9);
        System.out.printf("forward CG iterations per step: mean %.1f, worst problem's mean %.1f%n",
                total / (double) (n * steps), max / (double) steps);
        double maxDiv = 0, maxSpeed = 0;
        for (int p = 0; p < n; p++) {
            int o = p * g.size();
            for (int j = 0; j < g.h; j++) {
                for (int i = 0; i < g.w; i++) {
                    if (!g.fluid(i, j)) continue;
                    double div = finals[o + g.u(i + 1, j)] - finals[o + g.u(i, j)]
                            + finals[o + g.v(i, j + 1)] - finals[o + g.v(i, j)];
                    maxDiv = Math.max(maxDiv, Math.abs(div));
                }
            }
            for (int f = 0; f < g.size(); f++) maxSpeed = Math.max(maxSpeed, Math.abs(finals[o + f]));
        }
        System.out.printf("final states: max |div| over fluid cells %.1e, max |velocity component| %.2f%n", maxDiv,
                maxSpeed);
    }

    private static void accuracy() {
        MacGrid g = MacGrid.threeObstacles(32, 32);
        int steps = 8;
        for (double tol : new double[] {1e-5, 1e-12}) {
            NavierStokes ns = new NavierStokes(g, DT, steps, NU, tol, 3);
            SplittableRandom rng = new SplittableRandom(2);
            int n = 8;
            double[] s0 = SmoothNoise.states(rng, g, n, AMPLITUDE);
            double[] targets = g.observe(ns.simulate(randomParams(rng, n, 32), s0), n);
            double[] params = randomParams(rng, n, 32);
            int[] rows = ProblemSets.all(n);
            double[] loss = new double[n], grad = new double[3 * n], unused = new double[3 * n];
            ns.lossAndGradient(rows, params, s0, targets, loss, grad);
            double[] fd = CentralDifferences.gradient((p, l) -> ns.lossAndGradient(rows, p, s0, targets, l, unused),
                    params, 3, 1e-5);
            double[] worst = new double[3];
            for (int i = 0; i < fd.length; i++) worst[i % 3] = Math.max(worst[i % 3],
                    Math.abs(fd[i] - grad[i]) / Math.abs(fd[i]));
            System.out.printf("tol %.0e: FD relative error, worst of %d problems: x0 %.1e, v0x %.1e, v0y %.1e%n", tol,
                    n, worst[0], worst[1], worst[2]);
            double[] xi = Arrays.copyOf(params, 3), s = Arrays.copyOf(s0, g.size());
            System.out.printf("tol %.0e: dot-product relative error: one step %.1e, %d steps %.1e%n", tol,
                    dotProductError(new NavierStokes(g, DT, 1, NU, tol, 1), xi, s, new double[3], rng),
                    steps, dotProductError(ns, xi, s, new double[] {0.3, -0.8, 0.5}, rng));
        }
    }

    /** |<J v, w> - <v, J^T w>| / |<J v, w>| over (xi, initial state), J v by central differences (h = 1e-6). */
    private static double dotProductError(NavierStokes ns, double[] xi, double[] s, double[] vXi,
            SplittableRandom rng) {
        int size = s.length;
        double[] v = new double[size], w = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextDouble(-1, 1);
            w[i] = rng.nextDouble(-1, 1);
        }
        double h = 1e-6;
        double[] sp = s.clone(), sm = s.clone(), xp = xi.clone(), xm = xi.clone();
        for (int i = 0; i < size; i++) {
            sp[i] += h * v[i];
            sm[i] -= h * v[i];
        }
        for (int d = 0; d < 3; d++) {
            xp[d] += h * vXi[d];
            xm[d] -= h * vXi[d];
        }
        double[] fp = ns.simulate(xp, sp), fm = ns.simulate(xm, sm);
        double jvw = 0;
        for (int i = 0; i < size; i++) jvw += (fp[i] - fm[i]) / (2 * h) * w[i];
        double[] gradXi = new double[3];
        double[] sBar = ns.vectorJacobian(xi, s, w, gradXi);
        double vjtw = 0;
        for (int i = 0; i < size; i++) vjtw += v[i] * sBar[i];
        for (int d = 0; d < 3; d++) vjtw += vXi[d] * gradXi[d];
        return Math.abs(jvw - vjtw) / Math.abs(jvw);
    }
}
