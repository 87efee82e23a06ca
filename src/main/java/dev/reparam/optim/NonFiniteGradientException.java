package dev.reparam.optim;

/**
 * Adam met a gradient whose norm is NaN or infinite: training has diverged. The parameters and
 * moments are left as they were before that step, and {@link #step()} says which step it was,
 * so a caller can report the divergence as a result instead of failing the whole run.
 */
public final class NonFiniteGradientException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int step;
    private final double norm;

    NonFiniteGradientException(double norm, int step) {
        super("non-finite gradient norm " + norm + " at Adam step " + step + "; parameters not updated");
        this.step = step;
        this.norm = norm;
    }

    /** The 1-based Adam step that met the gradient. */
    public int step() {
        return step;
    }

    public double norm() {
        return norm;
    }
}
