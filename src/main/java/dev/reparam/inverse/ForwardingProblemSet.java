package dev.reparam.inverse;

import dev.reparam.tensor.Bounds;

/**
 * A problem set that answers everything but {@link #lossAndGradient} from a base set: the
 * problems, bounds, start, data and true parameters stay the base's, so a wrapper that only
 * changes where or how the loss is computed (a GPU solver, other search bounds) cannot drift from
 * the problems it stands for. Subclasses override what they change.
 */
public abstract class ForwardingProblemSet implements ProblemSet {
    protected final ProblemSet base;

    protected ForwardingProblemSet(ProblemSet base) {
        this.base = base;
    }

    @Override public int size() { return base.size(); }
    @Override public Bounds bounds() { return base.bounds(); }
    @Override public double[] initialGuess() { return base.initialGuess(); }
    @Override public double[] observations() { return base.observations(); }
    @Override public int[] observationShape() { return base.observationShape(); }
    @Override public double[] inputs() { return base.inputs(); }
    @Override public int[] inputShape() { return base.inputShape(); }
    @Override public double[] trueParameters() { return base.trueParameters(); }
}
