package dev.reparam.inverse;

/**
 * Per-problem comparison of a method's losses with BFGS's, with the protocol's tolerance:
 * equal when |La - Lb| <= tol max(La, Lb) + 1e-12, tol = {@link #DEFAULT_TIE_TOLERANCE} unless
 * asked otherwise (the paper does not define "equal"; docs/experiments.md shows how the equal
 * shares move with tol). A non-finite loss is never better: a method's NaN or infinite loss is
 * worse than a finite BFGS loss, a finite loss is better than a non-finite BFGS loss, and where
 * both are non-finite nothing can be said ({@code undefined}).
 */
public record Comparison(double better, double equal, double worse, double undefined) {
    /** Relative: two losses that agree to about five digits are the same answer. */
    public static final double DEFAULT_TIE_TOLERANCE = 1e-5;

    public static boolean equalLosses(double a, double b) {
        return equalLosses(a, b, DEFAULT_TIE_TOLERANCE);
    }

    public static boolean equalLosses(double a, double b, double tieTolerance) {
        return Math.abs(a - b) <= tieTolerance * Math.max(a, b) + 1e-12;
    }

    /** Fractions of problems where {@code losses} is lower than, equal to, or higher than {@code bfgsLosses}. */
    public static Comparison of(double[] losses, double[] bfgsLosses) {
        return of(losses, bfgsLosses, DEFAULT_TIE_TOLERANCE);
    }

    /** {@link #of(double[], double[])} with relative tie tolerance {@code tieTolerance} (>= 0). */
    public static Comparison of(double[] losses, double[] bfgsLosses, double tieTolerance) {
        if (losses.length != bfgsLosses.length || losses.length == 0) {
            throw new IllegalArgumentException("comparison needs two non-empty loss arrays of equal length");
        }
        if (!(tieTolerance >= 0 && tieTolerance < 1)) {
            throw new IllegalArgumentException("tie tolerance must be in [0, 1), got " + tieTolerance);
        }
        int better = 0, equal = 0, worse = 0, undefined = 0;
        for (int i = 0; i < losses.length; i++) {
            double a = losses[i], b = bfgsLosses[i];
            boolean aFinite = Double.isFinite(a), bFinite = Double.isFinite(b);
            if (!aFinite && !bFinite) undefined++;
            else if (!aFinite) worse++;
            else if (!bFinite) better++;
            else if (equalLosses(a, b, tieTolerance)) equal++;
            else if (a < b) better++;
            else worse++;
        }
        double n = losses.length;
        return new Comparison(better / n, equal / n, worse / n, undefined / n);
    }
}
