package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.parallel.Communicator;
import dev.reparam.parallel.SingleProcess;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import java.util.List;

/**
 * Batch normalisation over channel dimension 1 of the batched input (features after a dense
 * layer, channels after a convolution). Training mode normalises with the batch's statistics and
 * updates the running mean and (unbiased) variance as PyTorch does; evaluation mode uses them.
 * {@link #synchronisedOver} makes the batch statistics those of a batch spread over the ranks of
 * a data-parallel run (SyncBatchNorm).
 */
public final class BatchNorm implements Layer {
    private final double momentum, eps;
    private final Communicator world;

    public BatchNorm() {
        this(0.1, 1e-5);
    }

    public BatchNorm(double momentum, double eps) {
        this(momentum, eps, SingleProcess.INSTANCE);
    }

    private BatchNorm(double momentum, double eps, Communicator world) {
        if (!(momentum >= 0 && momentum <= 1) || !(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm: momentum " + momentum + ", eps " + eps);
        }
        this.momentum = momentum;
        this.eps = eps;
        this.world = world;
    }

    /** This layer with batch statistics over every rank's part of the batch. */
    public BatchNorm synchronisedOver(Communicator ranks) {
        return new BatchNorm(momentum, eps, ranks);
    }

    /** {@code layers} with every BatchNorm synchronised over {@code ranks}; the others as they are. */
    public static List<Layer> synchronise(List<Layer> layers, Communicator ranks) {
        if (ranks.size() == 1) return layers;
        return layers.stream().map(l -> l instanceof BatchNorm b ? (Layer) b.synchronisedOver(ranks) : l).toList();
    }

    private static int channels(int[] inputShape) {
        ShapeChecks.require(inputShape.length >= 1, "BatchNorm", inputShape, "has no channel dimension");
        return inputShape[0];
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        channels(inputShape);
        return inputShape.clone();
    }

    @Override
    public List<ParamSpec> parameters(int[] inputShape) {
        int c = channels(inputShape);
        return List.of(ParamSpec.ones("gamma", c), ParamSpec.zeros("beta", c));
    }

    @Override
    public List<ParamSpec> buffers(int[] inputShape) {
        int c = channels(inputShape);
        return List.of(ParamSpec.zeros("runningMean", c), ParamSpec.ones("runningVar", c));
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        Tensor runningMean = p.buffer(0), runningVar = p.buffer(1);
        if (!training) return Ops.batchNormInference(tape, x, p.param(0), p.param(1), runningMean, runningVar, eps);
        Backend be = tape.backend();
        Tensor mean = be.zeros(runningMean.shape()), invStd = be.zeros(runningMean.shape());
        if (world.size() > 1) {
            int[] count = new int[1];
            Var y = SyncBatchNorm.forward(tape, x, p.param(0), p.param(1), eps, world, mean, invStd, count);
            be.batchNormRunningUpdate(mean, invStd, eps, momentum, count[0], runningMean, runningVar);
            return y;
        }
        Var y = Ops.batchNorm(tape, x, p.param(0), p.param(1), eps, mean, invStd);
        be.batchNormRunningUpdate(mean, invStd, eps, momentum, x.value().size() / runningMean.size(), runningMean,
                runningVar);
        return y;
    }
}
