package dev.reparam.autodiff;

import dev.reparam.tensor.Tensor;

/**
 * A custom op with a hand-written adjoint, for plugging a simulator (or anything else) into
 * the tape. Backward accumulates into the gradients it is given; a {@code null} gradient is not
 * wanted.
 */
public interface DifferentiableOp {
    Tensor forward(Tensor... inputs);

    void backward(Tensor[] inputs, Tensor output, Tensor gradOutput, Tensor[] gradInputs);
}
