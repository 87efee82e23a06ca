package dev.reparam.sim.ns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CG iterations of the projection under candidate preconditioners, on the right-hand sides a real
 * rollout produces: n problems on W x W cells with three obstacles, `steps` steps (the paper's
 * physics), CG tolerance 1e-5, the CPU's stopping rule; the rollout itself advances with the CPU's
 * MIC(0) projection. Every candidate is an SPD operator built from the open-face mask only:
 * <ul>
 *   <li>jacobi: z = r / diag A (the device's former default);</li>
 *   <li>rbssor(omega, k): k steps of red-black SSOR from z = 0 (forward red, black, backward black,
 *       red: symmetric; the device's ns_cg_ssor_* kernels do k = 1);</li>
 *   <li>cheb(m, ratio): Chebyshev iteration on D^-1 A of m steps over [2 / ratio, 2];</li>
 *   <li>mg(nu, scale): V-cycle, 2x2 piecewise-constant aggregation with Galerkin coarse operators
 *       (obstacles and walls carried exactly), nu red-black Gauss-Seidel sweeps before and the
 *       reversed sweeps after (symmetric), coarsest level (at most 4 x 4) by 30 symmetric sweeps,
 *       coarse correction times `scale` (the device's ns_mg_* kernels do nu = 1, scale 1.8);</li>
 *   <li>mic: the CPU's MIC(0), sequential (reference only).</li>
 * </ul>
 * The counts follow the algorithm of kernels/ns/ns_projection.cu in sequential double arithmetic.
 * This is the exploration tool that chose the preconditioner, so it keeps its own level code with
 * nu and scale as parameters; the one the solver uses, fixed at nu = 1 and scale 1.8, is
 * dev.reparam.sim.ns.PoissonMultigrid (CPU) and kernels/ns/ns_multigrid.cuh (GPU).
 *   bench/dev-main dev.reparam.sim.ns.NsPreconditionerCount [n] [W] [steps] [name prefix]   (defaults 4 100 56)
 */
public final class NsPreconditionerCount {
    /** A level of the Poisson operator: couplings to the east and north neighbours (0 = closed). */
    static final class Level {
        final int w, h;
        final double[] east, north, diag;

        Level(int w, int h) {
            this.w = w;
            this.h = h;
            east = new double[w * h];
            north = new double[w * h];
            diag = new double[w * h];
        }

        static Level fine(MacGrid g) {
            Level l = new Level(g.w, g.h);
            for (int j = 0; j < g.h; j++) {
                for (int i = 0; i < g.w; i++) {
                    int c = j * g.w + i;
                    l.east[c] = i + 1 < g.w && g.open(g.u(i + 1, j)) ? 1 : 0;
                    l.north[c] = j + 1 < g.h && g.open(g.v(i, j + 1)) ? 1 : 0;
                }
            }
            l.fillDiag();
            return l;
        }

        /** Galerkin P^T A P with P the piecewise-constant 2x2 aggregation: couplings add up. */
        Level coarse() {
            Level c = new Level((w + 1) / 2, (h + 1) / 2);
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) {
                    int f = j * w + i, cc = (j / 2) * c.w + i / 2;
                    if (i % 2 == 1 || i + 1 == w) { if (i + 1 < w) c.east[cc] += east[f]; }
                    if (j % 2 == 1 || j + 1 == h) { if (j + 1 < h) c.north[cc] += north[f]; }
                }
            }
            c.fillDiag();
            return c;
        }

        void fillDiag() {
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) {
                    int c = j * w + i;
                    diag[c] = east[c] + north[c] + (i > 0 ? east[c - 1] : 0) + (j > 0 ? north[c - w] : 0);
                }
            }
        }

        double neighbours(double[] x, int i, int j) {
            int c = j * w + i;
            double s = 0;
            if (i > 0) s += east[c - 1] * x[c - 1];
            if (i + 1 < w) s += east[c] * x[c + 1];
            if (j > 0) s += north[c - w] * x[c - w];
            if (j + 1 < h) s += north[c] * x[c + w];
            return s;
        }

        void apply(double[] x, double[] out) {
            for (int j = 0; j < h; j++) for (int i = 0; i < w; i++) out[j * w + i] = diag[j * w + i] * x[j * w
                    + i] - neighbours(x, i, j);
        }

        /** One SOR half-sweep over the cells of one colour ((i + j) % 2 == colour). */
        void sor(double[] z, double[] r, int colour, double omega) {
            for (int j = 0; j < h; j++) {
                for (int i = (j + colour) % 2; i < w; i += 2) {
                    int c = j * w + i;
                    if (diag[c] == 0) continue;
                    z[c] = (1 - omega) * z[c] + omega * (r[c] + neighbours(z, i, j)) / diag[c];
                }
            }
        }
    }

    interface Preconditioner {
        void apply(double[] r, double[] z);
    }

    static Preconditioner jacobi(Level l) {
        return (r, z) -> { for (int c = 0; c < r.length; c++) z[c] = l.diag[c] == 0 ? 0 : r[c] / l.diag[c]; };
    }

    static Preconditioner rbssor(Level l, double omega, int steps) {
        return (r, z) -> {
            Arrays.fill(z, 0);
            for (int s = 0; s < steps; s++) {
                l.sor(z, r, 0, omega);
                l.sor(z, r, 1, omega);
                l.sor(z, r, 1, omega);
                l.sor(z, r, 0, omega);
            }
        };
    }

    static Preconditioner chebyshev(Level l, int m, double ratio) {
        double b = 2, a = b / ratio, theta = (b + a) / 2, delta = (b - a) / 2, sigma = theta / delta;
        int n = l.w * l.h;
        double[] res = new double[n], d = new double[n], ad = new double[n];
        return (r, z) -> {
            Arrays.fill(z, 0);
            double rho = 1 / sigma;
            for (int c = 0; c < n; c++) { res[c] = r[c]; d[c] = l.diag[c] == 0 ? 0 : r[c] / l.diag[c] / theta; }
            for (int k = 0; k < m; k++) {
                for (int c = 0; c < n; c++) z[c] += d[c];
                if (k + 1 == m) break;
                l.apply(d, ad);
                double next = 1 / (2 * sigma - rho);
                for (int c = 0; c < n; c++) {
                    res[c] -= ad[c];
                    d[c] = next * rho * d[c] + (l.diag[c] == 0 ? 0 : 2 * next / delta * res[c] / l.diag[c]);
                }
                rho = next;
            }
        };
    }

    static Preconditioner multigrid(Level fine, int nu, double scale) {
        List<Level> levels = new ArrayList<>();
        levels.add(fine);
        while (levels.get(levels.size() - 1).w > 4
                || levels.get(levels.size() - 1).h > 4) levels.add(levels.get(levels.size() - 1).coarse());
        return (r, z) -> vcycle(levels, 0, r, z, nu, scale);
    }

    static void vcycle(List<Level> levels, int k, double[] r, double[] z, int nu, double scale) {
        Level l = levels.get(k);
        Arrays.fill(z, 0);
        if (k + 1 == levels.size()) {
            for (int s = 0; s < 30; s++) { l.sor(z, r, 0, 1); l.sor(z, r, 1, 1); l.sor(z, r, 1, 1); l.sor(z, r, 0, 1); }
            return;
        }
        for (int s = 0; s < nu; s++) { l.sor(z, r, 0, 1); l.sor(z, r, 1, 1); }
        int n = l.w * l.h;
        double[] az = new double[n];
        l.apply(z, az);
        Level c = levels.get(k + 1);
        double[] rc = new double[c.w * c.h], zc = new double[c.w * c.h];
        for (int j = 0; j < l.h; j++) for (int i = 0; i < l.w; i++) if (l.diag[j * l.w + i] != 0) rc[(j / 2) * c.w
                + i / 2] += r[j * l.w + i] - az[j * l.w + i];
        vcycle(levels, k + 1, rc, zc, nu, scale);
        for (int j = 0; j < l.h; j++) for (int i = 0; i < l.w; i++) if (l.diag[j * l.w + i] != 0) z[j * l.w
                + i] += scale * zc[(j / 2) * c.w + i / 2];
        for (int s = 0; s < nu; s++) { l.sor(z, r, 1, 1); l.sor(z, r, 0, 1); }
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4, w = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 56;
        double tol = 1e-5;
        MacGrid g = MacGrid.threeObstacles(w, w);
        Level fine = Level.fine(g);
        String[] names = ALL_NAMES;
        Preconditioner[] pre = {jacobi(fine), rbssor(fine, 0.8, 1), rbssor(fine, 0.9, 1), rbssor(fine, 1.0, 1),
                rbssor(fine, 1.1, 1),
                rbssor(fine, 1.2, 1), rbssor(fine, 1.4, 1), rbssor(fine, 1.0, 2), rbssor(fine, 1.2, 2),
                rbssor(fine, 1.0, 3), chebyshev(fine, 4, 30), chebyshev(fine, 8, 100), chebyshev(fine, 16, 300),
                multigrid(fine, 1, 1.0), multigrid(fine, 2, 1.0), multigrid(fine, 1, 1.4), multigrid(fine, 1, 1.6),
                multigrid(fine, 1, 1.8), multigrid(fine, 2, 1.6)};
        if (args.length > 3) {  // a subset by name prefix, e.g. "rbssor" or "mg"
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < names.length; i++) if (names[i].startsWith(args[3])
                    || names[i].equals("jacobi")) keep.add(i);
            names = keep.stream().map(i -> ALL_NAMES[i]).toArray(String[]::new);
            Preconditioner[] all = pre;
            pre = keep.stream().map(i -> all[i]).toArray(Preconditioner[]::new);
        }
        SplittableRandom rng = new SplittableRandom(7);
        double[] s0 = SmoothNoise.states(rng, g, n, 0.3);
        Advection adv = new Advection(g, 1);
        Viscosity visc = new Viscosity(g, 1, 0.01);
        PressureProjection mic = new PressureProjection(g, tol, true);
        long micTotal = 0;
        long[] total = new long[pre.length];
        int[] worst = new int[pre.length];
        long solves = 0;
        for (int p = 0; p < n; p++) {
            double[] s = Arrays.copyOfRange(s0, p * g.size(), (p + 1) * g.size());
            g.maskClosed(s, 0);
            GaussianForce.apply(g, s, 0.2 * w + 0.6 * w * rng.nextDouble(), 4 * rng.nextDouble() - 2,
                    4 * rng.nextDouble() - 2);
            double[] t1 = new double[g.size()], t2 = new double[g.size()], out = new double[g.size()];
            for (int k = 0; k < steps; k++) {
                adv.forward(s, t1);
                visc.forward(t1, t2);
                long before = mic.iterations();
                mic.apply(t2, out);
                micTotal += mic.iterations() - before;
                for (int c = 0; c < pre.length; c++) {
                    int it = cg(g, fine, t2, tol, pre[c]);
                    total[c] += it;
                    worst[c] = Math.max(worst[c], it);
                }
                solves++;
                s = out.clone();
            }
        }
        System.out.printf("%d problems, %d x %d, %d steps, tol %.0e, %d solves: CG iterations per solve, mean and "
                + "worst%n", n, w, w, steps, tol, solves);
        System.out.printf("  %-16s %7.1f%n", "mic (CPU)", micTotal / (double) solves);
        for (int c = 0; c < pre.length; c++) System.out.printf("  %-16s %7.1f %5d%n", names[c],
                total[c] / (double) solves, worst[c]);
    }

    private static final String[] ALL_NAMES = {"jacobi", "rbssor(0.8,1)", "rbssor(0.9,1)", "rbssor(1.0,1)",
            "rbssor(1.1,1)", "rbssor(1.2,1)",
            "rbssor(1.4,1)", "rbssor(1.0,2)", "rbssor(1.2,2)", "rbssor(1.0,3)", "cheb(4,30)", "cheb(8,100)",
            "cheb(16,300)", "mg(1,1.0)", "mg(2,1.0)", "mg(1,1.4)", "mg(1,1.6)", "mg(1,1.8)", "mg(2,1.6)"};

    /** Iterations of preconditioned CG for A q = D_M a from q = 0 with the CPU's stopping rule. */
    static int cg(MacGrid g, Level l, double[] a, double tol, Preconditioner m) {
        int cells = g.cells();
        PressureProjection helper = new PressureProjection(g, tol, false);
        double[] r = new double[cells], d = new double[cells], ad = new double[cells], z = new double[cells];
        helper.divergence(a, r);
        double aa = 0;
        for (int f = 0; f < g.size(); f++) if (g.open(f)) aa += a[f] * a[f];
        m.apply(r, z);
        System.arraycopy(z, 0, d, 0, cells);
        double rr = dot(r, r), rz = dot(r, z), stop = Math.max(tol * tol * rr, 1e-28 * aa);
        int it = 0;
        for (; rr > stop; it++) {
            if (it == 10 * cells) throw new IllegalStateException("CG did not converge");
            l.apply(d, ad);
            double alpha = rz / dot(d, ad);
            for (int c = 0; c < cells; c++) r[c] -= alpha * ad[c];
            rr = dot(r, r);
            m.apply(r, z);
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
