package dev.reparam.examples;

import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.CentralDifferences;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.MlpNetwork;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Refinement;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's example of a user-defined problem that is not one of the paper's: recover the
 * frequency and damping of a damped oscillator x(t) = exp(-gamma t) cos(omega t) from 32 samples.
 * Everything the engine needs is the class below.
 */
class DampedOscillatorExampleTest {

    /** n oscillators; unknowns (omega, gamma) in [0.5, 3] x [0, 0.5]. */
    static final class DampedOscillators implements ProblemSet {
        static final int SAMPLES = 32;
        static final double DT = 0.25;
        final double[] y;

        DampedOscillators(double[] y) {
            this.y = y;
        }

        static DampedOscillators generate(int n, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] y = new double[n * SAMPLES];
            for (int i = 0; i < n; i++) {
                double omega = 0.5 + 2.5 * rng.nextDouble(), gamma = 0.5 * rng.nextDouble();
                for (int k = 0; k < SAMPLES; k++) y[i * SAMPLES
                        + k] = Math.exp(-gamma * k * DT) * Math.cos(omega * k * DT);
            }
            return new DampedOscillators(y);
        }

        @Override public int size() { return y.length / SAMPLES; }
        @Override public Bounds bounds() { return new Bounds(new double[] {0.5, 0.0}, new double[] {3.0, 0.5}); }
        @Override public double[] observations() { return y; }
        @Override public int[] observationShape() { return new int[] {SAMPLES}; }

        @Override
        public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
            for (int j = 0; j < problems.length; j++) {
                double omega = xi[2 * j], gamma = xi[2 * j + 1], l = 0, dOmega = 0, dGamma = 0;
                for (int k = 0; k < SAMPLES; k++) {
                    double t = k * DT, e = Math.exp(-gamma * t);
                    double r = e * Math.cos(omega * t) - y[problems[j] * SAMPLES + k];
                    l += r * r;
                    dOmega += 2 * r * (-e * t * Math.sin(omega * t));
                    dGamma += 2 * r * (-t * e * Math.cos(omega * t));
                }
                loss[j] = l / SAMPLES;
                gradient[2 * j] = dOmega / SAMPLES;
                gradient[2 * j + 1] = dGamma / SAMPLES;
            }
        }
    }

    @Test
    void theUsersGradientMatchesCentralDifferences() {
        DampedOscillators problems = DampedOscillators.generate(8, 3);
        double[] xi = {1.1, 0.2, 2.5, 0.05, 0.7, 0.4, 1.9, 0.3, 2.2, 0.1, 0.6, 0.45, 2.9, 0.25, 1.5, 0.15};
        double[] loss = new double[8], gradient = new double[16];
        problems.lossAndGradient(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, xi, loss, gradient);
        double[] fd = CentralDifferences.gradient(problems, xi, 1e-6);
        for (int i = 0; i < 16; i++) assertEquals(fd[i], gradient[i], 1e-8 + 1e-6 * Math.abs(fd[i]), "entry " + i);
    }

    @Test
    void userProblemRunsThroughBfgsAndReparameterizedWithRefinement() {
        DampedOscillators problems = DampedOscillators.generate(16, 7);
        MethodResult bfgs = new Bfgs().solve(problems, ProgressListener.NONE);
        Reparameterized reparam = new Reparameterized(CpuBackend.INSTANCE, new MlpNetwork(64, 64),
                new Reparameterized.Options(300, 1e-3, 1.0, 42));
        MethodResult net = new Refinement(new Bfgs()).refine(problems, reparam.solve(problems, ProgressListener.NONE),
                ProgressListener.NONE);

        assertEquals(16, net.refined().loss().length);
        assertEquals(300, net.curve().length);
        // Training must reduce the summed loss, and refinement can only improve each network answer.
        assertTrue(mean(net.curve()[299]) < mean(net.curve()[0]), "training did not reduce the loss");
        for (int i = 0; i < 16; i++) {
            assertTrue(net.refined().loss()[i] <= net.unrefined().loss()[i] + 1e-15,
                    "refinement made problem " + i + " worse");
            assertTrue(bfgs.unrefined().loss()[i] >= 0);
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
