package dev.reparam.optim;

/** Progress of a batched minimisation, called after each lockstep iteration (e.g. for a progress bar). */
@FunctionalInterface
public interface IterationListener {
    /**
     * @param iteration  lockstep iterations done so far (1, 2, ...)
     * @param running    problems that have not stopped yet
     * @param meanF      mean over all problems of the current f (stopped problems count with their final f)
     */
    void onIteration(int iteration, int running, double meanF);
}
