package dev.reparam.inverse;

import dev.reparam.tensor.Backend;

/**
 * A problem set that can also evaluate its losses where the network's output lives (for example
 * with a CUDA kernel), so that a reparameterized iteration copies nothing back to the host.
 * Optional: {@link ProblemLossOp} uses it when {@link #deviceLoss} answers for the backend, and
 * the host path ({@link ProblemSet#lossAndGradient}) otherwise.
 */
public interface DeviceProblemSet extends ProblemSet {
    /**
     * The losses of all problems on {@code backend}, seen in the unconstrained variable z under
     * {@code bounds} (xi = mid + half tanh z on bounded dimensions); null when this problem set has
     * no implementation for that backend. Called once per solve: set-up (uploading the
     * observations) happens here.
     */
    DeviceLoss deviceLoss(Backend backend, Bounds bounds);
}
