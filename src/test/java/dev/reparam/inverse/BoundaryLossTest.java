package dev.reparam.inverse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BoundaryLossTest {
    @Test
    void zeroInsideLinearOutsideWithHandComputedValues() {
        BoundaryLoss b = new BoundaryLoss(new double[] {0}, new double[] {2});
        double[] xi = {1.5, 0.3, -1.0, -3.0}, value = new double[4], grad = new double[4];
        b.evaluate(xi, value, grad);
        assertArrayEquals(new double[] {0.1 * 0.5, 0, 0, 0.1 * 2.0}, value, 1e-15);
        assertArrayEquals(new double[] {0.1, 0, 0, -0.1}, grad, 0.0);
    }

    @Test
    void sumsOverDimensionsOfEachRowAndIgnoresInfiniteWidths() {
        BoundaryLoss b = new BoundaryLoss(new double[] {128, 0, 5}, new double[] {128, 1, Double.POSITIVE_INFINITY});
        // row 0: 200 is 8 past 192; -1 is 0.5 past -0.5; 1e9 is never penalised. row 1: inside.
        double[] xi = {200, -1, 1e9, 100, 0.2, -1e9}, value = new double[2], grad = new double[6];
        b.evaluate(xi, value, grad);
        assertArrayEquals(new double[] {0.1 * 8.5, 0}, value, 1e-12);
        assertArrayEquals(new double[] {0.1, -0.1, 0, 0, 0, 0}, grad, 0.0);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        BoundaryLoss b = new BoundaryLoss(new double[] {1, -2}, new double[] {3, 0.5});
        double[] xi = {3.7, -2.1, -0.9, -1.0, 1.2, -2.6}, value = new double[3], grad = new double[6];
        b.evaluate(xi, value, grad);
        double h = 1e-6;
        for (int i = 0; i < xi.length; i++) {
            double[] up = xi.clone(), down = xi.clone(), vu = new double[3], vd = new double[3];
            up[i] += h;
            down[i] -= h;
            b.evaluate(up, vu, new double[6]);
            b.evaluate(down, vd, new double[6]);
            assertEquals((vu[i / 2] - vd[i / 2]) / (2 * h), grad[i], 1e-8, "element " + i);
        }
    }
}
