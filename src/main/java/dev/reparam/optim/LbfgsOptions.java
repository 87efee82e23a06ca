package dev.reparam.optim;

/**
 * Settings of {@link BatchedLbfgs}; {@link #defaults()} are those of SciPy's
 * {@code minimize(method='L-BFGS-B')}. The line-search constants (c1 = 1e-3, c2 = 0.9,
 * xtol = 0.1) are fixed inside L-BFGS-B and so are not options here either.
 *
 * @param memory             number of correction pairs kept (SciPy maxcor)
 * @param ftol               stop when (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= ftol
 * @param gtol               stop when the max-abs gradient component is <= gtol (SciPy gtol/pgtol)
 * @param maxIterations      SciPy maxiter
 * @param maxEvaluations     SciPy maxfun, checked like SciPy at the end of an iteration
 * @param maxLineSearchSteps evaluations allowed per line search (SciPy maxls)
 */
public record LbfgsOptions(int memory, double ftol, double gtol, int maxIterations, int maxEvaluations,
                           int maxLineSearchSteps) {

    public LbfgsOptions {
        if (memory < 1) throw new IllegalArgumentException("memory must be >= 1, got " + memory);
        if (!(ftol >= 0)) throw new IllegalArgumentException("ftol must be >= 0, got " + ftol);
        if (!(gtol >= 0)) throw new IllegalArgumentException("gtol must be >= 0, got " + gtol);
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("maxEvaluations must be >= 1, got " + maxEvaluations);
        }
        if (maxLineSearchSteps < 1) {
            throw new IllegalArgumentException("maxLineSearchSteps must be >= 1, got " + maxLineSearchSteps);
        }
    }

    public static LbfgsOptions defaults() {
        return new LbfgsOptions(10, 2.220446049250313e-09, 1e-5, 15000, 15000, 20);
    }

    public LbfgsOptions withMemory(int m) {
        return new LbfgsOptions(m, ftol, gtol, maxIterations, maxEvaluations, maxLineSearchSteps);
    }

    public LbfgsOptions withFtol(double v) {
        return new LbfgsOptions(memory, v, gtol, maxIterations, maxEvaluations, maxLineSearchSteps);
    }

    public LbfgsOptions withGtol(double v) {
        return new LbfgsOptions(memory, ftol, v, maxIterations, maxEvaluations, maxLineSearchSteps);
    }

    public LbfgsOptions withMaxIterations(int v) {
        return new LbfgsOptions(memory, ftol, gtol, v, maxEvaluations, maxLineSearchSteps);
    }

    public LbfgsOptions withMaxEvaluations(int v) {
        return new LbfgsOptions(memory, ftol, gtol, maxIterations, v, maxLineSearchSteps);
    }

    public LbfgsOptions withMaxLineSearchSteps(int v) {
        return new LbfgsOptions(memory, ftol, gtol, maxIterations, maxEvaluations, v);
    }
}
