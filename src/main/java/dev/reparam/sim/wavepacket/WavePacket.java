package dev.reparam.sim.wavepacket;

import dev.reparam.tensor.Parallel;

/**
 * The wave packet u(t) = A sin(t - t0) exp(-(t - t0)^2 / sigma^2), t = 1..256 (paper, section 4.1),
 * and the batched mean-squared misfit against observed signals with its exact derivative in t0.
 */
public final class WavePacket {
    public static final int SAMPLES = 256;
    public static final double AMPLITUDE = 1.0;
    public static final double SIGMA = 10.0;

    private WavePacket() {}

    /** Writes u(t) for t = 1..SAMPLES into {@code out[offset..offset+SAMPLES)}. */
    public static void signal(double t0, double[] out, int offset) {
        signal(t0, SIGMA, out, offset);
    }

    /** {@link #signal(double, double[], int)} with another packet width (the paper leaves sigma open). */
    public static void signal(double t0, double sigma, double[] out, int offset) {
        for (int k = 0; k < SAMPLES; k++) {
            double s = (k + 1) - t0;
            out[offset + k] = AMPLITUDE * Math.sin(s) * Math.exp(-s * s / (sigma * sigma));
        }
    }

    /**
     * For each j, loss[j] = mean_t (u(t; t0[j]) - y[rows[j]](t))^2 and grad[j] = d loss[j] / d t0[j];
     * {@code y} holds all problems' signals, SAMPLES values each.
     */
    public static void lossAndGradient(double[] t0, double[] y, int[] rows, double[] loss, double[] grad) {
        lossAndGradient(SIGMA, t0, y, rows, loss, grad);
    }

    /** {@link #lossAndGradient(double[], double[], int[], double[], double[])} for packet width sigma. */
    public static void lossAndGradient(double sigma, double[] t0, double[] y, int[] rows, double[] loss,
            double[] grad) {
        double invSigma2 = 1.0 / (sigma * sigma);
        Parallel.forEach(rows.length, SAMPLES * 40L, j -> {
            int base = rows[j] * SAMPLES;
            double sum = 0, dsum = 0;
            for (int k = 0; k < SAMPLES; k++) {
                double s = (k + 1) - t0[j];
                double envelope = Math.exp(-s * s * invSigma2);
                double sin = Math.sin(s), cos = Math.cos(s);
                double u = AMPLITUDE * sin * envelope;
                // du/dt0 = -du/ds
                double dudt0 = -AMPLITUDE * envelope * (cos - 2 * s * invSigma2 * sin);
                double r = u - y[base + k];
                sum += r * r;
                dsum += r * dudt0;
            }
            loss[j] = sum / SAMPLES;
            grad[j] = 2 * dsum / SAMPLES;
        });
    }
}
