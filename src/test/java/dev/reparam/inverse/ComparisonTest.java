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
}
