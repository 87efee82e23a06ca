package dev.reparam.sim.ns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pressure projection: divergence-free to the CG tolerance, no flow through walls and obstacles, symmetric. */
class NsProjectionTest {
    private final MacGrid g = NsTestData.grid();

    private static double norm(double[] a) {
        return Math.sqrt(NsTestData.dot(a, a));
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    private void assertClosedFacesZero(double[] s) {
        int closed = 0;
        for (int f = 0; f < g.size(); f++) {
            if (!g.open(f)) {
                closed++;
                assertEquals(0.0, s[f], "closed face " + f);
            }
        }
        // walls alone: 2 H + 2 W faces; the obstacles add their faces
        assertTrue(closed > 2 * (g.w + g.h), "obstacles close faces");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void projectedNoiseIsDivergenceFreeToToleranceInEveryFluidCell(boolean preconditioned) {
        double tol = 1e-5;
        PressureProjection proj = new PressureProjection(g, tol, preconditioned);
        double[] a = NsTestData.noise(new SplittableRandom(3), g.size());
        double[] before = new double[g.cells()], after = new double[g.cells()], out = new double[g.size()];
        proj.divergence(a, before);
        proj.apply(a, out);
        proj.divergence(out, after);
        // the divergence after projection is the CG residual, so each cell is bounded by its norm
        double bound = tol * norm(before);
        assertTrue(maxAbs(before) > 0.5, "the noise field is far from divergence-free");
        assertTrue(maxAbs(after) <= bound, "max |div| " + maxAbs(after) + " vs tol * |div before| " + bound);
        assertClosedFacesZero(out);
    }

    @Test
    void rolloutStaysDivergenceFreeWithNoFlowThroughClosedFaces() {
        NavierStokes ns = new NavierStokes(g, NsTestData.DT, NsTestData.STEPS, NsTestData.NU);
        double[] s0 = NsTestData.smoothStates(new SplittableRandom(5), g, 1);
        double[] sT = ns.simulate(new double[] {12, 1.5, -1.0}, s0);
        double[] div = new double[g.cells()];
        new PressureProjection(g, 1e-5, false).divergence(sT, div);
        // relative to the velocity scale: each step's residual is 1e-5 of its pre-projection divergence
        assertTrue(maxAbs(div) < 1e-5 * maxAbs(sT), "max |div| " + maxAbs(div) + " at max |u| " + maxAbs(sT));
        assertClosedFacesZero(sT);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void projectionIsSymmetricAndIdempotent(boolean preconditioned) {
        PressureProjection proj = new PressureProjection(g, 1e-12, preconditioned);
        SplittableRandom rng = new SplittableRandom(7);
        double[] a = NsTestData.noise(rng, g.size()), b = NsTestData.noise(rng, g.size());
        g.maskClosed(a, 0);
        g.maskClosed(b, 0);
        double[] pa = new double[g.size()], pb = new double[g.size()], ppa = new double[g.size()];
        proj.apply(a, pa);
        proj.apply(b, pb);
        proj.apply(pa, ppa);
        double lhs = NsTestData.dot(pa, b), rhs = NsTestData.dot(a, pb);
        assertEquals(lhs, rhs, 1e-10 * Math.abs(lhs));
        for (int f = 0; f < g.size(); f++) assertEquals(pa[f], ppa[f], 1e-9);
    }

    @Test
    void preconditionedAndPlainSolvesGiveTheSameProjectionInFewerIterations() {
        PressureProjection plain = new PressureProjection(g, 1e-12, false),
                mic = new PressureProjection(g, 1e-12, true);
        double[] a = NsTestData.noise(new SplittableRandom(9), g.size());
        double[] pa = new double[g.size()], pm = new double[g.size()];
        plain.apply(a, pa);
        mic.apply(a, pm);
        for (int f = 0; f < g.size(); f++) assertEquals(pa[f], pm[f], 1e-9);
        assertTrue(mic.iterations() < plain.iterations(), mic.iterations() + " vs " + plain.iterations());
    }
}
