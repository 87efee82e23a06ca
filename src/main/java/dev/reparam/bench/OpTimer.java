package dev.reparam.bench;

/**
 * Times one call of an op. On the CPU the op runs on the calling thread (and its workers) and
 * returns when done, so wall time around it is its time; on a GPU the call only queues work, so
 * the CUDA timer brackets it with device events.
 */
public interface OpTimer extends AutoCloseable {
    /** Seconds the op took to run, from start to completion of all the work it queued. */
    double seconds(Runnable op);

    /** How the time is taken, in words, for the report. */
    String method();

    @Override
    default void close() {}
}
