package dev.reparam.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.LrSchedule;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AdamTest {
    private final Backend backend = CpuBackend.INSTANCE;

    @Test
    void twoStepsMatchHandComputedUpdate() {
        Tensor p = backend.fromHost(new double[] {1.0, -2.0}, 2);
        Tensor g = backend.fromHost(new double[] {0.5, -1.0}, 2);
        Adam adam = new Adam(p, g, AdamOptions.defaults().withLr(0.1));

        assertEquals(Math.sqrt(1.25), adam.step(), 1e-15);
        // Step 1: m = 0.1 g, v = 0.001 g^2, bias-corrected m^ = g, v^ = g^2, so each parameter
        // moves by lr * g / (|g| + eps) = 0.1 * sign(g) (up to eps).
        double[] after1 = {1.0 - 0.1 * 0.5 / (0.5 + 1e-8), -2.0 + 0.1 * 1.0 / (1.0 + 1e-8)};
        assertArrayEquals(after1, p.toHost(), 1e-15);

        // Step 2 with a new gradient (3, 0):
        backend.copyFromHost(new double[] {3.0, 0.0}, g);
        adam.step();
        double[] expected = new double[2];
        double[] g1 = {0.5, -1.0}, g2 = {3.0, 0.0};
        for (int i = 0; i < 2; i++) {
            double m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i];
            double v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i];
            double mHat = m / (1 - 0.81), vHat = v / (1 - 0.999 * 0.999);
            expected[i] = after1[i] - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
        }
        // Hand check of the first coordinate: m = 0.345, v = 0.00924975, m^ = 1.815789..,
        // v^ = 4.627189.., step = 0.1 * 1.815789 / 2.151090 = 0.084412..
        assertEquals(1.0 - 0.1 - 0.0844123, expected[0], 1e-6);
        assertArrayEquals(expected, p.toHost(), 1e-14);
        assertEquals(2, adam.steps());
    }

    @Test
    void convergesOnQuadratic() {
        // f(p) = sum_i c_i (p_i - t_i)^2 / 2, gradient c_i (p_i - t_i).
        double[] c = {1, 10, 0.1, 5};
        double[] t = {3, -1, 0.5, 2};
        Tensor p = backend.zeros(4);
        Tensor g = backend.zeros(4);
        Adam adam = new Adam(p, g, AdamOptions.defaults().withLr(0.05));
        double[] grad = new double[4];
        for (int k = 0; k < 3000; k++) {
            double[] ph = p.toHost();
            for (int i = 0; i < 4; i++) grad[i] = c[i] * (ph[i] - t[i]);
            backend.copyFromHost(grad, g);
            adam.step();
        }
        assertArrayEquals(t, p.toHost(), 1e-3);
    }

    @Test
    void clippingScalesGradientToMaxNorm() {
        // Adam's step is nearly scale-invariant; a large eps makes the gradient's scale visible.
        AdamOptions options = AdamOptions.defaults().withEps(1.0);
        Tensor g = backend.fromHost(new double[] {3.0, -4.0}, 2); // norm 5
        Tensor p = backend.zeros(2);
        Adam clipped = new Adam(p, g, options.withMaxGradNorm(1.0));
        assertEquals(5.0, clipped.step(), 1e-15);
        // Step 1 moves by lr * g' / (|g'| + eps) with the clipped g' = (0.6, -0.8).
        assertArrayEquals(new double[] {-1e-3 * 0.6 / 1.6, 1e-3 * 0.8 / 1.8}, p.toHost(), 1e-18);

        // Over several steps the run equals an unclipped run on the gradient scaled by 1/5.
        Tensor pRef = backend.zeros(2);
        Adam reference = new Adam(pRef, backend.fromHost(new double[] {0.6, -0.8}, 2), options);
        reference.step();
        for (int k = 0; k < 3; k++) {
            assertEquals(5.0, clipped.step(), 1e-15);
            reference.step();
        }
        assertArrayEquals(pRef.toHost(), p.toHost(), 1e-18);

        // Below the threshold nothing is scaled.
        Tensor q = backend.zeros(2);
        new Adam(q, g, options.withMaxGradNorm(10.0)).step();
        assertArrayEquals(new double[] {-1e-3 * 3 / 4, 1e-3 * 4 / 5}, q.toHost(), 1e-18);
    }

    @Test
    void nonFiniteGradientThrowsAndLeavesParametersUntouched() {
        Tensor p = backend.fromHost(new double[] {1.0, 2.0}, 2);
        Tensor g = backend.fromHost(new double[] {Double.NaN, 1.0}, 2);
        Adam adam = new Adam(p, g, AdamOptions.defaults().withMaxGradNorm(1.0));
        IllegalStateException e = assertThrows(IllegalStateException.class, adam::step);
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        assertArrayEquals(new double[] {1.0, 2.0}, p.toHost(), 0);
        assertEquals(0, adam.steps());

        backend.copyFromHost(new double[] {Double.POSITIVE_INFINITY, 0}, g);
        assertThrows(IllegalStateException.class, adam::step);
        assertArrayEquals(new double[] {1.0, 2.0}, p.toHost(), 0);
    }

    @Test
    void cosineScheduleFactorsRunFromOneToTheFloorAndStay() {
        LrSchedule s = LrSchedule.cosine(4, 0.1);
        assertEquals(1.0, s.factor(1), 0);
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)), s.factor(2), 1e-15);
        assertEquals(0.55, s.factor(3), 1e-15);
        assertEquals(0.1, s.factor(5), 1e-15);
        assertEquals(0.1, s.factor(50), 1e-15);
        assertEquals(1.0, LrSchedule.CONSTANT.factor(1000), 0);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(10, 1.5));
    }

    @Test
    void scheduledStepsMoveByTheScheduledRate() {
        // a constant gradient makes every bias-corrected step lr f(k) g / (|g| + eps) exactly
        LrSchedule schedule = LrSchedule.cosine(4, 0.25);
        Tensor p = backend.fromHost(new double[] {1.0, -2.0}, 2);
        Tensor g = backend.fromHost(new double[] {0.5, -1.0}, 2);
        Adam adam = new Adam(p, g, AdamOptions.defaults().withLr(0.1).withSchedule(schedule));
        double[] expected = {1.0, -2.0}, grad = {0.5, -1.0};
        for (int k = 1; k <= 6; k++) {
            adam.step();
            for (int i = 0; i < 2; i++) expected[i] -= 0.1 * schedule.factor(k) * grad[i] / (Math.abs(grad[i]) + 1e-8);
            assertArrayEquals(expected, p.toHost(), 1e-14, "after step " + k);
        }
        // and a floor of 0 stops the parameters once the decay is over
        Adam stopping = new Adam(p, g, AdamOptions.defaults().withLr(0.1).withSchedule(LrSchedule.cosine(2, 0)));
        stopping.step();
        stopping.step();
        double[] atEnd = p.toHost();
        stopping.step();
        assertArrayEquals(atEnd, p.toHost(), 0);
    }
}
