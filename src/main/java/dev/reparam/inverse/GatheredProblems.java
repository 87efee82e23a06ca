package dev.reparam.inverse;

import dev.reparam.parallel.Communicator;
import dev.reparam.tensor.Bounds;

/**
 * Every rank's part of a problem set put together on rank 0, in rank order: the data of all
 * problems (observations, inputs, true parameters), which rank 0 writes and scores against. It
 * holds no simulator of the other ranks' problems, so it evaluates nothing.
 */
public final class GatheredProblems implements ProblemSet {
    private final ProblemSet part;
    private final int size;
    private final double[] observations, inputs, truth;

    private GatheredProblems(ProblemSet part, int size, double[] observations, double[] inputs, double[] truth) {
        this.part = part;
        this.size = size;
        this.observations = observations;
        this.inputs = inputs;
        this.truth = truth;
    }

    /** Every rank calls it with its part; rank 0 gets all problems, the other ranks null. */
    public static ProblemSet gather(Communicator world, ProblemSet mine) {
        double[] sizes = world.gatherToRoot(new double[] {mine.size()});
        double[] y = world.gatherToRoot(mine.observations());
        // whether inputs and truth exist is the same on every rank: they come from the same source
        double[] x = mine.inputs() == null ? null : world.gatherToRoot(mine.inputs());
        double[] t = mine.trueParameters() == null ? null : world.gatherToRoot(mine.trueParameters());
        if (!world.isRoot()) return null;
        int n = 0;
        for (double s : sizes) n += (int) s;
        return new GatheredProblems(mine, n, y, x, t);
    }

    @Override public int size() { return size; }
    @Override public Bounds bounds() { return part.bounds(); }
    @Override public double[] initialGuess() { return part.initialGuess(); }
    @Override public double[] observations() { return observations; }
    @Override public int[] observationShape() { return part.observationShape(); }
    @Override public double[] inputs() { return inputs; }
    @Override public int[] inputShape() { return part.inputShape(); }
    @Override public double[] trueParameters() { return truth; }

    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        throw new UnsupportedOperationException("the gathered problems of every rank are data only: each rank "
                + "evaluates its own part");
    }
}
