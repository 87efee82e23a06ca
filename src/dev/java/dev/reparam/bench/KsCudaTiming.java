package dev.reparam.bench;

import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaDevice;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.cuda.DeviceMemory;
import dev.reparam.cuda.LoadedKernels;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.sim.ks.KsProblems;
import dev.reparam.sim.ks.cuda.CudaKuramotoSivashinsky;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * GPU counterpart of {@link KsTiming}: the paper's size (N = 128, L = 32 pi, dt = 0.25, 100 steps)
 * for n problems, float64 and float32; median wall time of synchronised calls after warm-up.
 * "forward" is simulate (it also uploads u0 and downloads u(T), 2 n N values); "loss + gradient"
 * is a resident problem set's lossAndGradient (xi up, loss and gradient down), the call BFGS makes.
 * Run on a GPU machine: {@code java -cp ... dev.reparam.bench.KsCudaTiming [n ...]} (default 256 1024).
 * docs/ks.md predicts 1.3-2.6 ms for loss + gradient at n = 256, about the same at n = 1024.
 */
public final class KsCudaTiming {
    private static final int N = 128, STEPS = 100, WARMUP = 5, REPEATS = 21;

    public static void main(String[] args) {
        CudaAvailability a = CudaAvailability.probe();
        if (!a.available()) {
            System.err.println("KsCudaTiming: CUDA unavailable: " + a.detail());
            System.exit(2);
        }
        int[] sizes = args.length == 0 ? new int[] {256, 1024}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        try (CudaDevice device = CudaDevice.open(0); LoadedKernels kernels = LoadedKernels.load();
             DeviceMemory memory = DeviceMemory.open()) {
            System.out.printf("%s, N = %d, %d steps%n", device, N, STEPS);
            for (CudaDtype t : CudaDtype.values()) {
                for (int n : sizes) time(device, kernels, memory, t, n);
            }
        }
    }

    private static void time(CudaDevice device, LoadedKernels kernels, DeviceMemory memory, CudaDtype t, int n) {
        SplittableRandom rng = new SplittableRandom(n);
        double[] u0 = KsProblems.initialStates(rng, n, N), alpha = new double[n], beta = new double[n],
                params = new double[2 * n];
        for (int i = 0; i < n; i++) {
            alpha[i] = rng.nextDouble(-1, 1);
            beta[i] = rng.nextDouble(0.5, 1.5);
            params[2 * i + 1] = 1;
        }
        int[] rows = ProblemSets.all(n);
        double[] loss = new double[n], grad = new double[2 * n], forward = new double[REPEATS],
                both = new double[REPEATS];
        try (CudaKuramotoSivashinsky ks = new CudaKuramotoSivashinsky(device, kernels, memory, t, N, 32 * Math.PI,
                0.25, STEPS)) {
            double[] targets = ks.simulate(alpha, beta, u0, null);
            try (CudaKuramotoSivashinsky.Problems problems = ks.upload(u0, targets)) {
                for (int r = 0; r < WARMUP + REPEATS; r++) {
                    long t0 = System.nanoTime();
                    ks.simulate(alpha, beta, u0, null);
                    long t1 = System.nanoTime();
                    problems.lossAndGradient(rows, params, loss, grad, null);
                    long t2 = System.nanoTime();
                    if (r >= WARMUP) {
                        forward[r - WARMUP] = (t1 - t0) * 1e-3;
                        both[r - WARMUP] = (t2 - t1) * 1e-3;
                    }
                }
            }
        }
        System.out.printf("%s n = %5d: forward %8.1f us, loss + gradient %8.1f us (median of %d)%n", t.suffix(), n,
                median(forward), median(both), REPEATS);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
