package dev.reparam.sim.billiards;

import dev.reparam.inverse.ProblemSet;
import dev.reparam.sim.billiards.cuda.BilliardsOnCuda;
import dev.reparam.tensor.Bounds;

import java.util.SplittableRandom;

/**
 * Billiards problems: find the cue velocity v0 that sends the second ball (known position x_i)
 * to rest at the target y_i. Generated problems keep the v0 that made their target.
 * On the CUDA backend the losses are evaluated on the GPU ({@link BilliardsOnCuda}), so a
 * reparameterized iteration copies nothing to the host and can be captured as a CUDA graph.
 */
public final class BilliardsProblems implements ProblemSet {
    public static final double V0X_MIN = 0, V0X_MAX = 1.5, V0Y_MIN = -1.5, V0Y_MAX = 1.5;
    /** The second ball lies at (0.5, 0.5) plus U[-BALL_DX, BALL_DX] x U[-BALL_DY, BALL_DY]. */
    public static final double BALL_DX = 0.1, BALL_DY = 0.15;

    private final double[] ballPositions;
    private final double[] targets;
    private final double[] trueV0;

    public BilliardsProblems(double[] ballPositions, double[] targets, double[] trueV0) {
        if (targets.length == 0 || targets.length % 2 != 0) {
            throw new IllegalArgumentException("billiards targets must be [n, 2] with n >= 1, got " + targets.length
                    + " values");
        }
        if (ballPositions.length != targets.length) {
            throw new IllegalArgumentException("billiards: " + ballPositions.length / 2 + " ball positions for "
                    + targets.length / 2 + " targets");
        }
        this.ballPositions = ballPositions;
        this.targets = targets;
        this.trueV0 = trueV0;
    }

    /**
     * n problems; each target comes from a v0 drawn uniformly from the bounds until the shot hits
     * (about one draw in ten does), so every problem has an exact solution.
     */
    public static BilliardsProblems generate(int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] q = new double[2 * n], y = new double[2 * n], v0 = new double[2 * n], rest = new double[2];
        for (int i = 0; i < n; i++) {
            double qx = 0.5 + BALL_DX * (2 * rng.nextDouble() - 1), qy = 0.5 + BALL_DY * (2 * rng.nextDouble() - 1);
            double vx, vy;
            do {
                vx = V0X_MIN + (V0X_MAX - V0X_MIN) * rng.nextDouble();
                vy = V0Y_MIN + (V0Y_MAX - V0Y_MIN) * rng.nextDouble();
            } while (!Billiards.hits(vx, vy, qx, qy));
            Billiards.restPosition(vx, vy, qx, qy, rest);
            q[2 * i] = qx;
            q[2 * i + 1] = qy;
            v0[2 * i] = vx;
            v0[2 * i + 1] = vy;
            y[2 * i] = rest[0];
            y[2 * i + 1] = rest[1];
        }
        return new BilliardsProblems(q, y, v0);
    }

    @Override
    public int size() {
        return targets.length / 2;
    }

    @Override
    public Bounds bounds() {
        return new Bounds(new double[] {V0X_MIN, V0Y_MIN}, new double[] {V0X_MAX, V0Y_MAX});
    }

    /** The paper's prior mean: a shot straight along x, which hits only balls near y = 0.5. */
    @Override
    public double[] initialGuess() {
        return new double[] {0.75, 0.0};
    }

    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        Billiards.lossAndGradient(xi, ballPositions, targets, problems, loss, gradient);
    }

    @Override
    public double[] observations() {
        return targets;
    }

    @Override
    public int[] observationShape() {
        return new int[] {2};
    }

    @Override
    public double[] inputs() {
        return ballPositions;
    }

    @Override
    public int[] inputShape() {
        return new int[] {2};
    }

    /** The v0 the targets were made with, or {@code null} for user-supplied targets. */
    @Override
    public double[] trueParameters() {
        return trueV0 == null ? null : trueV0.clone();
    }
}
