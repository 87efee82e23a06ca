package dev.reparam.bench;

import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaDevice;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.cuda.DeviceMemory;
import dev.reparam.cuda.LoadedKernels;
import dev.reparam.sim.ns.MacGrid;
import dev.reparam.sim.ns.NavierStokes;
import dev.reparam.sim.ns.SmoothNoise;
import dev.reparam.sim.ns.cuda.CgPreconditioner;
import dev.reparam.sim.ns.cuda.CudaNavierStokes;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The device rollout under each CG preconditioner, to check docs/ns.md's estimate (multigrid about
 * 1.1 ms per solve against SSOR's 8 and Jacobi's 10.5 for 64 problems on 100 x 100 in float64):
 * median wall time of the forward rollout ({@code simulate}: states up, final states down) after
 * a warm-up, and the CG iterations per solve (mean over problems and steps; worst problem of the
 * last solve). Run on a GPU machine:
 * {@code java -cp ... dev.reparam.bench.NsCudaTiming [n] [W] [steps]} (defaults 64 100 56).
 */
public final class NsCudaTiming {
    private static final double DT = 1, NU = 0.01, AMPLITUDE = 0.3;
    private static final int WARMUP = 1, REPEATS = 5;

    public static void main(String[] args) {
        CudaAvailability a = CudaAvailability.probe();
        if (!a.available()) {
            System.err.println("NsCudaTiming: CUDA unavailable: " + a.detail());
            System.exit(2);
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 64, w = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 56;
        MacGrid g = MacGrid.threeObstacles(w, w);
        SplittableRandom rng = new SplittableRandom(1);
        double[] s0 = SmoothNoise.states(rng, g, n, AMPLITUDE), xi = new double[3 * n];
        for (int i = 0; i < n; i++) {
            xi[3 * i] = rng.nextDouble(0.2 * w, 0.8 * w);
            xi[3 * i + 1] = rng.nextDouble(-2, 2);
            xi[3 * i + 2] = rng.nextDouble(-2, 2);
        }
        double tol = NavierStokes.DEFAULT_CG_TOLERANCE;
        try (CudaDevice device = CudaDevice.open(0); LoadedKernels kernels = LoadedKernels.load();
             DeviceMemory memory = DeviceMemory.open()) {
            System.out.printf("%s, n = %d, %d x %d cells, %d steps, CG tolerance %.0e%n", device, n, w, w, steps, tol);
            for (CudaDtype t : CudaDtype.values()) {
                for (CgPreconditioner p : CgPreconditioner.values()) {
                    try (CudaNavierStokes ns = new CudaNavierStokes(kernels, memory, t, g, DT, steps, NU, tol, p, n)) {
                        double[] ms = new double[REPEATS];
                        long before = 0;
                        for (int r = 0; r < WARMUP + REPEATS; r++) {
                            if (r == WARMUP) before = ns.totalCgIterations();
                            long t0 = System.nanoTime();
                            ns.simulate(xi, s0);
                            if (r >= WARMUP) ms[r - WARMUP] = (System.nanoTime() - t0) * 1e-6;
                        }
                        double perSolve = (ns.totalCgIterations() - before) / ((double) REPEATS * steps * n);
                        int worst = Arrays.stream(ns.lastCgIterations()).max().orElse(0);
                        double median = median(ms);
                        System.out.printf("%s %-15s forward %9.2f ms (%7.3f ms per step), CG iterations per solve "
                                + "%6.1f, last solve worst %d%n",
                                t.suffix(), p, median, median / steps, perSolve, worst);
                    }
                }
            }
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
