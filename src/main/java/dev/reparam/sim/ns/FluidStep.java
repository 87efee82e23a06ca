package dev.reparam.sim.ns;

import java.util.Arrays;

/**
 * One time step, advection then viscosity then projection, and its vector-Jacobian product.
 * Holds the work arrays of one problem; not thread-safe, so each problem uses its own instance.
 */
final class FluidStep {
    private final Advection advection;
    private final Viscosity viscosity;
    final PressureProjection projection;
    private final double[] t1, t2;

    FluidStep(MacGrid grid, double dt, double nu, double cgTolerance, ProjectionPreconditioner preconditioner) {
        advection = new Advection(grid, dt);
        viscosity = new Viscosity(grid, dt, nu);
        projection = new PressureProjection(grid, cgTolerance, preconditioner);
        t1 = new double[grid.size()];
        t2 = new double[grid.size()];
    }

    /** out = step(s); out must not alias s. */
    void forward(double[] s, double[] out) {
        advection.forward(s, t1);
        viscosity.forward(t1, t2);
        projection.apply(t2, out);
    }

    /**
     * sBar = (d step / d s)^T outBar at the state s the step started from. Viscosity and
     * projection are linear, so only advection needs s; the projection is its own transpose.
     */
    void adjoint(double[] s, double[] outBar, double[] sBar) {
        projection.apply(outBar, t1);
        viscosity.adjoint(t1, t2);
        Arrays.fill(sBar, 0);
        advection.adjoint(s, t2, sBar);
    }
}
