package dev.reparam.physics.ns;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * CG iterations of the projection under the CPU's MIC(0), the device's Jacobi, and no
 * preconditioner, on the right-hand sides a real rollout produces: n problems on W x W cells
 * with three obstacles, 56 steps (the paper's physics), CG tolerance 1e-5; the rollout itself
 * advances with the MIC(0) projection. Jacobi and plain CG here follow kernels/ns_projection.cu's
 * algorithm (z = r / diag A, the CPU's stopping rule) in sequential double arithmetic.
 *   bash native/ns-emulation/run.sh count [n] [W] [steps]   (defaults 4 100 56)
 */
public final class NsPreconditionerCount {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4, w = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 56;
        double tol = 1e-5;
        MacGrid g = MacGrid.threeObstacles(w, w);
        SplittableRandom rng = new SplittableRandom(7);
        double[] s0 = SmoothNoise.states(rng, g, n, 0.3);
        Advection adv = new Advection(g, 1);
        Viscosity visc = new Viscosity(g, 1, 0.01);
        PressureProjection mic = new PressureProjection(g, tol, true);
        long[] total = new long[3];
        long solves = 0;
        int worstJacobi = 0;
        for (int p = 0; p < n; p++) {
            double[] s = Arrays.copyOfRange(s0, p * g.size(), (p + 1) * g.size());
            g.maskClosed(s, 0);
            GaussianForce.apply(g, s, 0.2 * w + 0.6 * w * rng.nextDouble(), 4 * rng.nextDouble() - 2, 4 * rng.nextDouble() - 2);
            double[] t1 = new double[g.size()], t2 = new double[g.size()], out = new double[g.size()];
            for (int k = 0; k < steps; k++) {
                adv.forward(s, t1);
                visc.forward(t1, t2);
                long before = mic.iterations();
                mic.apply(t2, out);
                total[0] += mic.iterations() - before;
                int j = cg(g, t2, tol, true), pl = cg(g, t2, tol, false);
                total[1] += j;
                total[2] += pl;
                worstJacobi = Math.max(worstJacobi, j);
                solves++;
                s = out.clone();
            }
        }
        System.out.printf("%d problems, %d x %d, %d steps, tol %.0e: mean CG iterations per solve: MIC(0) %.1f, Jacobi %.1f, none %.1f; worst Jacobi solve %d%n",
                n, w, w, steps, tol, total[0] / (double) solves, total[1] / (double) solves, total[2] / (double) solves, worstJacobi);
    }

    /** Iterations of (Jacobi-preconditioned) CG for A q = D_M a from q = 0 with the CPU's stopping rule. */
    static int cg(MacGrid g, double[] a, double tol, boolean jacobi) {
        int cells = g.cells(), w = g.w;
        PressureProjection helper = new PressureProjection(g, tol, false);
        double[] r = new double[cells], d = new double[cells], ad = new double[cells], z = new double[cells], inv = new double[cells];
        helper.divergence(a, r);
        double aa = 0;
        for (int f = 0; f < g.size(); f++) if (g.open(f)) aa += a[f] * a[f];
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i < w; i++) {
                int c = j * w + i, count = 0;
                if (g.open(g.u(i, j))) count++;
                if (g.open(g.u(i + 1, j))) count++;
                if (g.open(g.v(i, j))) count++;
                if (g.open(g.v(i, j + 1))) count++;
                inv[c] = !jacobi ? (count == 0 ? 0 : 1) : count == 0 ? 0 : 1.0 / count;
            }
        }
        for (int c = 0; c < cells; c++) d[c] = z[c] = r[c] * inv[c];
        double rr = dot(r, r), rz = dot(r, z), stop = Math.max(tol * tol * rr, 1e-28 * aa);
        int it = 0;
        for (; rr > stop; it++) {
            for (int j = 0; j < g.h; j++) {
                for (int i = 0; i < w; i++) {
                    int c = j * w + i;
                    double acc = 0;
                    if (g.open(g.u(i, j))) acc += d[c] - d[c - 1];
                    if (g.open(g.u(i + 1, j))) acc -= d[c + 1] - d[c];
                    if (g.open(g.v(i, j))) acc += d[c] - d[c - w];
                    if (g.open(g.v(i, j + 1))) acc -= d[c + w] - d[c];
                    ad[c] = acc;
                }
            }
            double alpha = rz / dot(d, ad);
            for (int c = 0; c < cells; c++) r[c] -= alpha * ad[c];
            rr = dot(r, r);
            for (int c = 0; c < cells; c++) z[c] = r[c] * inv[c];
            double rzNew = dot(r, z), beta = rzNew / rz;
            rz = rzNew;
            for (int c = 0; c < cells; c++) d[c] = z[c] + beta * d[c];
        }
        return it;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
