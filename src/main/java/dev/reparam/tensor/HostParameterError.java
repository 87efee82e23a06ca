package dev.reparam.tensor;

/**
 * Supervised training's loss on the host ({@link Backend#parameterError}): per row j of z,
 * e_j = sum_d ((xi_jd - truth_jd) / half_d)^2 with xi the bound map of z. Dividing by the
 * half-width makes every unknown count in units of its own range. z comes to the host and the
 * losses go back (the gradient stays on the host); the reference for the device implementations.
 */
final class HostParameterError implements BatchedLoss {
    private final Bounds bounds;
    private final double[] truth, half;
    private final double[] xi, jacobian, residual;

    HostParameterError(Bounds bounds, double[] truth) {
        this.bounds = bounds;
        this.truth = truth.clone();
        this.half = bounds.half();
        this.xi = new double[truth.length];
        this.jacobian = new double[truth.length];
        this.residual = new double[truth.length];
    }

    @Override
    public Tensor evaluate(Tensor z) {
        int dim = bounds.dim(), m = truth.length / dim;
        double[] zHost = z.toHost();
        bounds.toPhysical(zHost, xi);
        bounds.jacobianDiagonal(zHost, jacobian);
        double[] e = new double[m];
        for (int i = 0; i < truth.length; i++) {
            residual[i] = (xi[i] - truth[i]) / half[i % dim];
            e[i / dim] += residual[i] * residual[i];
        }
        return z.backend().fromHost(e, m);
    }

    /** From the last evaluation's residuals, in the order of operations supervised training has always used. */
    @Override
    public void chain(Tensor upstream, Tensor dz) {
        Backend b = dz.backend();
        double[] u = upstream.toHost();
        int dim = bounds.dim();
        double[] d = new double[truth.length];
        for (int i = 0; i < d.length; i++) d[i] = u[i / dim] * 2 * residual[i] / half[i % dim] * jacobian[i];
        b.axpy(1.0, b.fromHost(d, dz.shape()), dz);
    }

    @Override
    public boolean capturable() {
        return false;
    }
}
