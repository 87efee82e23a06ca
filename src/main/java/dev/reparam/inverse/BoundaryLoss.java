package dev.reparam.inverse;

/**
 * The neural adjoint's boundary loss (Ren et al. 2020): B(xi) = 0.1 * sum_d relu(|xi_d - mu_d| - R_d / 2),
 * with mu and R the midpoint and width of the training range. It is zero inside the range and
 * grows linearly outside, so gradient descent on the surrogate is pulled back to where the
 * surrogate was trained instead of exploiting its extrapolation. Batched: rows of length dim.
 */
public final class BoundaryLoss {
    /** The weight Ren et al. use. */
    public static final double WEIGHT = 0.1;

    private final double[] mu, halfRange;

    /** {@code range[d]} may be infinite: that dimension is then never penalised. */
    public BoundaryLoss(double[] mu, double[] range) {
        if (mu.length != range.length) {
            throw new IllegalArgumentException("boundary loss: " + mu.length + " midpoints but " + range.length
                    + " widths");
        }
        this.mu = mu.clone();
        this.halfRange = new double[range.length];
        for (int d = 0; d < range.length; d++) {
            if (!(range[d] >= 0)) {
                throw new IllegalArgumentException("boundary loss: width " + range[d] + " of dimension " + d);
            }
            halfRange[d] = 0.5 * range[d];
        }
    }

    public int dim() {
        return mu.length;
    }

    /**
     * value[k] = B(row k of xi) and gradient[k * dim ..] = dB/dxi (subgradient 0 at the kink).
     * Both are overwritten.
     */
    public void evaluate(double[] xi, double[] value, double[] gradient) {
        int dim = mu.length;
        for (int k = 0; k < value.length; k++) {
            double b = 0;
            for (int d = 0; d < dim; d++) {
                int i = k * dim + d;
                double offset = xi[i] - mu[d], excess = Math.abs(offset) - halfRange[d];
                if (excess > 0) {
                    b += excess;
                    gradient[i] = WEIGHT * Math.signum(offset);
                } else {
                    gradient[i] = 0;
                }
            }
            value[k] = WEIGHT * b;
        }
    }
}
