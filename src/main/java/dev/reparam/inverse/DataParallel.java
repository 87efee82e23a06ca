package dev.reparam.inverse;

import dev.reparam.nn.Model;
import dev.reparam.parallel.Communicator;
import dev.reparam.tensor.Backend;

/**
 * The two steps that make a network's training data-parallel, as PyTorch's
 * DistributedDataParallel: the same start on every rank, and one all-reduce of the gradient per
 * iteration, so that every rank's Adam takes the same step.
 */
final class DataParallel {
    private DataParallel() {}

    /** Rank 0's initialisation everywhere (every rank draws the same from the seed; this makes sure). */
    static void broadcastParameters(Backend backend, Communicator world, Model model) {
        double[] theta = backend.toHost(model.params());
        world.broadcast(theta);
        backend.copyFromHost(theta, model.params());
    }

    /** The gradient of the loss summed over every rank's problems: one all-reduce of theta's size. */
    static void sumGradients(Backend backend, Communicator world, Model model) {
        double[] g = backend.toHost(model.grads());
        world.sumInRankOrder(g);
        backend.copyFromHost(g, model.grads());
    }
}
