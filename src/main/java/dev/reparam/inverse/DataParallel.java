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

    /**
     * Where this rank's part begins among all ranks' parts (contiguous, in rank order), from
     * every rank's {@code mine}: what a rank needs to draw the same per-problem random numbers as
     * one process drawing for all problems.
     */
    static int offset(Communicator world, int mine) {
        double[] sizes = new double[world.size()];
        sizes[world.rank()] = mine;
        // adding zeros to whole numbers is exact: every rank gets every size
        world.sumInRankOrder(sizes);
        int offset = 0;
        for (int r = 0; r < world.rank(); r++) offset += (int) sizes[r];
        return offset;
    }

    /** {@code lo} and {@code hi} replaced by their elementwise minimum and maximum over the ranks. */
    static void extremes(Communicator world, double[] lo, double[] hi) {
        if (world.size() == 1) return;
        int d = lo.length;
        double[] mine = new double[2 * d];
        System.arraycopy(lo, 0, mine, 0, d);
        System.arraycopy(hi, 0, mine, d, d);
        double[] all = world.gatherToRoot(mine);
        for (int r = 1; r < all.length / (2 * d); r++) {
            for (int i = 0; i < d; i++) {
                mine[i] = Math.min(mine[i], all[r * 2 * d + i]);
                mine[d + i] = Math.max(mine[d + i], all[r * 2 * d + d + i]);
            }
        }
        world.broadcast(mine);
        System.arraycopy(mine, 0, lo, 0, d);
        System.arraycopy(mine, d, hi, 0, d);
    }

    /** The gradient of the loss summed over every rank's problems: one all-reduce of theta's size. */
    static void sumGradients(Backend backend, Communicator world, Model model) {
        double[] g = backend.toHost(model.grads());
        world.sumInRankOrder(g);
        backend.copyFromHost(g, model.grads());
    }
}
