package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import java.util.List;

/**
 * Batch normalisation over channel dimension 1 of the batched input (features after a dense
 * layer, channels after a convolution). Training mode normalises with the batch's statistics and
 * updates the running mean and (unbiased) variance as PyTorch does; evaluation mode uses them.
 */
public final class BatchNorm implements Layer {
    private final double momentum, eps;

    public BatchNorm() {
        this(0.1, 1e-5);
    }

    public BatchNorm(double momentum, double eps) {
        if (!(momentum >= 0 && momentum <= 1) || !(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm: momentum " + momentum + ", eps " + eps);
        }
        this.momentum = momentum;
        this.eps = eps;
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
        Var y = Ops.batchNorm(tape, x, p.param(0), p.param(1), eps, mean, invStd);
        be.batchNormRunningUpdate(mean, invStd, eps, momentum, x.value().size() / runningMean.size(), runningMean,
                runningVar);
        return y;
    }
}
