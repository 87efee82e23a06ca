package dev.reparam.inverse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void aLooserToleranceTurnsNearMissesIntoTies() {
        double[] bfgs = {1.0, 1.0, 1.0};
        double[] method = {0.999, 1.002, 0.9};
        Comparison strict = Comparison.of(method, bfgs);
        assertEquals(2.0 / 3, strict.better(), 1e-15);
        assertEquals(0.0, strict.equal(), 1e-15);
        // at 1e-2: 0.999 and 1.002 are ties, 0.9 (10% lower) stays better
        Comparison loose = Comparison.of(method, bfgs, 1e-2);
        assertEquals(1.0 / 3, loose.better(), 1e-15);
        assertEquals(2.0 / 3, loose.equal(), 1e-15);
        assertEquals(0.0, loose.worse(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Comparison.of(method, bfgs, -1e-3));
        assertThrows(IllegalArgumentException.class, () -> Comparison.of(method, bfgs, Double.NaN));
    }
}
