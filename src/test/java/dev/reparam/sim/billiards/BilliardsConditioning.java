package dev.reparam.sim.billiards;

/**
 * How much a shot's contact amplifies rounding, for the tolerances of the device-loss tests: the
 * contact distance is d = -b - sqrt(b^2 - c), and an error of one rounding in b^2 becomes a relative
 * error of b^2 / (b^2 - c) in sqrt(b^2 - c), unbounded as the shot approaches a graze. So two
 * evaluations that differ by an ulp in hypot (Java's, glibc's, CUDA's) or by an FMA agree only to
 * about eps times this factor. 1 for a miss (the loss is then a constant and the gradient 0).
 */
public final class BilliardsConditioning {
    private BilliardsConditioning() {}

    public static double of(double v0x, double v0y, double qx, double qy) {
        if (!Billiards.hits(v0x, v0y, qx, qy)) return 1.0;
        double speed = Math.hypot(v0x, v0y), ux = v0x / speed, uy = v0y / speed;
        double wx = Billiards.CUE_X - qx, wy = Billiards.CUE_Y - qy, contact = 2 * Billiards.RADIUS;
        double b = ux * wx + uy * wy, disc = b * b - (wx * wx + wy * wy - contact * contact);
        return Math.max(1.0, b * b / disc);
    }
}
