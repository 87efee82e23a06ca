package dev.reparam.optim;

/** Why one problem of a batched L-BFGS run stopped. */
public enum StopReason {
    /** Max-abs gradient at most gtol (SciPy: NORM OF PROJECTED GRADIENT <= PGTOL). */
    CONVERGED_GTOL,
    /** Relative reduction of f at most ftol (SciPy: RELATIVE REDUCTION OF F <= FACTR*EPSMCH). */
    CONVERGED_FTOL,
    MAX_ITERATIONS,
    MAX_EVALUATIONS,
    /**
     * The line search failed (no acceptable step in maxls evaluations, or not a descent
     * direction) from steepest descent with an empty memory (SciPy: ABNORMAL_TERMINATION_IN_LNSRCH).
     */
    LINE_SEARCH_FAILED,
    /** The objective returned a NaN or infinite value or gradient component. */
    NON_FINITE;

    public boolean converged() {
        return this == CONVERGED_GTOL || this == CONVERGED_FTOL;
    }
}
