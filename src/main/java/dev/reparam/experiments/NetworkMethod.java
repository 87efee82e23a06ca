package dev.reparam.experiments;

import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.tensor.Backend;

/**
 * A network-based method as the experiments run it: given the experiment (for its networks and
 * prior), the problems, the backend and the training budget, produce the unrefined answer.
 * {@link SolveJob} refines it with BFGS afterwards.
 */
@FunctionalInterface
public interface NetworkMethod {
    MethodResult solve(Experiment experiment, ProblemSet problems, Backend backend, Reparameterized.Options training,
                       ProgressListener progress);
}
