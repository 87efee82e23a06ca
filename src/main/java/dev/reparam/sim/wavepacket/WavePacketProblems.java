package dev.reparam.sim.wavepacket;

import dev.reparam.inverse.ProblemSet;
import dev.reparam.sim.wavepacket.cuda.WavePacketOnCuda;
import dev.reparam.tensor.Bounds;

import java.util.SplittableRandom;

/**
 * Wave packet localisation problems: find t0 in [64, 192] from a noisy 256-sample signal.
 * Generated problems keep their true t0; problems built from a user's observations have none.
 * On the CUDA backend the losses are evaluated on the GPU ({@link WavePacketOnCuda}).
 */
public final class WavePacketProblems implements ProblemSet {
    public static final double T0_MIN = 64, T0_MAX = 192, NOISE_STD = 0.1;

    private final double[] observations;
    private final double[] trueT0;
    private final Bounds bounds;

    public WavePacketProblems(double[] observations, double[] trueT0, Bounds bounds) {
        if (observations.length == 0 || observations.length % WavePacket.SAMPLES != 0) {
            throw new IllegalArgumentException("wave packet observations must be [n, " + WavePacket.SAMPLES
                    + "] with n >= 1, got " + observations.length + " values");
        }
        if (bounds.dim() != 1) {
            throw new IllegalArgumentException("wave packet has one unknown (t0), bounds give " + bounds.dim());
        }
        this.observations = observations;
        this.trueT0 = trueT0;
        this.bounds = bounds;
    }

    /** n problems with t0 ~ U[64, 192] and i.i.d. N(0, 0.1^2) noise, all fixed by the seed. */
    public static WavePacketProblems generate(int n, long seed) {
        double[] t0 = new double[n];
        double[] y = draw(n, seed, NOISE_STD, WavePacket.SIGMA, t0);
        return new WavePacketProblems(y, t0, Bounds.of(T0_MIN, T0_MAX));
    }

    /**
     * The signals [n, SAMPLES] of n problems with the given noise level and packet width (the
     * spec's are NOISE_STD and SIGMA; the factor study varies them); their t0 go to {@code t0}.
     * The same seed draws the same t0 and the same standard-normal noise whatever the two values.
     */
    public static double[] draw(int n, long seed, double noiseStd, double sigma, double[] t0) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (t0.length != n) throw new IllegalArgumentException("t0 holds " + t0.length + " values, n is " + n);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] y = new double[n * WavePacket.SAMPLES];
        for (int i = 0; i < n; i++) {
            t0[i] = T0_MIN + (T0_MAX - T0_MIN) * rng.nextDouble();
            WavePacket.signal(t0[i], sigma, y, i * WavePacket.SAMPLES);
            for (int k = 0; k < WavePacket.SAMPLES; k++) y[i * WavePacket.SAMPLES + k] += noiseStd * rng.nextGaussian();
        }
        return y;
    }

    /** The t0 the signals were made with, or {@code null} for user-supplied observations. */
    @Override
    public double[] trueParameters() {
        return trueT0 == null ? null : trueT0.clone();
    }

    @Override
    public int size() {
        return observations.length / WavePacket.SAMPLES;
    }

    @Override
    public Bounds bounds() {
        return bounds;
    }

    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        WavePacket.lossAndGradient(xi, observations, problems, loss, gradient);
    }

    @Override
    public double[] observations() {
        return observations;
    }

    @Override
    public int[] observationShape() {
        return new int[] {WavePacket.SAMPLES};
    }
}
