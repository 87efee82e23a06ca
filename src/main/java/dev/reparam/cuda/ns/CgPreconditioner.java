package dev.reparam.cuda.ns;

/**
 * The parallel preconditioners of the device's projection CG (kernels/ns_projection.cu). Both are
 * SPD operators built from the open-face mask alone, so every choice converges to the same
 * projection (to the CG tolerance) and the adjoint solve uses the same operator; only the
 * iteration count and the cost per iteration differ (docs/ns.md, CUDA: the preconditioner table).
 */
public enum CgPreconditioner {
    /** z = r / diag A, fused into the update and direction kernels: three launches per iteration. */
    JACOBI,
    /**
     * One red-black symmetric SOR step from z = 0 with {@link #SSOR_OMEGA}: five launches per
     * iteration, about half of Jacobi's iterations on the rollouts' right-hand sides.
     */
    RED_BLACK_SSOR;

    /**
     * The SSOR relaxation factor: iteration counts on real rollouts were flat for omega in [0.9, 1.1]
     * and grew beyond (docs/ns.md); 1 is symmetric Gauss-Seidel.
     */
    public static final double SSOR_OMEGA = 1.0;

    /** The projection's default: the lower estimated time per solve. */
    public static final CgPreconditioner DEFAULT = RED_BLACK_SSOR;
}
