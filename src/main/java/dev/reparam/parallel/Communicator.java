package dev.reparam.parallel;

/**
 * The processes of one data-parallel run (MPI's world, or this process alone) and the few
 * collective operations reparam needs. Every rank must make the same calls in the same order.
 * Reductions are in a fixed rank order, so a K-rank run is reproducible bit for bit.
 */
public interface Communicator {
    int rank();

    int size();

    default boolean isRoot() {
        return rank() == 0;
    }

    /** Rank 0's {@code values} into every rank's (the same length everywhere). */
    void broadcast(double[] values);

    /**
     * Replaces {@code values} (the same length on every rank) by their sum over ranks, added in
     * rank order 0, 1, ..., K-1 on every rank, so all ranks hold the same bits and a rerun gives
     * them again (MPI_Allreduce promises neither across process layouts).
     */
    void sumInRankOrder(double[] values);

    /** Every rank's {@code mine} (any length) concatenated in rank order on rank 0; empty elsewhere. */
    double[] gatherToRoot(double[] mine);

    void barrier();

    /** The contiguous part [start, end) of {@code n} items that this rank owns. */
    default Range shard(int n) {
        return Range.of(n, rank(), size());
    }

    /** Wall seconds this rank has spent in collectives so far (waiting for the others included). */
    default double collectiveSeconds() {
        return 0;
    }

    /** Ends the whole run with {@code exitCode} after this rank has said why (one line on stderr). */
    void stopAll(int exitCode);
}
