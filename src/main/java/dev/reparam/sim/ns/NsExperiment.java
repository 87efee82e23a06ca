package dev.reparam.sim.ns;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Profile;
import dev.reparam.inverse.Network;
import dev.reparam.inverse.NetworkInput;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.nn.BatchNorm;
import dev.reparam.nn.Conv2d;
import dev.reparam.nn.Flatten;
import dev.reparam.nn.Layer;
import dev.reparam.nn.Linear;
import dev.reparam.nn.MaxPool2d;
import dev.reparam.nn.Relu;
import dev.reparam.optim.LbfgsOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Section 4.4 of the paper: the force (x0, v0x, v0y) applied near the bottom of a 2D fluid with
 * obstacles, from the top half of the initial and of the final velocity.
 *
 * <p>The registered instance uses the paper's physics (100 x 100, 56 steps); {@link #forProfile}
 * gives the quick physics (32 x 32, 8 steps) for {@link Profile#QUICK}.
 */
public final class NsExperiment implements Experiment {
    static final int[] CHANNELS = {16, 32, 32, 32};
    static final int KERNEL = 3, HIDDEN = 64;

    private final NsProblems.Physics physics;

    public NsExperiment() {
        this(NsProblems.Physics.PAPER);
    }

    public NsExperiment(NsProblems.Physics physics) {
        this.physics = physics;
    }

    @Override
    public Experiment forProfile(Profile profile) {
        NsProblems.Physics wanted = profile == Profile.QUICK ? NsProblems.Physics.QUICK : NsProblems.Physics.PAPER;
        return wanted.equals(physics) ? this : new NsExperiment(wanted);
    }

    @Override
    public String name() {
        return "navier-stokes";
    }

    @Override
    public String description() {
        return "incompressible Navier-Stokes with obstacles: force (x0, v0) from the top half of u(0) and u(T) (paper "
                + "4.4)";
    }

    @Override
    public List<String> aliases() {
        return List.of("ns");
    }

    @Override
    public ProblemSet generate(int n, long seed) {
        return NsProblems.generate(physics, n, seed);
    }

    @Override
    public ProblemSet generatePart(int n, long seed, int start, int end) {
        return NsProblems.generate(physics, n, seed, start, end);
    }

    @Override
    public ProblemSet fromObservations(double[] observations, int[] shape, double[] inputs, int[] inputShape) {
        int obs = physics.grid().observedSize();
        String layout = " (u rows y >= " + physics.height() / 2 + " then v rows y >= " + physics.height() / 2
                + " of the " + physics.width() + " x " + physics.height() + " MAC grid)";
        if (shape.length != 2 || shape[1] != obs) {
            throw new IllegalArgumentException("--observations: Navier-Stokes final top-half velocities must have "
                    + "shape [n, " + obs + "]" + layout + ", got " + Arrays.toString(shape));
        }
        if (inputs == null) {
            throw new IllegalArgumentException("--inputs: Navier-Stokes needs the initial top-half velocities, shape "
                    + "[n, " + obs + "]" + layout);
        }
        if (inputShape.length != 2 || inputShape[0] != shape[0] || inputShape[1] != obs) {
            throw new IllegalArgumentException("--inputs: initial top-half velocities must have shape [" + shape[0]
                    + ", " + obs + "] to match --observations, got " + Arrays.toString(inputShape));
        }
        return new NsProblems(physics, inputs, observations, null);
    }

    /**
     * Input [4, H/2, W]: u and v of the initial and of the final top half, each averaged from the
     * faces to the cell centres so that all four channels share one image grid. Then 4 x (Conv2d
     * 3x3 'same' -> BatchNorm -> ReLU -> MaxPool 2), Flatten, Linear(64), ReLU, Linear(out):
     * 50 x 100 pooled four times leaves 3 x 6 per channel (quick 16 x 32: 1 x 2).
     */
    @Override
    public Network network() {
        return new Network() {
            @Override
            public NetworkInput input(ProblemSet problems) {
                MacGrid g = physics.grid();
                int n = problems.size(), rows = g.h / 2, plane = rows * g.w;
                if (problems.observationShape()[0] != g.observedSize()) {
                    throw new IllegalArgumentException("Navier-Stokes network: problems observe "
                            + problems.observationShape()[0] + " values, this physics " + g.observedSize());
                }
                double[] data = new double[4 * n * plane];
                for (int i = 0; i < n; i++) {
                    toCellCentres(g, problems.inputs(), i, data, 4 * i * plane);
                    toCellCentres(g, problems.observations(), i, data, (4 * i + 2) * plane);
                }
                return new NetworkInput(data, new int[] {4, rows, g.w});
            }

            @Override
            public List<Layer> layers(int[] inputShape, int outputDim) {
                List<Layer> layers = new ArrayList<>();
                for (int c : CHANNELS) {
                    layers.add(new Conv2d(c, KERNEL));
                    layers.add(new BatchNorm());
                    layers.add(new Relu());
                    layers.add(new MaxPool2d(2));
                }
                layers.add(new Flatten());
                layers.add(new Linear(HIDDEN));
                layers.add(new Relu());
                layers.add(new Linear(outputDim));
                return layers;
            }
        };
    }

    /**
     * Problem p's top half (observe layout) as two planes [H/2, W] at out[offset..): u and v at the
     * cell centres, the mean of the two faces of each cell.
     */
    static void toCellCentres(MacGrid g, double[] top, int p, double[] out, int offset) {
        int rows = g.h / 2, w = g.w, plane = rows * w, base = p * g.observedSize(), vBase = base + rows * (w + 1);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < w; i++) {
                out[offset + r * w + i] = 0.5 * (top[base + r * (w + 1) + i] + top[base + r * (w + 1) + i + 1]);
                out[offset + plane + r * w + i] = 0.5 * (top[vBase + r * w + i] + top[vBase + (r + 1) * w + i]);
            }
        }
    }

    /**
     * SciPy's defaults except gtol: the loss is a mean over ~10^4 squared velocity differences, about
     * 1e-4 at the optimum, so the default gtol 1e-5 (meant for losses of order 1) stopped BFGS after
     * 2-13 iterations far from any optimum. 1e-9 is the default scaled by that loss size.
     */
    static final double GTOL = 1e-9;

    @Override
    public LbfgsOptions lbfgs() {
        return LbfgsOptions.defaults().withGtol(GTOL);
    }

    /** Adam at 1e-3 (not tuned). CPU budget: one iteration costs n full forward + adjoint runs. */
    static final double LEARNING_RATE = 1e-3;

    @Override
    public long bytesPerProblem(Profile profile) {
        // measured: every method at n = 16 (quick) and 4 (paper) fits 64 MB + n x this (docs/reliability.md)
        return profile == Profile.QUICK ? 16L << 20 : 64L << 20;
    }

    @Override
    public double secondsPerProblemIteration(Profile profile) {
        // paper physics: 0.16 s per forward + adjoint run (docs/ns.md) for each of three network methods,
        // plus BFGS and refinement; quick: every method at n = 16 in 92 s with 30 iterations
        return profile == Profile.QUICK ? 0.2 : 0.7;
    }

    @Override
    public Reparameterized.Options training(long seed, Profile profile) {
        return new Reparameterized.Options(profile == Profile.PAPER ? 200 : 30, LEARNING_RATE, 1.0, seed);
    }
}
