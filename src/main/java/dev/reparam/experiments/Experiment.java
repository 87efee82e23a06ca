package dev.reparam.experiments;

import dev.reparam.inverse.Network;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProblemSlice;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.nn.Layer;
import dev.reparam.nn.Linear;
import dev.reparam.nn.Relu;
import dev.reparam.optim.LbfgsOptions;

import java.util.List;

/** One of the paper's setups: how its problems are made, the networks for it, and its budgets. */
public interface Experiment {
    String name();

    String description();

    /** Short names the command line also accepts (e.g. ks); the canonical name stays {@link #name()}. */
    default List<String> aliases() {
        return List.of();
    }

    /**
     * n problems drawn from the experiment's prior, with their true parameters; the seed fixes
     * everything random. Also the source of training sets (supervised, neural adjoint): a training
     * set is a generated problem set under another seed.
     */
    ProblemSet generate(int n, long seed);

    /**
     * Problems [start, end) of {@code generate(n, seed)}, the same values: an MPI rank's part. The
     * default generates all n and keeps the rows; an experiment whose targets cost a simulation
     * overrides it to simulate only these.
     */
    default ProblemSet generatePart(int n, long seed, int start, int end) {
        return new ProblemSlice(generate(n, seed), start, end);
    }

    /**
     * Problems made from a user's observations [n, ...] and, for experiments with known x_i, their
     * inputs [n, ...] (null otherwise). Shapes are checked with a message naming the input.
     */
    ProblemSet fromObservations(double[] observations, int[] shape, double[] inputs, int[] inputShape);

    /**
     * The experiment as a profile runs it. Most experiments are the same under every profile
     * (only the training budget differs, see {@link #training}); one whose physics has a cheaper
     * quick version (Kuramoto-Sivashinsky) returns that variant, so problems, user data, training
     * sets and networks all agree on it.
     */
    default Experiment forProfile(Profile profile) {
        return this;
    }

    /** The paper's network N(x, y) -> z for this experiment. */
    Network network();

    /**
     * Layers of the neural adjoint's surrogate S(x, xi) -> y, on the flat input [x_i, xi]
     * (inputFeatures values) to the flat observation (outputFeatures values). Default: an MLP.
     */
    default List<Layer> surrogateLayers(int inputFeatures, int outputFeatures) {
        return List.of(new Linear(128), new Relu(), new Linear(128), new Relu(), new Linear(outputFeatures));
    }

    /** Training budget and Adam settings for network methods under a profile. */
    Reparameterized.Options training(long seed, Profile profile);

    /**
     * Peak Java heap per problem of a solve with every method under {@code profile}, measured
     * (docs/reliability.md says how) and rounded up; the command line refuses an n whose need
     * exceeds the heap before it allocates anything.
     */
    long bytesPerProblem(Profile profile);

    /**
     * Wall seconds per problem and training iteration of a run with every method (refinement
     * included) on 2 CPU cores, measured on the sweeps docs/experiments.md reports and rounded.
     * Only {@code reproduce --shard} uses it, to balance shards by cost rather than by count, so
     * a figure within a factor of two is enough.
     */
    double secondsPerProblemIteration(Profile profile);

    /** L-BFGS settings for BFGS and refinement (SciPy's defaults unless the experiment caps them). */
    default LbfgsOptions lbfgs() {
        return LbfgsOptions.defaults();
    }
}
