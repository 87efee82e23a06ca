package dev.reparam.experiments;

import dev.reparam.inverse.Network;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.optim.LbfgsOptions;

/** One of the paper's setups: how its problems are made, the network for it, and its budgets. */
public interface Experiment {
    String name();

    String description();

    /** n problems drawn from the experiment's prior; the seed fixes everything random. */
    ProblemSet generate(int n, long seed);

    /** Problems made from a user's observations [n, observationShape...] instead of generated ones. */
    ProblemSet fromObservations(double[] observations, int[] shape);

    /** The paper's network for this experiment. */
    Network network();

    /** Default training budget and Adam settings for network methods. */
    Reparameterized.Options training(long seed);

    /** L-BFGS settings for BFGS and refinement (SciPy's defaults unless the experiment caps them). */
    default LbfgsOptions lbfgs() {
        return LbfgsOptions.defaults();
    }
}
