package dev.reparam.bench;

import dev.reparam.inverse.ProblemSets;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.NetworkInput;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.nn.Model;
import dev.reparam.optim.Adam;
import dev.reparam.optim.AdamOptions;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Parallel;
import dev.reparam.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

/**
 * Wall time of one reparameterized iteration (split into network forward, physics, backward,
 * Adam, and per backend op) and of one BFGS iteration on the wave packet, for the n given as
 * arguments. Run: {@code java -cp target/reparam.jar dev.reparam.bench.WavePacketTiming 64 256}.
 */
public final class WavePacketTiming {
    private static final int WARMUP = 30, ITERATIONS = 50;

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {64, 256}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("threads %d, java %s%n", Parallel.threads(), System.getProperty("java.version"));
        for (int n : sizes) {
            reparameterizedIteration(n);
            bfgsIteration(n);
        }
    }

    private static void reparameterizedIteration(int n) {
        Experiment exp = Experiments.byName("wavepacket");
        ProblemSet problems = exp.generate(n, 0);
        Map.Entry<Backend, KernelProfiler> wrapped = KernelProfiler.wrap(CpuBackend.INSTANCE);
        Backend backend = wrapped.getKey();
        NetworkInput in = exp.network().input(problems);
        Model model = new Model(backend, exp.network().layers(in.shape(), 1), in.shape(), 1);
        Adam adam = new Adam(model.params(), model.grads(), AdamOptions.defaults().withLr(1e-4));
        Tensor input = backend.fromHost(in.data(), in.batchShape(n));
        Tape tape = new Tape(backend);
        int[] all = ProblemSets.all(n);
        double[] loss = new double[n], grad = new double[n], xi = new double[n];
        long[] phase = new long[4];
        for (int it = 0; it < WARMUP + ITERATIONS; it++) {
            if (it == WARMUP) {
                Arrays.fill(phase, 0);
                wrapped.getValue().reset();
            }
            long t0 = System.nanoTime();
            tape.clear();
            model.zeroGrad();
            Var z = model.forward(tape, tape.constant(input));
            long t1 = System.nanoTime();
            problems.bounds().toPhysical(z.value().toHost(), xi);
            problems.lossAndGradient(all, xi, loss, grad);
            long t2 = System.nanoTime();
            Tensor seed = backend.fromHost(grad, n, 1);
            tape.backward(z, seed);
            long t3 = System.nanoTime();
            adam.step();
            long t4 = System.nanoTime();
            phase[0] += t1 - t0;
            phase[1] += t2 - t1;
            phase[2] += t3 - t2;
            phase[3] += t4 - t3;
        }
        double total = (phase[0] + phase[1] + phase[2] + phase[3]) * 1e-6 / ITERATIONS;
        System.out.printf("%nreparameterized iteration, n = %d, %d parameters: %.2f ms%n", n, model.parameterCount(),
                total);
        String[] names = {"network forward", "physics loss+gradient", "backward", "adam"};
        for (int i = 0; i < 4; i++) System.out.printf("  %-24s %8.3f ms%n", names[i], phase[i] * 1e-6 / ITERATIONS);
        System.out.println("  per backend op (forward + backward, ms per iteration, calls per iteration):");
        wrapped.getValue().entries().entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().nanos, a.getValue().nanos))
                .forEach(e -> System.out.printf("    %-22s %8.3f ms %6.1f%n", e.getKey(),
                e.getValue().millis() / ITERATIONS, (double) e.getValue().calls() / ITERATIONS));
    }

    private static void bfgsIteration(int n) {
        ProblemSet problems = Experiments.byName("wavepacket").generate(n, 0);
        Bfgs bfgs = new Bfgs();
        for (int i = 0; i < 20; i++) bfgs.solve(problems, ProgressListener.NONE);
        int reps = 50;
        long t = System.nanoTime();
        MethodResult r = null;
        for (int i = 0; i < reps; i++) r = bfgs.solve(problems, ProgressListener.NONE);
        double ms = (System.nanoTime() - t) * 1e-6 / reps;
        int lockstep = r.curve().length - 1;
        double evals = Arrays.stream(r.unrefined().evaluations()).sum();
        System.out.printf("BFGS, n = %d: %.3f ms per solve, %d lockstep iterations (%.3f ms each), %.0f problem "
                + "evaluations "
                + "(%.2f us each incl. L-BFGS bookkeeping)%n", n, ms, lockstep, ms / lockstep, evals, 1e3 * ms / evals);
    }
}
