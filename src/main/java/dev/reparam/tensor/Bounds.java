package dev.reparam.tensor;

import java.util.Arrays;

/**
 * Per-dimension box [lo, hi] for a problem's unknowns. Bounded dimensions are optimised through
 * xi = mid + half * tanh(z) (the paper's scaled tanh), so every method, BFGS included, works on
 * the same unconstrained problem in z. A dimension with infinite bounds maps z to xi unchanged.
 */
public final class Bounds {
    private final double[] lo;
    private final double[] hi;

    public Bounds(double[] lo, double[] hi) {
        if (lo.length != hi.length) {
            throw new IllegalArgumentException("bounds: " + lo.length + " lower but " + hi.length + " upper values");
        }
        if (lo.length == 0) throw new IllegalArgumentException("bounds: a problem needs at least one unknown");
        for (int d = 0; d < lo.length; d++) {
            boolean bothInfinite = lo[d] == Double.NEGATIVE_INFINITY && hi[d] == Double.POSITIVE_INFINITY;
            if (!bothInfinite && !(Double.isFinite(lo[d]) && Double.isFinite(hi[d]))) {
                throw new IllegalArgumentException("bounds of dimension " + d
                        + " must both be finite (or both infinite), got [" + lo[d] + ", " + hi[d] + "]");
            }
            if (!(lo[d] < hi[d])) {
                throw new IllegalArgumentException("bounds of dimension " + d + ": lo must be < hi, got [" + lo[d]
                        + ", " + hi[d] + "]");
            }
            // xi = mid + half tanh(z) needs a finite width: [-1e308, 1e308] overflows to infinity
            if (!bothInfinite && !Double.isFinite(hi[d] - lo[d])) {
                throw new IllegalArgumentException("bounds of dimension " + d + ": the width hi - lo of [" + lo[d]
                        + ", " + hi[d] + "] overflows a double");
            }
        }
        this.lo = lo.clone();
        this.hi = hi.clone();
    }

    public static Bounds of(double lo, double hi) {
        return new Bounds(new double[] {lo}, new double[] {hi});
    }

    public static Bounds unbounded(int dim) {
        double[] lo = new double[dim], hi = new double[dim];
        Arrays.fill(lo, Double.NEGATIVE_INFINITY);
        Arrays.fill(hi, Double.POSITIVE_INFINITY);
        return new Bounds(lo, hi);
    }

    public int dim() { return lo.length; }
    public double lo(int d) { return lo[d]; }
    public double hi(int d) { return hi[d]; }

    public boolean isBounded(int d) {
        return Double.isFinite(lo[d]);
    }

    /** Midpoints (0 for unbounded dimensions). */
    public double[] mid() {
        double[] m = new double[lo.length];
        for (int d = 0; d < m.length; d++) m[d] = isBounded(d) ? 0.5 * (lo[d] + hi[d]) : 0.0;
        return m;
    }

    /** Half-widths (NaN-free: 1 for unbounded dimensions, where the map is the identity). */
    public double[] half() {
        double[] h = new double[lo.length];
        for (int d = 0; d < h.length; d++) h[d] = isBounded(d) ? 0.5 * (hi[d] - lo[d]) : 1.0;
        return h;
    }

    /** xi = mid + half tanh(z) on bounded dimensions, xi = z otherwise; rows of length dim. */
    public void toPhysical(double[] z, double[] xi) {
        int dim = dim();
        for (int i = 0; i < z.length; i++) {
            int d = i % dim;
            xi[i] = isBounded(d) ? 0.5 * (lo[d] + hi[d]) + 0.5 * (hi[d] - lo[d]) * Math.tanh(z[i]) : z[i];
        }
    }

    /** d xi / d z, elementwise. */
    public void jacobianDiagonal(double[] z, double[] out) {
        int dim = dim();
        for (int i = 0; i < z.length; i++) {
            int d = i % dim;
            double t = Math.tanh(z[i]);
            out[i] = isBounded(d) ? 0.5 * (hi[d] - lo[d]) * (1 - t * t) : 1.0;
        }
    }

    /**
     * z with toPhysical(z) = xi. Points on or outside the boundary are pulled just inside, where
     * tanh is still invertible (|u| <= 1 - 1e-12), so a network answer that saturated its output
     * still gives BFGS a finite starting point.
     */
    public void toUnconstrained(double[] xi, double[] z) {
        int dim = dim();
        for (int i = 0; i < xi.length; i++) {
            int d = i % dim;
            if (!isBounded(d)) {
                z[i] = xi[i];
                continue;
            }
            double u = (xi[i] - 0.5 * (lo[d] + hi[d])) / (0.5 * (hi[d] - lo[d]));
            u = Math.max(-1 + 1e-12, Math.min(1 - 1e-12, u));
            z[i] = 0.5 * Math.log((1 + u) / (1 - u));
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < lo.length; d++) b.append(d == 0 ? "" : ", ").append('[').append(lo[d]).append(", ")
                .append(hi[d]).append(']');
        return b.toString();
    }
}
