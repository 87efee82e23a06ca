package dev.reparam.sim.billiards;

import dev.reparam.tensor.Parallel;

/**
 * The billiards shot of the paper's section 4.2 in closed form: a cue ball from (0.1, 0.5) with
 * velocity v0 under linear drag (gamma = 1) may hit a second ball at q (radius 0.03 each, equal
 * mass, restitution 0.8); the loss is the squared distance of the second ball's rest position to
 * the target. A miss leaves the second ball at q: constant loss, zero gradient.
 *
 * <p>Derivation (S = |v0|, u = v0 / S, w = p0 - q, R = 2r, k = (1 + e) / 2):
 * <ul>
 * <li>Under linear drag the speed falls linearly with distance, v(d) = S - gamma d, so the cue
 *     ball stops after S / gamma and moves along p0 + d u.</li>
 * <li>Contact: |w + d u|^2 = R^2, i.e. d^2 + 2 b d + c = 0 with b = u.w, c = |w|^2 - R^2 > 0
 *     (the balls start apart). With sq = sqrt(b^2 - c), the first contact is d = -b - sq; it is
 *     a hit if sq > 0, d >= 0 and d < S / gamma.</li>
 * <li>n = (q - p0 - d u) / R, and u.n = (-b - d) / R = sq / R, so the normal velocity at contact is
 *     a = (S - gamma d) sq / R > 0; the second ball gets v2 = k a n and rests at q + v2 / gamma.</li>
 * <li>Gradients in v0: grad S = u, du = (I - u u^T) dv0 / S, grad b = (w - b u) / S,
 *     grad sq = (b / sq) grad b, grad d = -grad b - grad sq = (d / sq) grad b,
 *     grad a = [sq (u - gamma grad d) + (S - gamma d) grad sq] / R,
 *     dn = -(u dd + d du) / R. With g = dL/dv2 = 2 (rest - y) / gamma:
 *     grad L = k (g.n) grad a - k a [(g.u) grad d + d (g - (g.u) u) / S] / R.</li>
 * </ul>
 */
public final class Billiards {
    public static final double RADIUS = 0.03, GAMMA = 1.0, RESTITUTION = 0.8;
    public static final double CUE_X = 0.1, CUE_Y = 0.5;

    private Billiards() {}

    /** Where the second ball, starting at (qx, qy), comes to rest after the shot v0; out[0..1]. */
    public static void restPosition(double v0x, double v0y, double qx, double qy, double[] out) {
        Shot s = Shot.of(v0x, v0y, qx, qy);
        out[0] = qx + (s == null ? 0 : s.v2x / GAMMA);
        out[1] = qy + (s == null ? 0 : s.v2y / GAMMA);
    }

    /** Whether the shot v0 touches the ball at (qx, qy) before the cue ball stops. */
    public static boolean hits(double v0x, double v0y, double qx, double qy) {
        return Shot.of(v0x, v0y, qx, qy) != null;
    }

    /**
     * For each j: loss[j] = |rest(v0[j]; q[rows[j]]) - y[rows[j]]|^2 and grad[2j..2j+1] = d loss / d v0.
     * {@code v0} is [k, 2] (one row per entry of rows); {@code q} and {@code y} are [n, 2] for all problems.
     */
    public static void lossAndGradient(double[] v0, double[] q, double[] y, int[] rows, double[] loss, double[] grad) {
        Parallel.forEach(rows.length, 200, j -> {
            int i = rows[j];
            double qx = q[2 * i], qy = q[2 * i + 1];
            Shot s = Shot.of(v0[2 * j], v0[2 * j + 1], qx, qy);
            double ex = qx - y[2 * i], ey = qy - y[2 * i + 1];
            if (s == null) {
                loss[j] = ex * ex + ey * ey;
                grad[2 * j] = 0.0;
                grad[2 * j + 1] = 0.0;
                return;
            }
            ex += s.v2x / GAMMA;
            ey += s.v2y / GAMMA;
            loss[j] = ex * ex + ey * ey;
            s.gradient(2 * ex / GAMMA, 2 * ey / GAMMA, grad, 2 * j);
        });
    }

    /** A shot that hits, with what its gradient needs; {@link #of} returns null for a miss. */
    private record Shot(double speed, double ux, double uy, double wx, double wy, double b, double sq, double d,
                        double nx, double ny, double a, double v2x, double v2y) {
        static Shot of(double v0x, double v0y, double qx, double qy) {
            double speed = Math.hypot(v0x, v0y);
            if (!(speed > 0)) return null;
            double ux = v0x / speed, uy = v0y / speed;
            double wx = CUE_X - qx, wy = CUE_Y - qy;
            double contact = 2 * RADIUS;
            double b = ux * wx + uy * wy;
            double disc = b * b - (wx * wx + wy * wy - contact * contact);
            // disc == 0 is a graze: zero normal velocity, so no impulse
            if (!(disc > 0)) return null;
            double sq = Math.sqrt(disc);
            double d = -b - sq;
            if (d < 0 || d >= speed / GAMMA) return null;
            double nx = (-wx - d * ux) / contact, ny = (-wy - d * uy) / contact;
            double a = (speed - GAMMA * d) * sq / contact;
            double k = 0.5 * (1 + RESTITUTION);
            return new Shot(speed, ux, uy, wx, wy, b, sq, d, nx, ny, a, k * a * nx, k * a * ny);
        }

        /** Writes d loss / d v0 into out[at..at+1], given g = d loss / d v2. */
        void gradient(double gx, double gy, double[] out, int at) {
            double contact = 2 * RADIUS, k = 0.5 * (1 + RESTITUTION);
            double gbx = (wx - b * ux) / speed, gby = (wy - b * uy) / speed;
            double gsqx = b / sq * gbx, gsqy = b / sq * gby;
            double gdx = d / sq * gbx, gdy = d / sq * gby;
            double rem = speed - GAMMA * d;
            double gax = (sq * (ux - GAMMA * gdx) + rem * gsqx) / contact;
            double gay = (sq * (uy - GAMMA * gdy) + rem * gsqy) / contact;
            double gn = gx * nx + gy * ny, gu = gx * ux + gy * uy;
            // gradient of g.n with g held fixed
            double gnx = -(gu * gdx + d * (gx - gu * ux) / speed) / contact;
            double gny = -(gu * gdy + d * (gy - gu * uy) / speed) / contact;
            out[at] = k * (gn * gax + a * gnx);
            out[at + 1] = k * (gn * gay + a * gny);
        }
    }
}
