package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Tensor;

/** Any input shape to a vector of the same elements. */
public final class Flatten implements Layer {
    @Override
    public int[] outputShape(int[] inputShape) {
        return new int[] {Tensor.sizeOf(inputShape)};
    }

    @Override
    public Var forward(Tape tape, Var x, LayerParams p, boolean training) {
        return Ops.flatten(tape, x);
    }
}
