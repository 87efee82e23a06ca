package dev.reparam.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each mask against the Java comparison it replaces, on special values and random bit patterns. */
class BranchFreeTest {
    private static final double[] SPECIAL = {0.0, -0.0, 1.0, -1.0, 2.5, Math.nextUp(1.0), Double.MIN_VALUE,
        -Double.MIN_VALUE, Double.MIN_NORMAL, 1e-310, -1e-310, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        Double.longBitsToDouble(0xFFF8000000000001L), Double.longBitsToDouble(0x7FF0000000000001L)};

    private static void check(double a, double b) {
        assertEquals(b > a ? -1L : 0L, BranchFree.greater(b, a), () -> b + " > " + a);
        assertEquals(a > 0 ? -1L : 0L, BranchFree.positive(a), () -> a + " > 0");
    }

    @Test
    void masksEqualTheComparisonsOnSpecialValues() {
        for (double a : SPECIAL) for (double b : SPECIAL) check(a, b);
    }

    /** Random bits cover every exponent and sign; near-equal pairs probe a - b close to zero. */
    @Test
    void masksEqualTheComparisonsOnRandomBits() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 1_000_000; i++) {
            double a = Double.longBitsToDouble(rng.nextLong());
            double b = switch (i % 3) {
                case 0 -> Double.longBitsToDouble(rng.nextLong());
                case 1 -> Double.longBitsToDouble(Double.doubleToRawLongBits(a) + rng.nextInt(-2, 3));
                default -> -a;
            };
            check(a, b);
        }
    }

    @Test
    void keepAndSelectMoveBitsUnchanged() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(BranchFree.keep(-0.0, -1L)));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(BranchFree.keep(-3.0, 0L)));
        assertEquals(-0.0, BranchFree.select(-1L, -0.0, 5.0));
        assertEquals(5.0, BranchFree.select(0L, -0.0, 5.0));
    }
}
