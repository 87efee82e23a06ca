package dev.reparam.inverse;

import dev.reparam.tensor.Shapes;

/** What a network sees of the n problems: {@code data} row-major with shape [n, shape...]. */
public record NetworkInput(double[] data, int[] shape) {
    public int[] batchShape(int n) {
        return Shapes.withBatch(n, shape);
    }
}
