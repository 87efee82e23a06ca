package dev.reparam.inverse;

import dev.reparam.optim.BatchedObjective;
import dev.reparam.tensor.Bounds;

/**
 * A problem set seen in the unconstrained variable z (xi = mid + half tanh z), so L-BFGS works on
 * exactly the problem the networks see. Gradients pick up the tanh Jacobian.
 */
final class UnconstrainedObjective implements BatchedObjective {
    private final ProblemSet problems;
    private final Bounds bounds;
    private final int dim;

    UnconstrainedObjective(ProblemSet problems) {
        this.problems = problems;
        this.bounds = problems.bounds();
        this.dim = bounds.dim();
    }

    @Override
    public int size() {
        return problems.size();
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public void evaluate(int[] which, double[] z, double[] f, double[] g) {
        int m = which.length * dim;
        double[] xi = new double[m];
        double[] jac = new double[m];
        bounds.toPhysical(z, xi);
        bounds.jacobianDiagonal(z, jac);
        problems.lossAndGradient(which, xi, f, g);
        for (int i = 0; i < m; i++) g[i] *= jac[i];
    }
}
