package dev.reparam.tensor;

/** Small shape helpers. */
public final class Shapes {
    private Shapes() {}

    /** [n, shape...]: a per-item shape with the batch dimension in front. */
    public static int[] withBatch(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
