package dev.reparam.nn;

import java.util.Arrays;

import dev.reparam.tensor.Tensor;

/** One tensor a layer needs for a given input shape, and how the model initialises it. */
public record ParamSpec(String name, int[] shape, Init init, int fanIn) {
    public enum Init {
        /** U(-1/sqrt(fanIn), 1/sqrt(fanIn)), PyTorch's default for weights and biases. */
        FAN_IN_UNIFORM,
        ZEROS,
        ONES
    }

    public ParamSpec {
        shape = shape.clone();
        if (init == Init.FAN_IN_UNIFORM && fanIn < 1) throw new IllegalArgumentException(name + ": fanIn " + fanIn);
    }

    public static ParamSpec uniform(String name, int fanIn, int... shape) {
        return new ParamSpec(name, shape, Init.FAN_IN_UNIFORM, fanIn);
    }

    public static ParamSpec zeros(String name, int... shape) {
        return new ParamSpec(name, shape, Init.ZEROS, 0);
    }

    public static ParamSpec ones(String name, int... shape) {
        return new ParamSpec(name, shape, Init.ONES, 0);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return Tensor.sizeOf(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
