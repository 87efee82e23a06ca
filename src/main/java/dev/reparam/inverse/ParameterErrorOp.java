package dev.reparam.inverse;

import dev.reparam.autodiff.DifferentiableOp;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.Tensor;

/**
 * The supervised loss as a tape op: z[m, dim] -> e[m], e_j = sum_d ((xi_jd - xi*_jd) / half_d)^2
 * with xi = the bounds' map of z, computed by the backend ({@link Backend#parameterError}):
 * dividing by the half-width makes every unknown count in units of its own range, and going
 * through {@link Bounds} handles bounded (tanh) and unbounded (identity, half = 1) dimensions
 * alike. On a GPU nothing is read back, so supervised training's step can be recorded.
 */
final class ParameterErrorOp implements DifferentiableOp {
    private final BatchedLoss loss;

    /** {@code truth[m * dim]}: the targets xi*, row j for example j. */
    ParameterErrorOp(Bounds bounds, double[] truth, Backend backend) {
        this.loss = backend.parameterError(bounds, truth);
    }

    /** Whether a training iteration around this op reads nothing back (see {@link BatchedLoss#capturable}). */
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
