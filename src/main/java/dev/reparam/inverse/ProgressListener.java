package dev.reparam.inverse;

/** Receives progress of a long-running method; the command line turns it into a progress bar. */
public interface ProgressListener {
    ProgressListener NONE = (phase, done, total, status) -> { };

    /**
     * {@code done} of {@code total} steps of {@code phase} finished; {@code status} is a short note (e.g. the mean
     * loss).
     */
    void progress(String phase, long done, long total, String status);
}
