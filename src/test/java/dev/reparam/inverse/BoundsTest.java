package dev.reparam.inverse;

import dev.reparam.tensor.Bounds;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundsTest {
    private final Bounds b = new Bounds(new double[] {64, Double.NEGATIVE_INFINITY},
            new double[] {192, Double.POSITIVE_INFINITY});

    @Test
    void scaledTanhRoundTripsAndZeroIsTheMiddle() {
        double[] z = {0.0, 0.7, -1.3, -2.5};
        double[] xi = new double[4], back = new double[4];
        b.toPhysical(z, xi);
        assertEquals(128, xi[0], 0);
        assertEquals(0.7, xi[1], 0);
        assertEquals(128 + 64 * Math.tanh(-1.3), xi[2], 1e-12);
        b.toUnconstrained(xi, back);
        assertArrayEquals(z, back, 1e-12);
    }

    @Test
    void jacobianMatchesFiniteDifferences() {
        double[] z = {0.4, 3.0}, j = new double[2], p = new double[2], m = new double[2];
        b.jacobianDiagonal(z, j);
        b.toPhysical(new double[] {0.4 + 1e-6, 3.0 + 1e-6}, p);
        b.toPhysical(new double[] {0.4 - 1e-6, 3.0 - 1e-6}, m);
        assertEquals((p[0] - m[0]) / 2e-6, j[0], 1e-6);
        assertEquals(1.0, j[1], 0);
    }

    @Test
    void saturatedAnswersStillGiveFiniteStartingPoints() {
        double[] z = new double[2];
        b.toUnconstrained(new double[] {192, 5}, z);
        assertTrue(Double.isFinite(z[0]) && z[0] > 10);
    }

    @Test
    void badBoundsAreRejectedWithTheDimensionNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bounds.of(5, 5));
        assertTrue(e.getMessage().contains("dimension 0") && e.getMessage().contains("lo must be < hi"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bounds.of(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.of(0, Double.POSITIVE_INFINITY));
    }
}
