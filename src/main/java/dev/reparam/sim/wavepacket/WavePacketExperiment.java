package dev.reparam.sim.wavepacket;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Profile;
import dev.reparam.inverse.Conv1dNetwork;
import dev.reparam.inverse.Network;
import dev.reparam.inverse.NetworkInput;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.nn.Layer;
import dev.reparam.tensor.Bounds;

import java.util.Arrays;
import java.util.List;

/** Section 4.1 of the paper: locate a wave packet's centre t0 in a noisy signal (local minima everywhere). */
public final class WavePacketExperiment implements Experiment {
    @Override
    public String name() {
        return "wavepacket";
    }

    @Override
    public String description() {
        return "wave packet localisation: t0 in [64, 192] from 256 noisy samples (paper 4.1)";
    }

    @Override
    public ProblemSet generate(int n, long seed) {
        return WavePacketProblems.generate(n, seed);
    }

    @Override
    public ProblemSet fromObservations(double[] observations, int[] shape, double[] inputs, int[] inputShape) {
        if (inputs != null) throw new IllegalArgumentException("--inputs: the wave packet has no known inputs x_i");
        if (shape.length != 2 || shape[1] != WavePacket.SAMPLES) {
            throw new IllegalArgumentException("wave packet observations must have shape [n, " + WavePacket.SAMPLES
                    + "], got " + Arrays.toString(shape));
        }
        return new WavePacketProblems(observations, null, Bounds.of(WavePacketProblems.T0_MIN,
                WavePacketProblems.T0_MAX));
    }

    @Override
    public Network network() {
        return new Network() {
            @Override
            public NetworkInput input(ProblemSet problems) {
                return new NetworkInput(problems.observations(), new int[] {1, WavePacket.SAMPLES});
            }

            @Override
            public List<Layer> layers(int[] inputShape, int outputDim) {
                return Conv1dNetwork.layers(outputDim);
            }
        };
    }

    /**
     * Adam at 1e-4: at 1e-3 the network drifts and stays near the loss it started from (47% better
     * than BFGS on n = 64, seed 0); 1e-4 and 3e-5 both settle by ~100 iterations (72% and 70%), hence 200 iterations in
     * the quick profile. See docs/experiments.md.
     */
    @Override
    public long bytesPerProblem(Profile profile) {
        // measured: every method at n = 128 fits 64 MB + n x this (docs/reliability.md); the profiles share the physics
        return 6L << 20;
    }

    @Override
    public double secondsPerProblemIteration(Profile profile) {
        // paper-profile sweep, n = 2..256, seeds 0-3: 56 min for 510 x 4 problems x 1000 iterations
        return 1.6e-3;
    }

    @Override
    public Reparameterized.Options training(long seed, Profile profile) {
        return new Reparameterized.Options(profile == Profile.PAPER ? 1000 : 200, 1e-4, 1.0, seed);
    }
}
