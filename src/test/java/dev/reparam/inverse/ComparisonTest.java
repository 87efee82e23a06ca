package dev.reparam.inverse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ComparisonTest {
    @Test
    void countsBetterEqualWorseWithTheProtocolTolerance() {
        double[] bfgs = {1.0, 1.0, 1.0, 1e-14, 2.0};
        // 1 - 5e-6 is within 1e-5 relative: equal; 0.5 better; 1.5 worse; tiny losses equal by the
        // absolute 1e-12 term; 1.9999 is 5e-5 relative away: better.
        double[] method = {1 - 5e-6, 0.5, 1.5, 5e-13, 1.9999};
        Comparison c = Comparison.of(method, bfgs);
        assertEquals(0.4, c.better(), 1e-15);
        assertEquals(0.4, c.equal(), 1e-15);
        assertEquals(0.2, c.worse(), 1e-15);
    }

    @Test
    void nonFiniteLossesAreNeverBetter() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        // method NaN vs finite: worse; finite vs BFGS inf: better; both non-finite: undefined
        Comparison c = Comparison.of(new double[] {nan, inf, 1.0, nan}, new double[] {1.0, 2.0, nan, inf});
        assertEquals(0.25, c.better(), 1e-15);
        assertEquals(0.0, c.equal(), 1e-15);
        assertEquals(0.5, c.worse(), 1e-15);
        assertEquals(0.25, c.undefined(), 1e-15);
        assertEquals(1.0, Comparison.of(new double[] {nan, nan}, new double[] {nan, nan}).undefined(), 1e-15);
    }
}
