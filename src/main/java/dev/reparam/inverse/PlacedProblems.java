package dev.reparam.inverse;

import dev.reparam.tensor.Backend;

/**
 * Problems as they are evaluated on one backend ({@link Placement#place}): the same problems,
 * bounds and data, with {@link #lossAndGradient} (what BFGS and refinement call) and
 * {@link #batchedLoss} (what the networks' tape calls) running where the backend runs. Close it,
 * before the backend, to free what the placement holds there (device copies of the data, solver
 * workspaces).
 */
public interface PlacedProblems extends ProblemSet, AutoCloseable {
    /** The backend these problems are evaluated on. */
    Backend backend();

    @Override
    void close();
}
