package dev.reparam.nn;

import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Tensor;

import java.util.List;

/**
 * What a layer gets in forward: its trainable parameters as tape leaves (views of the model's
 * flat parameter and gradient buffers), in the order of {@link Layer#parameters}, and its
 * non-trainable state (views of the model's buffer storage), in the order of {@link Layer#buffers}.
 */
public record LayerParams(List<Var> params, List<Tensor> buffers) {
    public LayerParams {
        params = List.copyOf(params);
        buffers = List.copyOf(buffers);
    }

    public Var param(int i) {
        return params.get(i);
    }

    public Tensor buffer(int i) {
        return buffers.get(i);
    }
}
