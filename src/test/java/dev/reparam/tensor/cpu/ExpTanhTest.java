package dev.reparam.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ExpTanh against Math.tanh: within its stated 4 ulp plus Math.tanh's own error (fdlibm, under 2.5 ulp). */
class ExpTanhTest {
    private static final double ULPS = 4 + 2.5;

    private static void check(double x) {
        double want = Math.tanh(x), got = ExpTanh.tanh(x);
        assertTrue(Math.abs(got - want) <= ULPS * Math.ulp(want), () -> "tanh(" + x + "): " + got + " vs " + want
                + ", " + Math.abs(got - want) / Math.ulp(want) + " ulp");
    }

    @Test
    void matchesMathTanhOverTheWholeRange() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 2_000_000; i++) check(80 * rng.nextDouble() - 40);
        for (int i = 0; i < 1_000_000; i++) check(2 * rng.nextDouble() - 1);
        // the switch between series and exp, and log-spaced magnitudes down to subnormals
        for (double x = 0.25 - 1e-9; x < 0.25 + 1e-9; x += 1e-12) {
            check(x);
            check(-x);
        }
        for (int e = -1074; e < 10; e++) {
            check(Math.scalb(1.0, e));
            check(-Math.scalb(1.7, e));
        }
    }

    @Test
    void specialValuesMapAsMathTanh() {
        for (double x : new double[] {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE, 19.1, 25}) {
            assertEquals(Double.doubleToLongBits(Math.tanh(x)), Double.doubleToLongBits(ExpTanh.tanh(x)),
                    "tanh(" + x + ")");
        }
    }
}
