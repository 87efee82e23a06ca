package dev.reparam.io;

import java.util.Arrays;

/**
 * An immutable n-dimensional array of doubles in C (row-major) order, as read from or written to an
 * NPY file. A rank-0 array (empty shape) is a scalar holding one value. Accessors return copies so
 * that no caller can change an instance after construction.
 */
public final class NpyArray {
    private final int[] shape;
    private final double[] data;

    private NpyArray(int[] shape, double[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** Copies {@code data} and {@code shape}; data.length must equal the product of the shape. */
    public static NpyArray of(double[] data, int... shape) {
        checkLength(data.length, shape);
        return new NpyArray(shape.clone(), data.clone());
    }

    /** Takes ownership of arrays the reader has just built, to avoid copying millions of values. */
    static NpyArray wrap(double[] data, int[] shape) {
        return new NpyArray(shape, data);
    }

    /** Number of elements implied by {@code shape}; rejects negative dimensions and int overflow. */
    static int size(int[] shape) {
        boolean empty = false;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            empty |= d == 0;
        }
        // A zero dimension makes the array empty even where the other dimensions' product overflows.
        if (empty) {
            return 0;
        }
        int n = 1;
        for (int d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        return n;
    }

    static void checkLength(int length, int[] shape) {
        int n = size(shape);
        if (length != n) {
            throw new IllegalArgumentException("data has " + length + " values but shape "
                    + Arrays.toString(shape) + " needs " + n);
        }
    }

    /** The backing shape, not copied; for the writer only, which must not modify it. */
    int[] shapeRef() {
        return shape;
    }

    /** The backing data, not copied; for the writer only, which must not modify it. */
    double[] dataRef() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public double[] data() {
        return data.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    /** Element at a flat C-order index, without copying the data. */
    public double get(int flatIndex) {
        return data[flatIndex];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray[shape=" + Arrays.toString(shape) + ", size=" + data.length + "]";
    }
}
