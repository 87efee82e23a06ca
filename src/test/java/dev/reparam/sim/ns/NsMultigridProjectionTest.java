package dev.reparam.sim.ns;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multigrid-preconditioned CPU projection: divergence-free, a symmetric preconditioner, the same projection as
 * MIC(0).
 */
class NsMultigridProjectionTest {
    private final MacGrid g = NsTestData.grid();

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    @Test
    void projectedNoiseIsDivergenceFreeToTolerance() {
        double tol = 1e-5;
        PressureProjection proj = new PressureProjection(g, tol, ProjectionPreconditioner.MULTIGRID);
        double[] a = NsTestData.noise(new SplittableRandom(3), g.size());
        double[] before = new double[g.cells()], after = new double[g.cells()], out = new double[g.size()];
        proj.divergence(a, before);
        proj.apply(a, out);
        proj.divergence(out, after);
        double bound = tol * Math.sqrt(NsTestData.dot(before, before));
        assertTrue(maxAbs(before) > 0.5, "the noise field is far from divergence-free");
        assertTrue(maxAbs(after) <= bound, "max |div| " + maxAbs(after) + " vs tol * |div before| " + bound);
        for (int f = 0; f < g.size(); f++) if (!g.open(f)) assertEquals(0.0, out[f], "closed face " + f);
    }

    @Test
    void vcycleIsASymmetricOperatorThatIgnoresSolidCells() {
        PressureProjection proj = new PressureProjection(g, 1e-5, ProjectionPreconditioner.MULTIGRID);
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 5; trial++) {
            double[] x = NsTestData.noise(rng, g.cells()), y = NsTestData.noise(rng, g.cells());
            double[] mx = new double[g.cells()], my = new double[g.cells()];
            proj.precondition(x, mx);
            proj.precondition(y, my);
            double xmy = NsTestData.dot(x, my), ymx = NsTestData.dot(y, mx);
            assertEquals(xmy, ymx, 1e-12 * (Math.abs(xmy) + maxAbs(mx) + maxAbs(my)), "trial " + trial);
            assertTrue(NsTestData.dot(x, mx) > 0, "x.Mx > 0, trial " + trial);
        }
        // solid cells: no input read, zero output (so M is symmetric on the whole cell vector)
        double[] e = new double[g.cells()], me = new double[g.cells()];
        for (int j = 0; j < g.h; j++) for (int i = 0; i < g.w; i++) if (!g.fluid(i, j)) e[j * g.w + i] = 1;
        assertTrue(maxAbs(e) > 0, "the grid has solid cells");
        proj.precondition(e, me);
        assertEquals(0.0, maxAbs(me));
    }

    @Test
    void agreesWithMicToTheCgToleranceInFewerIterations() {
        SplittableRandom rng = new SplittableRandom(9);
        double[] a = NsTestData.noise(rng, g.size());
        // tight tolerance: both solves are exact to roundoff, so the projections coincide
        PressureProjection mic = new PressureProjection(g, 1e-12, ProjectionPreconditioner.MIC);
        PressureProjection mg = new PressureProjection(g, 1e-12, ProjectionPreconditioner.MULTIGRID);
        double[] pm = new double[g.size()], pg = new double[g.size()];
        mic.apply(a, pm);
        mg.apply(a, pg);
        for (int f = 0; f < g.size(); f++) assertEquals(pm[f], pg[f], 1e-9, "face " + f);
        assertTrue(mg.iterations() < mic.iterations() / 2, mg.iterations() + " vs " + mic.iterations());
        // the experiment's tolerance: each result is off from the exact projection by O(tol) of |a|
        double tol = 1e-5;
        mic = new PressureProjection(g, tol, ProjectionPreconditioner.MIC);
        mg = new PressureProjection(g, tol, ProjectionPreconditioner.MULTIGRID);
        mic.apply(a, pm);
        mg.apply(a, pg);
        double diff = 0;
        for (int f = 0; f < g.size(); f++) diff = Math.max(diff, Math.abs(pm[f] - pg[f]));
        assertTrue(diff < 10 * tol * maxAbs(a), "max |P_mic a - P_mg a| " + diff);
    }

    @Test
    void rolloutMatchesMicToTheCgTolerance() {
        double[] s0 = NsTestData.smoothStates(new SplittableRandom(5), g, 1);
        double[] xi = {12, 1.5, -1.0};
        double[] sMic = new NavierStokes(g, NsTestData.DT, NsTestData.STEPS, NsTestData.NU, 1e-10, 3,
                ProjectionPreconditioner.MIC).simulate(xi, s0);
        double[] sMg = new NavierStokes(g, NsTestData.DT, NsTestData.STEPS, NsTestData.NU, 1e-10, 3,
                ProjectionPreconditioner.MULTIGRID).simulate(xi, s0);
        for (int f = 0; f < g.size(); f++) assertEquals(sMic[f], sMg[f], 1e-8 * maxAbs(sMic), "face " + f);
    }

    @Test
    void unknownPreconditionerNameIsOneClearError() {
        assertEquals(ProjectionPreconditioner.MULTIGRID, ProjectionPreconditioner.parse("mg"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProjectionPreconditioner.parse("amg"));
        assertTrue(e.getMessage().contains("'amg'"), e.getMessage());
    }
}
