package dev.reparam.inverse;

/**
 * What one method did on a problem set: its own answer, the answer after BFGS refinement (null
 * when not refined; BFGS itself is never refined), the loss of every problem per iteration
 * ({@code curve[iteration][problem]}), the number of training iterations or optimiser
 * iterations behind the curve, and wall times.
 */
public record MethodResult(String method, Solution unrefined, Solution refined, double[][] curve,
                           double seconds, double refineSeconds) {
    /** The answer to report: refined when there is one. */
    public Solution best() {
        return refined != null ? refined : unrefined;
    }

    public MethodResult withRefined(Solution r, double refineWallSeconds) {
        return new MethodResult(method, unrefined, r, curve, seconds, refineWallSeconds);
    }
}
