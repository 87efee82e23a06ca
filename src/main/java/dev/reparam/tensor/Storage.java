package dev.reparam.tensor;

/** Backend-owned memory that one or more {@link Tensor} views point into. */
public abstract class Storage {
    /** Number of elements (not bytes). */
    public abstract int length();
}
