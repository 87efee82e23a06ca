package dev.reparam.inverse;

import dev.reparam.autodiff.DifferentiableOp;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Tensor;

/**
 * The problems' losses as a tape op: z[n, dim] -> L[n], with the problem set's own gradient as the
 * adjoint, through the problem set's {@link ProblemSet#batchedLoss} on the tape's backend: on the
 * device for problems placed there ({@link Placement}), through the host otherwise. Either way
 * the networks optimise exactly the function BFGS does (bound map included).
 */
final class ProblemLossOp implements DifferentiableOp {
    private final BatchedLoss loss;

    ProblemLossOp(ProblemSet problems, Backend backend) {
        this.loss = problems.batchedLoss(backend, problems.bounds());
    }

    /**
     * Whether an iteration around this op reads nothing back, so a GPU backend may record it: the
     * losses on the device, by a loss that only queues work ({@link BatchedLoss#capturable}).
     */
    boolean recordable() {
        return loss.capturable();
    }

    @Override
    public Tensor forward(Tensor... inputs) {
        return loss.evaluate(inputs[0]);
    }

    @Override
    public void backward(Tensor[] inputs, Tensor output, Tensor gradOutput, Tensor[] gradInputs) {
        if (gradInputs[0] != null) loss.chain(gradOutput, gradInputs[0]);
    }
}
