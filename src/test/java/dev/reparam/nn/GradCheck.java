package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Tensor;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Central finite differences against the tape's vector-Jacobian products. */
final class GradCheck {
    static final Backend BE = CpuBackend.INSTANCE;
    static final double H = 1e-6, TOLERANCE = 1e-7;

    private GradCheck() {}

    interface Fn {
        Var apply(Tape tape, Var[] inputs);
    }

    static Tensor uniform(SplittableRandom rng, double lo, double hi, int... shape) {
        double[] v = new double[Tensor.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.nextDouble();
        return BE.fromHost(v, shape);
    }

    /** Values with |x| in [0.1, 1]: far from relu's kink at 0 compared with the FD step. */
    static Tensor awayFromZero(SplittableRandom rng, int... shape) {
        double[] v = uniform(rng, 0.1, 1, shape).toHost();
        for (int i = 0; i < v.length; i++) if (rng.nextBoolean()) v[i] = -v[i];
        return BE.fromHost(v, shape);
    }

    /** A shuffled grid of distinct values 0.01 apart, so no pooling window has a near tie. */
    static Tensor distinct(SplittableRandom rng, int... shape) {
        int n = Tensor.sizeOf(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 0.01 * (i - n / 2.0);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return BE.fromHost(v, shape);
    }

    /** Checks d/dx of sum(w ⊙ f(x)) for a random w against central differences, for every input. */
    static void check(String what, Fn f, Tensor... inputs) {
        Tape tape = new Tape(BE);
        Var[] vars = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) vars[i] = tape.leaf(inputs[i]);
        Var out = f.apply(tape, vars);
        Tensor w = uniform(new SplittableRandom(99), -1, 1, out.shape());
        tape.backward(out, w);
        for (int i = 0; i < inputs.length; i++) {
            double[] analytic = vars[i].grad().toHost();
            double[] numeric = new double[analytic.length];
            double[] x = inputs[i].toHost();
            for (int k = 0; k < x.length; k++) {
                double keep = x[k];
                x[k] = keep + H;
                BE.copyFromHost(x, inputs[i]);
                double up = projection(f, inputs, w);
                x[k] = keep - H;
                BE.copyFromHost(x, inputs[i]);
                double down = projection(f, inputs, w);
                x[k] = keep;
                BE.copyFromHost(x, inputs[i]);
                numeric[k] = (up - down) / (2 * H);
            }
            assertClose(what + " input " + i, numeric, analytic);
        }
    }

    static double projection(Fn f, Tensor[] inputs, Tensor w) {
        Tape tape = new Tape(BE);
        Var[] vars = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) vars[i] = tape.constant(inputs[i]);
        return dot(f.apply(tape, vars).value().toHost(), w.toHost());
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** max |numeric - analytic| relative to max |numeric|. */
    static void assertClose(String what, double[] numeric, double[] analytic) {
        double err = 0, scale = 0;
        for (int i = 0; i < numeric.length; i++) {
            err = Math.max(err, Math.abs(numeric[i] - analytic[i]));
            scale = Math.max(scale, Math.abs(numeric[i]));
        }
        assertTrue(scale > 1e-3, what + ": gradient is (nearly) zero, the check would prove nothing");
        assertTrue(err / scale < TOLERANCE, what + ": relative error " + err / scale);
    }
}
