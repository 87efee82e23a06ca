package dev.reparam.sim.ks;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Profile;
import dev.reparam.inverse.Conv1dNetwork;
import dev.reparam.inverse.Network;
import dev.reparam.inverse.NetworkInput;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.nn.Layer;

import java.util.Arrays;
import java.util.List;

/**
 * Section 4.3 of the paper: forcing strength alpha and advection strength beta of a chaotic forced
 * Kuramoto-Sivashinsky equation from a known initial state and the state at t = T.
 *
 * <p>The registered instance uses the paper's physics; {@link #forProfile} gives the quick
 * physics (N = 64, L = 22, t = 10) for {@link Profile#QUICK}.
 */
public final class KsExperiment implements Experiment {
    private final KsProblems.Physics physics;

    public KsExperiment() {
        this(KsProblems.Physics.PAPER);
    }

    public KsExperiment(KsProblems.Physics physics) {
        this.physics = physics;
    }

    @Override
    public String name() {
        return "kuramoto-sivashinsky";
    }

    @Override
    public String description() {
        return "forced Kuramoto-Sivashinsky: forcing alpha and advection beta from u(0) and u(T) (paper 4.3)";
    }

    @Override
    public List<String> aliases() {
        return List.of("ks");
    }

    @Override
    public Experiment forProfile(Profile profile) {
        KsProblems.Physics wanted = profile == Profile.QUICK ? KsProblems.Physics.QUICK : KsProblems.Physics.PAPER;
        return wanted == physics ? this : new KsExperiment(wanted);
    }

    @Override
    public ProblemSet generate(int n, long seed) {
        return KsProblems.generate(physics, n, seed);
    }

    @Override
    public ProblemSet generatePart(int n, long seed, int start, int end) {
        return KsProblems.generate(physics, n, seed, start, end);
    }

    @Override
    public ProblemSet fromObservations(double[] observations, int[] shape, double[] inputs, int[] inputShape) {
        int points = physics.points();
        if (shape.length != 2 || shape[1] != points) {
            throw new IllegalArgumentException("--observations: Kuramoto-Sivashinsky states u(T) must have shape [n, "
                    + points + "], got " + Arrays.toString(shape));
        }
        if (inputs == null) {
            throw new IllegalArgumentException("--inputs: Kuramoto-Sivashinsky needs the initial states u(0), shape "
                    + "[n, " + points + "]");
        }
        if (inputShape.length != 2 || inputShape[0] != shape[0] || inputShape[1] != points) {
            throw new IllegalArgumentException("--inputs: initial states must have shape [" + shape[0] + ", " + points
                    + "] to match --observations, got " + Arrays.toString(inputShape));
        }
        return new KsProblems(physics.solver(), inputs, observations, null);
    }

    /** The wave-packet network on two input channels, u(0) and u(T) of each problem: input [2, N]. */
    @Override
    public Network network() {
        return new Network() {
            @Override
            public NetworkInput input(ProblemSet problems) {
                int n = problems.size(), points = problems.observationShape()[0];
                double[] u0 = problems.inputs(), y = problems.observations(), data = new double[2 * n * points];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(u0, i * points, data, 2 * i * points, points);
                    System.arraycopy(y, i * points, data, (2 * i + 1) * points, points);
                }
                return new NetworkInput(data, new int[] {2, points});
            }

            @Override
            public List<Layer> layers(int[] inputShape, int outputDim) {
                return Conv1dNetwork.layers(outputDim);
            }
        };
    }

    /**
     * Adam at 3e-4, lowered until the mean training loss stops jumping (n = 32, seed 0, 300
     * iterations): its largest rise between iterations is 0.97 at 1e-2, 0.19 at 3e-3, 0.086 at
     * 1e-3, 0.055 at 3e-4 and 0.013 at 1e-4, where it ends highest (0.42 against 0.37 at 3e-4).
     * See docs/experiments.md.
     */
    static final double LEARNING_RATE = 3e-4;

    @Override
    public long bytesPerProblem(Profile profile) {
        // measured: every method at n = 32 (quick) and 16 (paper) fits 64 MB + n x this (docs/reliability.md)
        return profile == Profile.QUICK ? 4L << 20 : 8L << 20;
    }

    @Override
    public double secondsPerProblemIteration(Profile profile) {
        // paper physics: the paper-profile sweep, n = 2..64, seeds 0-3, 31 min for 126 x 4 problems x 1000
        // iterations; the quick physics (N = 64) is about four times cheaper per step
        return profile == Profile.QUICK ? 1e-3 : 3.7e-3;
    }

    @Override
    public Reparameterized.Options training(long seed, Profile profile) {
        return new Reparameterized.Options(profile == Profile.PAPER ? 1000 : 200, LEARNING_RATE, 1.0, seed);
    }
}
