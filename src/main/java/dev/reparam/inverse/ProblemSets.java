package dev.reparam.inverse;

import dev.reparam.tensor.Bounds;

import java.util.Arrays;

/** Checks of user-supplied problem sets, run by every method before any work starts. */
public final class ProblemSets {
    private ProblemSets() {}

    /** The indices 0..n-1: "every problem" for {@link ProblemSet#lossAndGradient}. */
    public static int[] all(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        return all;
    }

    /** Throws an IllegalArgumentException naming the first bad input found. */
    public static void validate(ProblemSet p) {
        validate(p, 0);
    }

    /**
     * As {@link #validate(ProblemSet)} for problems [first, first + n) of a larger set (an MPI
     * rank's part): a bad problem is named by its index in the whole set.
     */
    public static void validate(ProblemSet p, int first) {
        if (p.size() <= 0) throw new IllegalArgumentException("problem set: n must be >= 1, got " + p.size());
        Bounds b = p.bounds();
        double[] guess = p.initialGuess();
        if (guess.length != b.dim()) {
            throw new IllegalArgumentException("initial guess has " + guess.length + " values for " + b.dim()
                    + " unknowns");
        }
        for (int d = 0; d < guess.length; d++) {
            if (!(guess[d] >= b.lo(d) && guess[d] <= b.hi(d))) {
                throw new IllegalArgumentException("initial guess " + guess[d] + " of dimension " + d
                        + " lies outside its bounds " + b);
            }
        }
        checkArray("observations", p.observations(), p.size(), p.observationShape(), first);
        if (p.inputs() != null) checkArray("inputs x_i", p.inputs(), p.size(), p.inputShape(), first);
    }

    /**
     * Throws an IllegalArgumentException when a problem's loss at the initial guess is not
     * finite: every optimiser starts there, and data that overflows the loss (observations of
     * size 1e300, say) would otherwise come back as a table of NaN. Costs one loss evaluation.
     */
    public static void requireFiniteStart(ProblemSet p) {
        requireFiniteStart(p, 0);
    }

    /** As {@link #requireFiniteStart(ProblemSet)}, naming problems by index from {@code first}. */
    public static void requireFiniteStart(ProblemSet p, int first) {
        int n = p.size(), dim = p.dim();
        double[] guess = p.initialGuess(), xi = new double[n * dim], loss = new double[n],
                gradient = new double[n * dim];
        for (int i = 0; i < n; i++) System.arraycopy(guess, 0, xi, i * dim, dim);
        p.lossAndGradient(all(n), xi, loss, gradient);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(loss[i])) {
                throw new IllegalArgumentException("problem " + (first + i) + ": the loss at the initial guess is "
                        + loss[i] + " (are the observations far too large, or the bounds?); rescale the data");
            }
        }
    }

    private static void checkArray(String what, double[] values, int n, int[] rowShape, int first) {
        if (values == null || rowShape == null) throw new IllegalArgumentException(what + ": missing");
        long row = 1;
        for (int s : rowShape) row *= s;
        if (values.length != n * row) {
            throw new IllegalArgumentException(what + ": expected " + n + " x " + Arrays.toString(rowShape)
                    + " = " + n * row + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + ": value " + values[i] + " of problem " + (first + i / row)
                        + " (element " + (i % row) + ") is not finite");
            }
        }
    }
}
