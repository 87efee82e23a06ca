package dev.reparam.report;

import org.knowm.xchart.style.XYStyler;

/**
 * The range and labelling of a logarithmic y axis over data in [lo, hi]. XChart 3.8 puts ticks at
 * every 1..9 x 10^k and labels either all of them or only the decades, nothing in between. Labels
 * on all ticks overlap once the axis spans much more than a decade (9 and 10 x 10^k are 0.046
 * decades apart), and decade labels alone leave a short axis with one label or none. So: all
 * ticks up to {@link #MAX_SPAN_ALL_LABELS} decades, decades beyond that; and where the range would
 * hold only one labelled tick, it is widened to the next ones (ticks or decades) around the data.
 *
 * @param decadeOnly label only the decades 10^k
 */
record LogAxis(double min, double max, boolean decadeOnly) {
    /**
     * Largest span (decades) at which every tick is labelled: on the 600 px figures the labels of
     * 9 and 10 x 10^k are then about 17 px apart, clear of each other.
     */
    static final double MAX_SPAN_ALL_LABELS = 1.2;
    /**
     * One significant digit in scientific notation (1E-3, 2E-3): enough for ticks at j x 10^k, and equally short on
     * every axis.
     */
    static final String PATTERN = "0E0";
    /** Rounding allowance when deciding whether a value is a power of ten. */
    private static final double EPS = 1e-9;

    LogAxis {
        requireRange(min, max);
    }

    private static void requireRange(double min, double max) {
        if (!(min > 0) || !(max >= min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("log axis needs 0 < min <= max < inf, got [" + min + ", " + max + "]");
        }
    }

    /** The axis for data in [lo, hi] (positive and finite). */
    static LogAxis of(double lo, double hi) {
        requireRange(lo, hi);
        double a = Math.log10(lo), b = Math.log10(hi);
        if (b - a <= MAX_SPAN_ALL_LABELS) {
            if (tickAtOrAbove(lo) < tickAtOrBelow(hi)) return new LogAxis(lo, hi, false);
            // at most one tick inside (data within a step such as 5.0E-2..5.4E-2): out to the ticks around it
            double min = tickAtOrBelow(lo), max = tickAtOrAbove(hi);
            return new LogAxis(min, max > min ? max : tickAbove(max), false);
        }
        int first = (int) Math.ceil(a - EPS), last = (int) Math.floor(b + EPS);
        if (last > first) return new LogAxis(lo, hi, true);
        // a span over one decade holds at least one power of ten; this one holds exactly one
        double below = a - (first - 1), above = (last + 1) - b;
        return below <= above ? new LogAxis(Math.pow(10, first - 1), hi, true)
                : new LogAxis(lo, Math.pow(10, last + 1), true);
    }

    /** The largest tick j x 10^k (j = 1..9) at or below v. */
    static double tickAtOrBelow(double v) {
        int k = (int) Math.floor(Math.log10(v) + EPS);
        double unit = Math.pow(10, k);
        return Math.max(1, Math.floor(v / unit + EPS)) * unit;
    }

    /** The smallest tick j x 10^k (j = 1..10) at or above v. */
    static double tickAtOrAbove(double v) {
        int k = (int) Math.floor(Math.log10(v) + EPS);
        double unit = Math.pow(10, k);
        return Math.max(1, Math.ceil(v / unit - EPS)) * unit;
    }

    /** The tick after the tick t. */
    private static double tickAbove(double t) {
        int k = (int) Math.floor(Math.log10(t) + EPS);
        double unit = Math.pow(10, k);
        return (Math.round(t / unit) + 1) * unit;
    }

    void applyToY(XYStyler styler) {
        styler.setYAxisLogarithmic(true);
        styler.setYAxisLogarithmicDecadeOnly(decadeOnly);
        styler.setYAxisMin(min);
        styler.setYAxisMax(max);
        styler.setYAxisDecimalPattern(PATTERN);
    }
}
