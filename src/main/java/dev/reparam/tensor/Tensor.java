package dev.reparam.tensor;

import java.util.Arrays;

/**
 * A dense, contiguous, row-major array whose first dimension is the batch (one row per problem
 * or per sample). A tensor is a view: an offset and a shape into a {@link Storage} owned by a
 * {@link Backend}, so that all parameters of a model can live in one flat buffer and each layer
 * sees its weights as a view without copying.
 */
public final class Tensor {
    private final Backend backend;
    private final Storage storage;
    private final int offset;
    private final int[] shape;
    private final int size;

    Tensor(Backend backend, Storage storage, int offset, int[] shape) {
        this.backend = backend;
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        this.size = sizeOf(shape);
        if (offset < 0 || offset + size > storage.length()) {
            throw new IllegalArgumentException("view [" + offset + ", " + (offset + size)
                    + ") lies outside storage of length " + storage.length());
        }
    }

    /** A view into storage of a backend in another package (the CPU's heap arrays, CUDA's device memory). */
    public static Tensor on(Backend backend, Storage storage, int offset, int... shape) {
        return new Tensor(backend, storage, offset, shape);
    }

    public static int sizeOf(int... shape) {
        long s = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            s *= d;
        }
        if (s > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        return (int) s;
    }

    public Backend backend() { return backend; }
    public Storage storage() { return storage; }
    public int offset() { return offset; }
    public int size() { return size; }
    public int rank() { return shape.length; }
    public int dim(int i) { return shape[i]; }
    public int[] shape() { return shape.clone(); }

    /** Number of elements per batch row (product of all dimensions after the first). */
    public int rowSize() {
        return shape.length == 0 ? 1 : size / Math.max(shape[0], 1) ;
    }

    /** A contiguous view of {@code shape} starting {@code relativeOffset} elements into this view. */
    public Tensor view(int relativeOffset, int... newShape) {
        int n = sizeOf(newShape);
        if (relativeOffset < 0 || relativeOffset + n > size) {
            throw new IllegalArgumentException("view of " + Arrays.toString(newShape) + " at " + relativeOffset
                    + " does not fit in " + Arrays.toString(shape));
        }
        return new Tensor(backend, storage, offset + relativeOffset, newShape);
    }

    /** The same elements under another shape with the same number of elements. */
    public Tensor reshape(int... newShape) {
        if (sizeOf(newShape) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to "
                    + Arrays.toString(newShape));
        }
        return new Tensor(backend, storage, offset, newShape);
    }

    /** Copies the elements to a new host array (a device-to-host copy on GPU backends). */
    public double[] toHost() {
        return backend.toHost(this);
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "@" + backend.name();
    }
}
