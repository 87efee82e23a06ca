package dev.reparam.sim.ks;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A blow-up is confined to its own problem; batching never changes a problem's numbers. */
class KsDivergenceTest {
    private static final int N = 64, STEPS = 20, COUNT = 4, BLOWN = 2;
    private final KuramotoSivashinsky ks = new KuramotoSivashinsky(N, 22, 0.25, STEPS);

    /** Problem BLOWN starts with amplitude 1e3, far beyond what the explicit nonlinear stage tolerates at dt = 0.25. */
    private static double[] initialStates() {
        double[] u0 = KsTestData.initialStates(new SplittableRandom(21), COUNT, N);
        for (int j = 0; j < N; j++) u0[BLOWN * N + j] *= 1e3;
        return u0;
    }

    private static double[] row(double[] x, int i, int width) {
        return Arrays.copyOfRange(x, i * width, (i + 1) * width);
    }

    @Test
    void simulateFlagsOnlyTheBlownProblem() {
        double[] u0 = initialStates();
        double[] alpha = {0.1, -0.3, 0.5, 0.9}, beta = {0.6, 1.0, 1.3, 1.5};
        boolean[] diverged = new boolean[COUNT];
        double[] uT = ks.simulate(alpha, beta, u0, diverged);
        for (int i = 0; i < COUNT; i++) {
            assertEquals(i == BLOWN, diverged[i], "diverged flag of problem " + i);
            double[] alone = ks.simulate(new double[] {alpha[i]}, new double[] {beta[i]}, row(u0, i, N));
            assertArrayEquals(alone, row(uT, i, N), 0.0, "problem " + i + " alone vs in the batch");
        }
        assertTrue(Double.isNaN(uT[BLOWN * N]));
    }

    @Test
    void lossIsInfiniteWithZeroGradientOnlyForTheBlownProblem() {
        double[] u0 = initialStates();
        double[] y = KsTestData.initialStates(new SplittableRandom(22), COUNT, N);
        int[] rows = {3, BLOWN, 0, 1};
        double[] params = {0.2, 0.9, 0.4, 1.1, -0.7, 1.4, 0.0, 0.5};
        double[] loss = new double[COUNT], grad = new double[2 * COUNT], gu = new double[COUNT * N];
        ks.lossAndGradient(rows, params, u0, y, loss, grad, gu);
        for (int j = 0; j < COUNT; j++) {
            double[] l1 = new double[1], g1 = new double[2], gu1 = new double[N];
            ks.lossAndGradient(new int[] {0}, row(params, j, 2), row(u0, rows[j], N), row(y, rows[j], N), l1, g1, gu1);
            assertEquals(l1[0], loss[j], 0.0, "loss of row " + j);
            assertArrayEquals(g1, row(grad, j, 2), 0.0, "gradient of row " + j);
            assertArrayEquals(gu1, row(gu, j, N), 0.0, "u0 gradient of row " + j);
            if (rows[j] == BLOWN) {
                assertEquals(Double.POSITIVE_INFINITY, loss[j]);
                assertArrayEquals(new double[2], row(grad, j, 2), 0.0);
            } else {
                assertTrue(Double.isFinite(loss[j]));
                assertFalse(grad[2 * j] == 0 && grad[2 * j + 1] == 0, "row " + j + " has a gradient");
            }
        }
    }
}
