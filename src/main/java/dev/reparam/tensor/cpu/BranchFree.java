package dev.reparam.tensor.cpu;

/**
 * Comparisons as all-ones / all-zero long masks, for elementwise loops over data whose signs are
 * unpredictable (ReLU inputs, pooling windows). A ternary on a double compiles to a branch that
 * mispredicts about half the time there, and the JIT of JDK 17 does not vectorise conditional
 * moves; integer masks and bit selects it does vectorise. Each mask equals the Java comparison it
 * names for every double, NaN, infinities, subnormals and signed zeros included (BranchFreeTest).
 */
final class BranchFree {
    private static final long INFINITY_BITS = 0x7FF0000000000000L;

    private BranchFree() {}

    /** -1 (all ones) iff {@code x > 0}, else 0. */
    static long positive(double x) {
        long b = Double.doubleToRawLongBits(x);
        // x > 0 exactly when its bits, read as a signed long, lie in [1, +infinity's bits]:
        // -b is negative for b >= 1, and b - (inf + 1) is negative for b <= inf (both are
        // non-negative or wrap to non-negative for -0.0, the negatives and the NaNs).
        return ((-b) & (b - (INFINITY_BITS + 1))) >> 63;
    }

    /** -1 iff {@code b > a}, else 0. */
    static long greater(double b, double a) {
        // b > a exactly when a - b is negative, non-zero and not NaN: its bits lie in
        // (-0.0's bits, -infinity's bits]. a - b is 0 only when a == b (gradual underflow), and
        // is NaN for inf - inf and any NaN operand. Shifting by Long.MAX_VALUE maps that range
        // onto [0, +infinity's bits) so one sign test on each end decides it.
        long t = Double.doubleToRawLongBits(a - b) + Long.MAX_VALUE;
        return ~(t >> 63) & ((t - INFINITY_BITS) >> 63);
    }

    /** {@code value} where the mask is set, +0.0 where it is clear. */
    static double keep(double value, long mask) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(value) & mask);
    }

    /** {@code ifSet} where the mask is set, {@code ifClear} where it is clear. */
    static double select(long mask, double ifSet, double ifClear) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(ifSet) & mask)
                | (Double.doubleToRawLongBits(ifClear) & ~mask));
    }
}
