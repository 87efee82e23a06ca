package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;

import java.util.List;

/**
 * A stateless description of one network stage. Shapes passed here exclude the batch dimension;
 * the model owns all tensors and hands each layer views of them.
 */
public interface Layer {
    /** The output shape for {@code inputShape}; throws IllegalArgumentException if the input does not fit. */
    int[] outputShape(int[] inputShape);

    /** Trainable tensors needed for {@code inputShape}, in the order forward receives them. */
    default List<ParamSpec> parameters(int[] inputShape) {
        return List.of();
    }

    /** Non-trainable state (running statistics) for {@code inputShape}, in the order forward receives it. */
    default List<ParamSpec> buffers(int[] inputShape) {
        return List.of();
    }

    /** Applies the layer to x[B, inputShape...]. */
    Var forward(Tape tape, Var x, LayerParams p, boolean training);
}
