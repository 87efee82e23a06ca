package dev.reparam.sim.ns.cuda;

/**
 * The parallel preconditioners of the device's projection CG (kernels/ns/ns_projection.cu,
 * ns_multigrid.cuh). All are SPD operators built from the open-face mask alone, so every choice converges to the same
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
    RED_BLACK_SSOR,
    /**
     * One geometric multigrid V-cycle (2 x 2 aggregation with Galerkin coarse operators, one
     * red-black Gauss-Seidel sweep before and after, coarse correction times {@link #MG_SCALE}):
     * 3 + 5 (levels - 1) + 1 launches per iteration (29 on 100 x 100), about 1/47 of Jacobi's
     * iterations; the lowest estimated time per solve.
     */
    MULTIGRID;

    /**
     * The SSOR relaxation factor: iteration counts on real rollouts were flat for omega in [0.9, 1.1]
     * and grew beyond (docs/ns.md); 1 is symmetric Gauss-Seidel.
     */
    public static final double SSOR_OMEGA = 1.0;

    /**
     * Over-correction of the piecewise-constant coarse correction (which alone underestimates the
     * smooth error): on 100 x 100 rollouts 1.0, 1.4, 1.6, 1.8 took 28.6, 14.7, 11.0, 8.7 iterations
     * per solve (docs/ns.md); any value in (0, 2) keeps the preconditioner SPD (the correction does
     * not increase the error's A-norm), 1.8 keeps a margin from 2.
     */
    public static final double MG_SCALE = 1.8;

    /** The projection's default: the lowest estimated time per solve (docs/ns.md). */
    public static final CgPreconditioner DEFAULT = MULTIGRID;
}
