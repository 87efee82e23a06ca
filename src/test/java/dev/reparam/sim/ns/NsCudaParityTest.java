package dev.reparam.sim.ns;

import dev.reparam.cuda.BareDevice;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.sim.ns.cuda.CgPreconditioner;
import dev.reparam.sim.ns.cuda.CudaNavierStokes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device step and adjoint (kernels/ns/*.cu through {@link CudaNavierStokes}) against the CPU
 * reference on the quick grid (32 x 32, three obstacles, 8 steps). Needs a GPU: bash .gpu/run test.
 *
 * <p>Tolerances. Advection, viscosity and the force are the CPU's arithmetic up to fused
 * multiply-adds and the order of the adjoint's sums: float64 parity {@link #EXACT}. The
 * projection is not bitwise: the device uses multigrid (or red-black SSOR, Jacobi) preconditioned
 * CG, the CPU MIC(0), and all stop at |r| <= tol |D_M a| on the unpreconditioned residual, so the bound below
 * holds for any SPD preconditioner. With e the solve error, the projected field is off by D_M^T e, and
 * |D_M^T e|^2 = r^T A^+ r <= |r|^2 / lambda_min, lambda_min = 2 (1 - cos(pi / 32)) ~ 1e-2 on this
 * grid (obstacles only raise it), |D_M a| <= sqrt(8) |a|: each side is within 30 tol |a| of the
 * exact projection, so the two within {@link #PROJECTION_FACTOR} tol |a| (2-norm). A rollout adds
 * one such error per step, carried by the later steps: {@link #ROLLOUT_FACTOR} tol per step
 * allows a growth of 10 per step's error. Gradients also carry the adjoint solves' errors:
 * {@link #GRADIENT_FACTOR}. float32 is checked against the float64 CPU at the experiment's tol
 * 1e-5 (float32 CG cannot reach 1e-12): float32 rounding (6e-8) amplified by the Poisson solve
 * (condition number ~ 8 / lambda_min ~ 1e3) gives ~1e-4 per projection, hence the float32 bounds.
 */
@Tag("gpu")
class NsCudaParityTest {
    private static final double TIGHT = 1e-12, FLOAT32_TOL = 1e-5;
    private static final double EXACT = 1e-12;
    private static final double PROJECTION_FACTOR = 100, ROLLOUT_FACTOR = 1e3, GRADIENT_FACTOR = 1e4;
    private static final double FLOAT32_STEP = 1e-3, FLOAT32_ROLLOUT = 1e-3, FLOAT32_GRADIENT = 1e-2;
    private static final int PROBLEMS = 3;

    private static BareDevice cuda;
    private final MacGrid g = NsTestData.grid();

    @BeforeAll
    static void open() {
        cuda = BareDevice.open();
    }

    @AfterAll
    static void close() {
        if (cuda != null) cuda.close();
    }

    private CudaNavierStokes onDevice(CudaDtype t, double tol) {
        return onDevice(t, tol, CgPreconditioner.DEFAULT);
    }

    private CudaNavierStokes onDevice(CudaDtype t, double tol, CgPreconditioner preconditioner) {
        return new CudaNavierStokes(cuda.kernels, cuda.memory, t, g, NsTestData.DT, NsTestData.STEPS, NsTestData.NU,
                tol, preconditioner, PROBLEMS);
    }

    private NavierStokes onCpu(double tol) {
        return new NavierStokes(g, NsTestData.DT, NsTestData.STEPS, NsTestData.NU, tol, 3);
    }

    /** Smooth states with closed faces zeroed, as every operator leaves them, plus some face noise. */
    private double[] states(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] s = NsTestData.smoothStates(rng, g, PROBLEMS);
        for (int p = 0; p < PROBLEMS; p++) {
            for (int f = 0; f < g.size(); f++) s[p * g.size() + f] += 0.05 * (2 * rng.nextDouble() - 1);
            g.maskClosed(s, p * g.size());
        }
        return s;
    }

    private double[] problem(double[] batch, int p) {
        return Arrays.copyOfRange(batch, p * g.size(), (p + 1) * g.size());
    }

    private static double relative(double[] got, double[] want) {
        double d = 0, n = 0;
        for (int i = 0; i < want.length; i++) {
            d += (got[i] - want[i]) * (got[i] - want[i]);
            n += want[i] * want[i];
        }
        return Math.sqrt(d / n);
    }

    private static void assertClose(double[] want, double[] got, double bound, String what) {
        double e = relative(got, want);
        assertTrue(e <= bound, what + ": relative 2-norm error " + e + " > " + bound);
    }

    /**
     * A fast flow of one sign: displacements of several cells with departure points all up and to
     * the right, so the gather adjoint's window is used to its edge (a window one row short passes
     * the gentle states but not these; checked by mutation in the CPU emulation).
     */
    private double[] fastStates(long seed) {
        double[] s = states(seed);
        for (int i = 0; i < s.length; i++) s[i] = 8 * s[i] - 3;
        for (int p = 0; p < PROBLEMS; p++) g.maskClosed(s, p * g.size());
        return s;
    }

    @Test
    void advectionAndItsAdjointMatchTheCpu() {
        compareAdvection(states(1), 1);
    }

    @Test
    void advectionAndItsAdjointMatchTheCpuInAFastFlow() {
        compareAdvection(fastStates(13), 3);
    }

    private void compareAdvection(double[] s, int minimumReach) {
        double[] bar = NsTestData.noise(new SplittableRandom(2), PROBLEMS * g.size());
        try (CudaNavierStokes ns = onDevice(CudaDtype.FLOAT64, TIGHT)) {
            double[] out = ns.advect(s), sBar = ns.advectVjp(s, bar);
            Advection cpu = new Advection(g, NsTestData.DT);
            for (int p = 0; p < PROBLEMS; p++) {
                double[] want = new double[g.size()], wantBar = new double[g.size()];
                cpu.forward(problem(s, p), want);
                cpu.adjoint(problem(s, p), problem(bar, p), wantBar);
                assertClose(want, problem(out, p), EXACT, "advection, problem " + p);
                assertClose(wantBar, problem(sBar, p), EXACT, "advection adjoint, problem " + p);
            }
            int[] reach = ns.lastAdvectionReach();
            for (int r : reach) assertTrue(r >= minimumReach && r < g.w, "gather reach " + r);
        }
    }

    @Test
    void advectionAdjointPassesTheDotProductTestOnTheDevice() {
        dotProductTest(states(3));
        dotProductTest(fastStates(14));
    }

    private void dotProductTest(double[] s) {
        SplittableRandom rng = new SplittableRandom(4);
        double[] v = NsTestData.noise(rng, PROBLEMS * g.size()), w = NsTestData.noise(rng, PROBLEMS * g.size());
        try (CudaNavierStokes ns = onDevice(CudaDtype.FLOAT64, TIGHT)) {
            // Advection is cubic in s only within an interpolation cell: at h = 1e-6 a departure
            // point of states(3) crosses a cell face and the differences miss by 2e-4 (the CPU's
            // Advection gives the same numbers). At 1e-8 none crosses, and the rounding of the
            // differences is about 1e-7 relative, hence the tolerance.
            double h = 1e-8;
            double[] fp = ns.advect(NsTestData.axpy(s, h, v)), fm = ns.advect(NsTestData.axpy(s, -h, v));
            double[] vjtw = ns.advectVjp(s, w);
            for (int p = 0; p < PROBLEMS; p++) {
                double jvw = 0, adj = 0;
                for (int f = p * g.size(); f < (p + 1) * g.size(); f++) {
                    jvw += (fp[f] - fm[f]) / (2 * h) * w[f];
                    adj += v[f] * vjtw[f];
                }
                assertEquals(jvw, adj, 1e-6 * Math.abs(jvw), "problem " + p);
            }
        }
    }

    @Test
    void advectionAdjointIsBitReproducible() {
        double[] s = states(5), bar = NsTestData.noise(new SplittableRandom(6), PROBLEMS * g.size());
        try (CudaNavierStokes ns = onDevice(CudaDtype.FLOAT64, TIGHT)) {
            assertArrayEquals(ns.advectVjp(s, bar), ns.advectVjp(s, bar), 0.0);
        }
    }

    @ParameterizedTest
    @EnumSource(CgPreconditioner.class)
    void projectionIsDivergenceFreeClosesWallsAndMatchesTheCpu(CgPreconditioner preconditioner) {
        double[] a = NsTestData.noise(new SplittableRandom(7), PROBLEMS * g.size());
        for (int p = 0; p < PROBLEMS; p++) g.maskClosed(a, p * g.size());
        try (CudaNavierStokes ns = onDevice(CudaDtype.FLOAT64, TIGHT, preconditioner)) {
            assertEquals(preconditioner, ns.preconditioner());
            double[] out = ns.project(a);
            int[] iterations = ns.lastCgIterations();
            PressureProjection cpu = new PressureProjection(g, TIGHT, true);
            for (int p = 0; p < PROBLEMS; p++) {
                assertTrue(iterations[p] > 0, "problem " + p + " iterated");
                double[] pa = problem(out, p), before = new double[g.cells()], after = new double[g.cells()];
                cpu.divergence(problem(a, p), before);
                cpu.divergence(pa, after);
                double bound = TIGHT * Math.sqrt(NsTestData.dot(before, before));
                for (int c = 0; c < g.cells(); c++) assertTrue(Math.abs(after[c]) <= bound, "divergence in cell " + c);
                for (int f = 0; f < g.size(); f++) if (!g.open(f)) assertEquals(0.0, pa[f], "closed face " + f);
                double[] want = new double[g.size()];
                cpu.apply(problem(a, p), want);
                assertClose(want, pa, PROJECTION_FACTOR * TIGHT * Math.sqrt(NsTestData.dot(problem(a, p),
                        problem(a, p))) / Math.sqrt(NsTestData.dot(want, want)), "projection, problem " + p);
            }
        }
    }

    /**
     * On these noise fields the emulation measured 198-202 Jacobi, 101-102 SSOR and 15 multigrid
     * iterations (docs/ns.md): SSOR must save at least a third of Jacobi's, multigrid at least two
     * thirds of SSOR's, and all must give the same projection to twice the per-projection bound
     * (each is within it of the exact projection).
     */
    @Test
    void thePreconditionersGiveTheSameProjectionInFewerIterations() {
        double[] a = NsTestData.noise(new SplittableRandom(7), PROBLEMS * g.size());
        for (int p = 0; p < PROBLEMS; p++) g.maskClosed(a, p * g.size());
        CgPreconditioner[] kinds = {CgPreconditioner.JACOBI, CgPreconditioner.RED_BLACK_SSOR,
                CgPreconditioner.MULTIGRID};
        double[][] out = new double[3][];
        int[][] iterations = new int[3][];
        for (int k = 0; k < 3; k++) {
            try (CudaNavierStokes ns = onDevice(CudaDtype.FLOAT64, TIGHT, kinds[k])) {
                out[k] = ns.project(a);
                iterations[k] = ns.lastCgIterations();
            }
        }
        for (int p = 0; p < PROBLEMS; p++) {
            int jacobi = iterations[0][p], ssor = iterations[1][p], mg = iterations[2][p];
            assertTrue(3 * ssor < 2 * jacobi && 3 * mg < ssor,
                    "problem " + p + ": Jacobi " + jacobi + ", SSOR " + ssor + ", multigrid " + mg);
            double[] want = problem(out[0], p);
            double bound = 2 * PROJECTION_FACTOR * TIGHT * Math.sqrt(NsTestData.dot(problem(a, p),
                    problem(a, p))) / Math.sqrt(NsTestData.dot(want, want));
            assertClose(want, problem(out[1], p), bound, "SSOR vs Jacobi projection, problem " + p);
            assertClose(want, problem(out[2], p), bound, "multigrid vs Jacobi projection, problem " + p);
        }
    }

    @ParameterizedTest
    @EnumSource(CgPreconditioner.class)
    void problemsConvergeIndependently(CgPreconditioner preconditioner) {
        double[] a = NsTestData.noise(new SplittableRandom(8), PROBLEMS * g.size());
        for (int p = 0; p < PROBLEMS; p++) g.maskClosed(a, p * g.size());
        // problem 1 already divergence-free: it must stop at iteration 0 and leave the others alone
        try (CudaNavierStokes ns = onDevice(CudaDtype.FLOAT64, TIGHT, preconditioner)) {
            double[] projected = ns.project(a);
            System.arraycopy(projected, g.size(), a, g.size(), g.size());
            double[] batch = ns.project(a);
            int[] iterations = ns.lastCgIterations();
            assertTrue(iterations[1] < iterations[0] && iterations[1] < iterations[2], Arrays.toString(iterations));
            for (int p : new int[] {0, 2}) {
                double[] alone = ns.project(problem(a, p));
                assertArrayEquals(alone, problem(batch, p), 0.0, "problem " + p + " alone and in the batch");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CgPreconditioner.class)
    void stepAndItsAdjointMatchTheCpu(CgPreconditioner preconditioner) {
        double[] s = states(9), bar = NsTestData.noise(new SplittableRandom(10), PROBLEMS * g.size());
        NavierStokes cpu = onCpu(TIGHT);
        try (CudaNavierStokes ns = onDevice(CudaDtype.FLOAT64, TIGHT, preconditioner)) {
            double[] out = ns.step(s), sBar = ns.stepVjp(s, bar);
            for (int p = 0; p < PROBLEMS; p++) {
                assertClose(cpu.step(problem(s, p)), problem(out, p), PROJECTION_FACTOR * TIGHT * 10,
                        "step, problem " + p);
                double[] gpuBar = problem(sBar, p);
                g.maskClosed(gpuBar, 0);
                assertClose(cpu.stepVjp(problem(s, p), problem(bar, p)), gpuBar, PROJECTION_FACTOR * TIGHT * 10,
                        "step VJP, problem " + p);
            }
        }
    }

    /** Targets from other parameters, loss and gradient at a start point: device against CPU. */
    private double[][] rollout(CudaDtype t, double tol, NavierStokes cpu) {
        double[] s0 = states(11);
        double[] truth = {14, 1.0, 1.5, 18, -1.2, 0.8, 10, 0.4, -1.6};
        double[] xi = {12, 0.5, 1.0, 20, -0.6, 1.4, 11, 0.8, -1.0};
        double[] targets = g.observe(cpu.simulate(truth, s0), PROBLEMS);
        int[] rows = {2, 0, 1};
        double[] xiRows = new double[9];
        for (int j = 0; j < 3; j++) System.arraycopy(xi, 3 * rows[j], xiRows, 3 * j, 3);
        double[] loss = new double[3], grad = new double[9], gpuLoss = new double[3], gpuGrad = new double[9];
        cpu.lossAndGradient(rows, xiRows, s0, targets, loss, grad);
        try (CudaNavierStokes ns = onDevice(t, tol);
             DeviceBuffer initials = cuda.memory.buffer(s0.length, t);
             DeviceBuffer obs = cuda.memory.buffer(targets.length, t)) {
            initials.upload(s0);
            obs.upload(targets);
            ns.lossAndGradient(rows, xiRows, initials, obs, gpuLoss, gpuGrad);
            double[] again = new double[3], againGrad = new double[9];
            ns.lossAndGradient(rows, xiRows, initials, obs, again, againGrad);
            assertArrayEquals(gpuLoss, again, 0.0, "loss bit-reproducible");
            assertArrayEquals(gpuGrad, againGrad, 0.0, "gradient bit-reproducible");
            double[] fin = ns.simulate(xi, s0), cpuFin = cpu.simulate(xi, s0);
            return new double[][] {loss, grad, gpuLoss, gpuGrad, cpuFin, fin};
        }
    }

    @Test
    void fullRolloutLossAndGradientMatchTheCpuInFloat64() {
        double[][] r = rollout(CudaDtype.FLOAT64, TIGHT, onCpu(TIGHT));
        double rolloutBound = ROLLOUT_FACTOR * NsTestData.STEPS * TIGHT;
        assertClose(r[4], r[5], rolloutBound, "final states");
        assertClose(r[0], r[2], rolloutBound, "losses");
        assertClose(r[1], r[3], GRADIENT_FACTOR * NsTestData.STEPS * TIGHT, "gradients");
    }

    @Test
    void float32StaysWithinItsStatedBounds() {
        double[] s = states(12);
        NavierStokes cpu = onCpu(TIGHT);
        try (CudaNavierStokes ns = onDevice(CudaDtype.FLOAT32, FLOAT32_TOL)) {
            double[] out = ns.step(s);
            for (int p = 0; p < PROBLEMS; p++) assertClose(cpu.step(problem(s, p)), problem(out, p), FLOAT32_STEP,
                    "float32 step " + p);
        }
        double[][] r = rollout(CudaDtype.FLOAT32, FLOAT32_TOL, cpu);
        assertClose(r[4], r[5], FLOAT32_ROLLOUT, "float32 final states");
        assertClose(r[0], r[2], FLOAT32_ROLLOUT, "float32 losses");
        assertClose(r[1], r[3], FLOAT32_GRADIENT, "float32 gradients");
    }
}
