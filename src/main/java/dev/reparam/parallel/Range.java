package dev.reparam.parallel;

/**
 * A rank's contiguous share [start, end) of n problems: the first n mod K ranks take one more,
 * so shares differ by at most one and rank order is problem order (rank 0 gathers them back in
 * place by concatenation).
 */
public record Range(int start, int end) {
    public static Range of(int n, int rank, int size) {
        if (size < 1 || rank < 0 || rank >= size) throw new IllegalArgumentException("rank " + rank + " of " + size);
        int base = n / size, extra = n % size;
        int start = rank * base + Math.min(rank, extra);
        return new Range(start, start + base + (rank < extra ? 1 : 0));
    }

    public int size() {
        return end - start;
    }
}
