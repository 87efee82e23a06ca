package dev.reparam.sim.ns;

/**
 * Bilinear interpolation of one staggered component, with the weights kept so that the adjoint can
 * scatter through them. Coordinates are in the component's index space (fx = column, fy = row) and
 * are clamped to the sample range [0, nx - 1] x [0, ny - 1]; where a clamp is active the value does
 * not depend on that coordinate, so its derivative is zero.
 */
final class Bilinear {
    private int i00, stride;
    private double w00, w10, w01, w11;
    private double tx, ty;
    private boolean clampedX, clampedY;

    /** Sets the stencil for field values at offset + row * nx + column. */
    void at(int offset, int nx, int ny, double fx, double fy) {
        clampedX = !(fx > 0 && fx < nx - 1);
        clampedY = !(fy > 0 && fy < ny - 1);
        fx = Math.min(Math.max(fx, 0), nx - 1);
        fy = Math.min(Math.max(fy, 0), ny - 1);
        int i0 = Math.min((int) fx, nx - 2), j0 = Math.min((int) fy, ny - 2);
        tx = fx - i0;
        ty = fy - j0;
        stride = nx;
        i00 = offset + j0 * nx + i0;
        w00 = (1 - tx) * (1 - ty);
        w10 = tx * (1 - ty);
        w01 = (1 - tx) * ty;
        w11 = tx * ty;
    }

    double value(double[] a) {
        return w00 * a[i00] + w10 * a[i00 + 1] + w01 * a[i00 + stride] + w11 * a[i00 + stride + 1];
    }

    /** Transpose of {@link #value}: a += b * weights. */
    void scatter(double[] a, double b) {
        a[i00] += w00 * b;
        a[i00 + 1] += w10 * b;
        a[i00 + stride] += w01 * b;
        a[i00 + stride + 1] += w11 * b;
    }

    /** d value / d fx at the current point (zero where fx is clamped). */
    double dx(double[] a) {
        if (clampedX) return 0;
        return (1 - ty) * (a[i00 + 1] - a[i00]) + ty * (a[i00 + stride + 1] - a[i00 + stride]);
    }

    /** d value / d fy at the current point (zero where fy is clamped). */
    double dy(double[] a) {
        if (clampedY) return 0;
        return (1 - tx) * (a[i00 + stride] - a[i00]) + tx * (a[i00 + stride + 1] - a[i00 + 1]);
    }
}
