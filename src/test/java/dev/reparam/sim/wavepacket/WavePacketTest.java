package dev.reparam.sim.wavepacket;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WavePacketTest {
    @Test
    void signalMatchesTheFormula() {
        double[] u = new double[WavePacket.SAMPLES];
        WavePacket.signal(100.3, u, 0);
        double s = 17 - 100.3; // t = 17 is index 16
        assertEquals(Math.sin(s) * Math.exp(-s * s / 100), u[16], 1e-15);
        assertEquals(Math.sin(100 - 100.3) * Math.exp(-0.09 / 100), u[99], 1e-15);
    }

    @Test
    void gradientMatchesCentralDifferencesAcrossTheRange() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 40;
        double[] y = new double[n * WavePacket.SAMPLES];
        for (int i = 0; i < y.length; i++) y[i] = 0.3 * rng.nextGaussian();
        double[] t0 = new double[n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            t0[i] = 60 + 136 * rng.nextDouble();
            rows[i] = i;
        }
        double[] loss = new double[n], grad = new double[n], lp = new double[n], lm = new double[n], g = new double[n];
        WavePacket.lossAndGradient(t0, y, rows, loss, grad);
        double h = 1e-5;
        double[] tp = t0.clone(), tm = t0.clone();
        for (int i = 0; i < n; i++) {
            tp[i] += h;
            tm[i] -= h;
        }
        WavePacket.lossAndGradient(tp, y, rows, lp, g);
        WavePacket.lossAndGradient(tm, y, rows, lm, g);
        for (int i = 0; i < n; i++) {
            double fd = (lp[i] - lm[i]) / (2 * h);
            assertEquals(fd, grad[i], 1e-8 + 1e-6 * Math.abs(fd), "problem " + i + " at t0 = " + t0[i]);
        }
    }

    @Test
    void rowsSelectWhichObservationsAreUsed() {
        double[] y = new double[2 * WavePacket.SAMPLES];
        WavePacket.signal(150, y, WavePacket.SAMPLES);
        double[] loss = new double[1], grad = new double[1];
        WavePacket.lossAndGradient(new double[] {150}, y, new int[] {1}, loss, grad);
        assertEquals(0.0, loss[0], 1e-30);
        WavePacket.lossAndGradient(new double[] {150}, y, new int[] {0}, loss, grad);
        assertEquals(true, loss[0] > 0.01);
    }
}
