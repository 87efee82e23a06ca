package dev.reparam.inverse;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;

/**
 * n similar inverse problems xi_i* = argmin L(F(xi_i | x_i), y_i): the public drop-in API.
 * Implement it for any differentiable forward model and hand it to {@link Bfgs},
 * {@link Reparameterized} or {@link Refinement}.
 *
 * <p>Losses and gradients are in the physical parameters xi; the methods take care of the bounds.
 * {@link #lossAndGradient} is always called with a batch of problems at once, so an
 * implementation should evaluate them together (one simulator call, one kernel launch).
 */
public interface ProblemSet {
    /** Number of problems n. */
    int size();

    /** Bounds of the unknowns; their number is the dimension of each problem. */
    Bounds bounds();

    /** Starting point of BFGS (the prior mean); defaults to the middle of the bounds. */
    default double[] initialGuess() {
        return bounds().mid();
    }

    /**
     * Per-problem loss and its gradient for the problems {@code problems[0..k)}, at the
     * parameters {@code xi[k * dim]} (row j belongs to {@code problems[j]}).
     */
    void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient);

    /** The observations y_i, row-major with shape [n, observationShape...]. Network input. */
    double[] observations();

    /** Shape of one problem's observation, e.g. {256}. */
    int[] observationShape();

    /** The known problem-specific inputs x_i, [n, inputShape...], or {@code null} when there are none. */
    default double[] inputs() {
        return null;
    }

    /** Shape of one problem's x_i ({@code null} when there are none). */
    default int[] inputShape() {
        return null;
    }

    /** The parameters the observations were made with, [n * dim], when known (generated problems); else null. */
    default double[] trueParameters() {
        return null;
    }

    default int dim() {
        return bounds().dim();
    }

    /**
     * The losses of all problems as one op on {@code backend}, seen in the unconstrained variable z
     * under {@code bounds} (xi = mid + half tanh z on bounded dimensions), for the networks' tape.
     * The default goes through {@link #lossAndGradient} on the host; problems placed on a device
     * ({@link Placement}) answer with their device implementation there. Called once per solve:
     * set-up (uploading the observations) happens here.
     */
    default BatchedLoss batchedLoss(Backend backend, Bounds bounds) {
        return new HostProblemLoss(this, bounds);
    }
}
