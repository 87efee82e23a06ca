package dev.reparam.study;

import dev.reparam.inverse.ProblemSet;
import dev.reparam.sim.wavepacket.WavePacket;
import dev.reparam.sim.wavepacket.WavePacketProblems;
import dev.reparam.tensor.Bounds;

/**
 * Wave-packet problems under a study setup's noise and packet width, drawn as the product draws
 * them ({@link WavePacketProblems#draw}): with the spec's values they are the problems of
 * {@code reparam solve wavepacket} for the same seed. Host only (the study runs on the CPU).
 */
final class StudyProblems implements ProblemSet {
    private final double[] y, t0;
    private final double sigma;

    StudyProblems(int n, long seed, WavePacketSetup s) {
        this.t0 = new double[n];
        this.y = WavePacketProblems.draw(n, seed, s.noise(), s.sigma(), t0);
        this.sigma = s.sigma();
    }

    @Override
    public int size() {
        return t0.length;
    }

    @Override
    public Bounds bounds() {
        return Bounds.of(WavePacketProblems.T0_MIN, WavePacketProblems.T0_MAX);
    }

    @Override
    public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
        WavePacket.lossAndGradient(sigma, xi, y, problems, loss, gradient);
    }

    @Override
    public double[] observations() {
        return y;
    }

    @Override
    public int[] observationShape() {
        return new int[] {WavePacket.SAMPLES};
    }

    @Override
    public double[] trueParameters() {
        return t0.clone();
    }
}
