package dev.reparam.sim.ks;

import dev.reparam.inverse.CentralDifferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written reverse pass against central differences, a tangent-linear model, and itself under checkpointing.
 */
class KsAdjointTest {
    private static final int N = 64, STEPS = 20;
    private static final double L = 22, DT = 0.25;

    private static double[] targets(KuramotoSivashinsky ks, double[] u0, int count) {
        double[] alpha = new double[count], beta = new double[count];
        for (int i = 0; i < count; i++) {
            alpha[i] = -0.5 + 0.4 * i;
            beta[i] = 0.7 + 0.3 * i;
        }
        return ks.simulate(alpha, beta, u0);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        KuramotoSivashinsky ks = new KuramotoSivashinsky(N, L, DT, STEPS);
        int count = 3;
        double[] u0 = KsTestData.initialStates(new SplittableRandom(11), count, N);
        double[] y = targets(ks, u0, count);
        int[] rows = {0, 1, 2};
        double[] params = {0.3, 1.1, -0.2, 0.9, 0.8, 1.4};
        double[] loss = new double[count], grad = new double[2 * count], gradU0 = new double[count * N];
        ks.lossAndGradient(rows, params, u0, y, loss, grad, gradU0);

        double h = 1e-6;
        double[] lp = new double[count], lm = new double[count], unused = new double[2 * count];
        double[] fdParams = CentralDifferences.gradient((p, l) -> ks.lossAndGradient(rows, p, u0, y, l, unused),
                params, 2, h);
        for (int i = 0; i < 2 * count; i++) {
            assertEquals(fdParams[i], grad[i], 1e-7 * Math.abs(fdParams[i]) + 1e-10,
                    "d loss / d " + (i % 2 == 0 ? "alpha" : "beta") + " of problem " + i / 2);
        }
        double worst = 0;
        for (int j : new int[] {0, 17, 40, 63}) {
            double[] up = u0.clone(), um = u0.clone();
            for (int i = 0; i < count; i++) {
                up[i * N + j] += h;
                um[i * N + j] -= h;
            }
            ks.lossAndGradient(rows, params, up, y, lp, unused);
            ks.lossAndGradient(rows, params, um, y, lm, unused);
            for (int i = 0; i < count; i++) {
                double fd = (lp[i] - lm[i]) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - gradU0[i * N + j]) / Math.abs(fd));
                assertEquals(fd, gradU0[i * N + j], 1e-7 * Math.abs(fd) + 1e-10,
                        "d loss / d u0[" + j + "] of problem " + i);
            }
        }
        System.out.printf("KS FD u0 entries: worst relative difference %.2e%n", worst);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, STEPS})
    void dotProductWithTangentLinearModel(int steps) {
        KuramotoSivashinsky ks = new KuramotoSivashinsky(N, L, DT, steps);
        SplittableRandom rng = new SplittableRandom(steps);
        double[] u0 = KsTestData.initialStates(rng, 1, N);
        double alpha = 0.4, beta = 1.2;
        double[] du0 = new double[N], w = new double[N];
        for (int j = 0; j < N; j++) {
            du0[j] = rng.nextGaussian();
            w[j] = rng.nextGaussian();
        }
        double da = rng.nextGaussian(), db = rng.nextGaussian();

        double[] jv = new KsTangent(new EtdCoefficients(N, L, DT)).apply(u0, alpha, beta, steps, du0, da, db);
        double[] grad = new double[2], u0Bar = new double[N];
        assertTrue(ks.vectorJacobian(alpha, beta, u0, w, grad, u0Bar));
        double left = 0, right = da * grad[0] + db * grad[1];
        for (int j = 0; j < N; j++) {
            left += jv[j] * w[j];
            right += du0[j] * u0Bar[j];
        }
        double rel = Math.abs(left - right) / Math.abs(left);
        System.out.printf("KS dot-product test, %d steps: <Jv, w> = %.15e, <v, J^T w> = %.15e, rel %.2e%n", steps,
                left, right, rel);
        assertTrue(rel < 1e-12, "relative mismatch " + rel);
    }

    @Test
    void tangentModelMatchesCentralDifferences() {
        // guards the dot-product test against a wrong tangent model
        KuramotoSivashinsky ks = new KuramotoSivashinsky(N, L, DT, STEPS);
        double[] u0 = KsTestData.initialStates(new SplittableRandom(4), 1, N);
        double[] du0 = KsTestData.initialStates(new SplittableRandom(5), 1, N);
        double h = 1e-6;
        double[] up = u0.clone(), um = u0.clone();
        for (int j = 0; j < N; j++) {
            up[j] += h * du0[j];
            um[j] -= h * du0[j];
        }
        double[] fp = ks.simulate(new double[] {0.4 + h * 0.5}, new double[] {1.2 - h * 0.3}, up);
        double[] fm = ks.simulate(new double[] {0.4 - h * 0.5}, new double[] {1.2 + h * 0.3}, um);
        double[] jv = new KsTangent(new EtdCoefficients(N, L, DT)).apply(u0, 0.4, 1.2, STEPS, du0, 0.5, -0.3);
        for (int j = 0; j < N; j++) assertEquals((fp[j] - fm[j]) / (2 * h), jv[j], 1e-6 * KsTestData.maxAbs(jv));
    }

    @Test
    void checkpointIntervalDoesNotChangeGradients() {
        int count = 2;
        double[] u0 = KsTestData.initialStates(new SplittableRandom(8), count, N);
        int[] rows = {0, 1};
        double[] params = {0.3, 1.1, -0.6, 0.7};
        double[] y = targets(new KuramotoSivashinsky(N, L, DT, STEPS), u0, count);
        double[] loss1 = new double[count], grad1 = new double[2 * count], gu1 = new double[count * N];
        new KuramotoSivashinsky(N, L, DT, STEPS, 1).lossAndGradient(rows, params, u0, y, loss1, grad1, gu1);
        for (int c : new int[] {3, 5, 7, STEPS, STEPS + 5}) {
            double[] loss = new double[count], grad = new double[2 * count], gu = new double[count * N];
            new KuramotoSivashinsky(N, L, DT, STEPS, c).lossAndGradient(rows, params, u0, y, loss, grad, gu);
            assertArrayEquals(loss1, loss, 0.0, "loss, checkpoint interval " + c);
            assertArrayEquals(grad1, grad, 0.0, "gradient, checkpoint interval " + c);
            assertArrayEquals(gu1, gu, 0.0, "u0 gradient, checkpoint interval " + c);
        }
    }
}
