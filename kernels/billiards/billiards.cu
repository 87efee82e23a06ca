// The billiards problems' loss and gradient on the device (reference: physics/Billiards behind
// UnconstrainedObjective over BilliardsProblems), fused with the bound map (bound_map.cuh) so that a
// reparameterized iteration never leaves the GPU: from the network's unconstrained output z[n, 2]
// (the cue velocity v0 per problem) it writes loss[j] = |rest(v0_j; q_j) - y_j|^2 and d loss[j] / d z[j, :].
//
// The shot is in closed form (see Billiards.java for the derivation): contact distance from a
// quadratic, inelastic impulse along the contact normal, rest position under linear drag. A miss
// (no real contact, a graze, contact behind the cue or after it stops) leaves the ball where it was:
// the loss is |q - y|^2 and the gradient exactly 0, as on the host. One thread per problem, double
// arithmetic for every dtype; q, y and the bounds are float64 on the device, only z and the outputs
// are T. The physical constants come from the Java side (Billiards.RADIUS etc.), so there is one copy.
#include "common.cuh"
#include "bound_map.cuh"

struct BilliardsConstants {
    double radius, gamma, restitution, cue_x, cue_y;
};

// A shot that hits and what its gradient needs (Billiards.Shot); billiards_shot returns false on a miss.
struct BilliardsShot {
    double speed, ux, uy, wx, wy, b, sq, d, nx, ny, a, v2x, v2y;
};

__device__ inline bool billiards_shot(double v0x, double v0y, double qx, double qy, const BilliardsConstants& c,
                                      BilliardsShot& s) {
    s.speed = hypot(v0x, v0y);
    if (!(s.speed > 0)) return false;
    s.ux = v0x / s.speed;
    s.uy = v0y / s.speed;
    s.wx = c.cue_x - qx;
    s.wy = c.cue_y - qy;
    const double contact = 2 * c.radius;
    s.b = s.ux * s.wx + s.uy * s.wy;
    const double disc = s.b * s.b - (s.wx * s.wx + s.wy * s.wy - contact * contact);
    // disc == 0 is a graze: zero normal velocity, so no impulse
    if (!(disc > 0)) return false;
    s.sq = sqrt(disc);
    s.d = -s.b - s.sq;
    if (s.d < 0 || s.d >= s.speed / c.gamma) return false;
    s.nx = (-s.wx - s.d * s.ux) / contact;
    s.ny = (-s.wy - s.d * s.uy) / contact;
    s.a = (s.speed - c.gamma * s.d) * s.sq / contact;
    const double k = 0.5 * (1 + c.restitution);
    s.v2x = k * s.a * s.nx;
    s.v2y = k * s.a * s.ny;
    return true;
}

// d loss / d v0 into (out_x, out_y), given g = d loss / d v2 (Billiards.Shot.gradient, same order of operations).
__device__ inline void billiards_gradient(const BilliardsShot& s, double gx, double gy, const BilliardsConstants& c,
                                          double& out_x, double& out_y) {
    const double contact = 2 * c.radius, k = 0.5 * (1 + c.restitution);
    const double gbx = (s.wx - s.b * s.ux) / s.speed, gby = (s.wy - s.b * s.uy) / s.speed;
    const double gsqx = s.b / s.sq * gbx, gsqy = s.b / s.sq * gby;
    const double gdx = s.d / s.sq * gbx, gdy = s.d / s.sq * gby;
    const double rem = s.speed - c.gamma * s.d;
    const double gax = (s.sq * (s.ux - c.gamma * gdx) + rem * gsqx) / contact;
    const double gay = (s.sq * (s.uy - c.gamma * gdy) + rem * gsqy) / contact;
    const double gn = gx * s.nx + gy * s.ny, gu = gx * s.ux + gy * s.uy;
    // gradient of g.n with g held fixed
    const double gnx = -(gu * gdx + s.d * (gx - gu * s.ux) / s.speed) / contact;
    const double gny = -(gu * gdy + s.d * (gy - gu * s.uy) / s.speed) / contact;
    out_x = k * (gn * gax + s.a * gnx);
    out_y = k * (gn * gay + s.a * gny);
}

// z, grad_z: [n, 2] in T; q (ball positions), y (targets): [n, 2] float64; bounds: DeviceBoundMap's
// packed [mid, half, bounded] of 2 dimensions; loss: [n] in T.
template <typename T>
__device__ void billiards_loss(const T* z, const double* bounds, const double* q, const double* y, T* loss, T* grad_z,
                               int n, const BilliardsConstants c) {
    const BoundMap mx = bound_map_of(bounds, 2, 0), my = bound_map_of(bounds, 2, 1);
    FOR_EACH_INDEX(j, n) {
        const double zx = (double)z[2 * j], zy = (double)z[2 * j + 1];
        const double thx = tanh(zx), thy = tanh(zy);
        const double qx = q[2 * j], qy = q[2 * j + 1];
        double ex = qx - y[2 * j], ey = qy - y[2 * j + 1];
        double gx = 0.0, gy = 0.0;
        BilliardsShot s;
        if (billiards_shot(mx.physical(zx, thx), my.physical(zy, thy), qx, qy, c, s)) {
            ex += s.v2x / c.gamma;
            ey += s.v2y / c.gamma;
            billiards_gradient(s, 2 * ex / c.gamma, 2 * ey / c.gamma, c, gx, gy);
        }
        loss[j] = (T)(ex * ex + ey * ey);
        grad_z[2 * j] = (T)(gx * mx.jacobian(thx));  // as UnconstrainedObjective
        grad_z[2 * j + 1] = (T)(gy * my.jacobian(thy));
    }
}

extern "C" {
__global__ void __launch_bounds__(BLOCK_THREADS) billiards_loss_f64(const double* z, const double* bounds, const double* q, const double* y, double* loss,
                                   double* grad_z, int n, double radius, double gamma, double restitution, double cue_x,
                                   double cue_y) {
    billiards_loss(z, bounds, q, y, loss, grad_z, n, BilliardsConstants{radius, gamma, restitution, cue_x, cue_y});
}
__global__ void __launch_bounds__(BLOCK_THREADS) billiards_loss_f32(const float* z, const double* bounds, const double* q, const double* y, float* loss,
                                   float* grad_z, int n, double radius, double gamma, double restitution, double cue_x,
                                   double cue_y) {
    billiards_loss(z, bounds, q, y, loss, grad_z, n, BilliardsConstants{radius, gamma, restitution, cue_x, cue_y});
}
}
