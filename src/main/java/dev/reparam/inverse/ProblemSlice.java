package dev.reparam.inverse;

import dev.reparam.tensor.Bounds;

import java.util.Arrays;

/**
 * Problems [start, end) of a problem set as a set of their own: a rank's part of a data-parallel
 * run. Data and true parameters are copies of the rows; losses are the base's, at the shifted
 * indices, so each problem's loss is computed exactly as in the whole set.
 */
public final class ProblemSlice implements ProblemSet {
    private final ProblemSet base;
    private final int start, end;
    private final double[] observations, inputs, truth;

    public ProblemSlice(ProblemSet base, int start, int end) {
        if (start < 0 || end < start || end > base.size()) {
            throw new IllegalArgumentException("problems [" + start + ", " + end + ") of " + base.size());
        }
        this.base = base;
        this.start = start;
        this.end = end;
        observations = rows(base.observations(), base.size());
        inputs = rows(base.inputs(), base.size());
        truth = rows(base.trueParameters(), base.size());
    }

    private double[] rows(double[] all, int n) {
        if (all == null) return null;
        int width = all.length / n;
        return Arrays.copyOfRange(all, start * width, end * width);
    }

    @Override public int size() { return end - start; }
    @Override public Bounds bounds() { return base.bounds(); }
    @Override public double[] initialGuess() { return base.initialGuess(); }
    @Override public double[] observations() { return observations; }
    @Override public int[] observationShape() { return base.observationShape(); }
    @Override public double[] inputs() { return inputs; }
    @Override public int[] inputShape() { return base.inputShape(); }
    @Override public double[] trueParameters() { return truth; }

    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        int[] shifted = new int[problems.length];
        for (int j = 0; j < problems.length; j++) shifted[j] = problems[j] + start;
        base.lossAndGradient(shifted, xi, loss, gradient);
    }
}
