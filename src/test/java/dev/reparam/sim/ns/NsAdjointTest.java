package dev.reparam.sim.ns;

import dev.reparam.tensor.Parallel;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written reverse pass against central differences and the dot-product test, under
 * checkpointing, and across thread counts. Gradient checks use a tight CG tolerance (1e-12) so
 * that the exact-projection adjoint matches the computed forward map.
 */
class NsAdjointTest {
    private static final double TIGHT = 1e-12;
    private final MacGrid g = NsTestData.grid();

    private NavierStokes ns(double tol, int checkpointInterval) {
        return new NavierStokes(g, NsTestData.DT, NsTestData.STEPS, NsTestData.NU, tol, checkpointInterval);
    }

    @Test
    void gradientInForceParametersMatchesCentralDifferences() {
        NavierStokes ns = ns(TIGHT, 3);
        int count = 2;
        double[] s0 = NsTestData.smoothStates(new SplittableRandom(21), g, count);
        double[] targets = g.observe(ns.simulate(new double[] {14, 1.0, 1.5, 18, -1.2, 0.8}, s0), count);
        int[] rows = {0, 1};
        double[] params = {12, 0.5, 1.0, 20, -0.6, 1.4};
        double[] loss = new double[count], grad = new double[3 * count];
        ns.lossAndGradient(rows, params, s0, targets, loss, grad);
        // h: CG noise in the loss (~ tol |loss|) is amplified by 1/h, while larger steps cross
        // interpolation cell boundaries where the bilinear interpolation has kinks
        double[] h = {1e-5, 1e-5, 1e-5};
        double[] lp = new double[count], lm = new double[count], unused = new double[3 * count];
        for (int d = 0; d < 3; d++) {
            double[] pp = params.clone(), pm = params.clone();
            for (int j = 0; j < count; j++) {
                pp[3 * j + d] += h[d];
                pm[3 * j + d] -= h[d];
            }
            ns.lossAndGradient(rows, pp, s0, targets, lp, unused);
            ns.lossAndGradient(rows, pm, s0, targets, lm, unused);
            for (int j = 0; j < count; j++) {
                double fd = (lp[j] - lm[j]) / (2 * h[d]);
                assertTrue(Math.abs(grad[3 * j + d]) > 1e-6, "non-trivial gradient");
                assertEquals(fd, grad[3 * j + d], 1e-5 * Math.abs(fd), "problem " + j + " parameter " + d);
            }
        }
    }

    @Test
    void oneStepPassesTheDotProductTest() {
        NavierStokes ns = ns(TIGHT, 1);
        SplittableRandom rng = new SplittableRandom(31);
        double[] s = NsTestData.smoothStates(rng, g, 1);
        double[] v = NsTestData.noise(rng, g.size()), w = NsTestData.noise(rng, g.size());
        // J v by central differences: the step is polynomial of degree 3 in s within an
        // interpolation cell, so the h^2 truncation is far below the tolerance here
        double h = 1e-6;
        double[] fp = ns.step(NsTestData.axpy(s, h, v)), fm = ns.step(NsTestData.axpy(s, -h, v));
        double jvw = 0;
        for (int f = 0; f < g.size(); f++) jvw += (fp[f] - fm[f]) / (2 * h) * w[f];
        double vjtw = NsTestData.dot(v, ns.stepVjp(s, w));
        assertEquals(jvw, vjtw, 1e-7 * Math.abs(jvw));
    }

    @Test
    void fullRolloutPassesTheDotProductTest() {
        NavierStokes ns = ns(TIGHT, 3);
        SplittableRandom rng = new SplittableRandom(41);
        double[] s = NsTestData.smoothStates(rng, g, 1);
        double[] xi = {13, 1.2, -0.7};
        double[] v = NsTestData.noise(rng, g.size()), w = NsTestData.noise(rng, g.size());
        double[] vXi = {0.3, -0.8, 0.5};
        double h = 1e-6;
        double[] pp = NsTestData.axpy(xi, h, vXi), pm = NsTestData.axpy(xi, -h, vXi);
        double[] fp = ns.simulate(pp, NsTestData.axpy(s, h, v)), fm = ns.simulate(pm, NsTestData.axpy(s, -h, v));
        double jvw = 0;
        for (int f = 0; f < g.size(); f++) jvw += (fp[f] - fm[f]) / (2 * h) * w[f];
        double[] gradXi = new double[3];
        double[] sBar = ns.vectorJacobian(xi, s, w, gradXi);
        double vjtw = NsTestData.dot(v, sBar) + NsTestData.dot(vXi, gradXi);
        assertEquals(jvw, vjtw, 1e-6 * Math.abs(jvw));
    }

    private double[][] gradients(NavierStokes ns, double[] s0, double[] targets) {
        int[] rows = {0, 1};
        double[] params = {12, 0.5, 1.0, 20, -0.6, 1.4};
        double[] loss = new double[2], grad = new double[6], gradInitial = new double[2 * g.size()];
        ns.lossAndGradient(rows, params, s0, targets, loss, grad, gradInitial);
        return new double[][] {loss, grad, gradInitial};
    }

    @Test
    void checkpointingGivesTheSameGradientsAsStoringEveryState() {
        double[] s0 = NsTestData.smoothStates(new SplittableRandom(51), g, 2);
        double[] targets = NsTestData.noise(new SplittableRandom(52), 2 * g.observedSize());
        double[][] all = gradients(ns(1e-5, 1), s0, targets);
        for (int c : new int[] {2, 3, 5, NsTestData.STEPS}) {
            double[][] other = gradients(ns(1e-5, c), s0, targets);
            for (int k = 0; k < 3; k++) assertArrayEquals(all[k], other[k], 0.0, "checkpoint interval " + c);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        int before = Parallel.threads();
        double[] s0 = NsTestData.smoothStates(new SplittableRandom(61), g, 2);
        double[] targets = NsTestData.noise(new SplittableRandom(62), 2 * g.observedSize());
        NavierStokes ns = ns(1e-5, 3);
        try {
            Parallel.setThreads(1);
            double[][] one = gradients(ns, s0, targets);
            double[] simOne = ns.simulate(new double[] {12, 0.5, 1.0, 20, -0.6, 1.4}, s0);
            Parallel.setThreads(2);
            double[][] two = gradients(ns, s0, targets);
            double[] simTwo = ns.simulate(new double[] {12, 0.5, 1.0, 20, -0.6, 1.4}, s0);
            for (int k = 0; k < 3; k++) assertArrayEquals(one[k], two[k], 0.0);
            assertArrayEquals(simOne, simTwo, 0.0);
        } finally {
            Parallel.setThreads(before);
        }
    }
}
