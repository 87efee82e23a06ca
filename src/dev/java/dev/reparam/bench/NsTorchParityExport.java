package dev.reparam.bench;

import dev.reparam.inverse.ProblemSets;
import dev.reparam.io.Npy;
import dev.reparam.sim.ns.MacGrid;
import dev.reparam.sim.ns.NavierStokes;
import dev.reparam.sim.ns.NsProblems;
import dev.reparam.tensor.Bounds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes one Navier-Stokes problem batch of the quick profile (32 x 32 cells, three obstacles,
 * 8 steps) and the Java solver's results on it as NPY files, for {@code bench/torch/ns_step.py --check DIR}:
 *
 * <ul>
 * <li>{@code physics.npy} float64 [7]: W, H, dt, steps, nu, CG tolerance, checkpoint interval</li>
 * <li>{@code solid.npy} int32 [H, W]: 1 for obstacle cells, cell (i, j) at [j, i]</li>
 * <li>{@code initial.npy} [n, size]: the experiment's initial states (known top half, zero bottom), {@link MacGrid}
 * layout</li>
 * <li>{@code params.npy} [n, 3]: (x0, v0x, v0y) at which everything below is evaluated (not the truth)</li>
 * <li>{@code targets.npy} [n, observedSize]: the observations (top half of the true final state)</li>
 * <li>{@code step1.npy}, {@code final.npy} [n, size]: the state after the force and one step, and after all steps</li>
 * <li>{@code loss.npy} [n], {@code grad.npy} [n, 3], {@code grad_initial.npy} [n, size]: the experiment's loss
 * (mean squared difference on the observed top half) and its gradients in xi and the initial state</li>
 * <li>{@code cg_step1_mic.npy}, {@code cg_step1_plain.npy}, {@code cg_rollout_mic.npy}, {@code cg_rollout_plain.npy}
 * int32 [n]: forward CG iterations per problem, one step and the whole rollout, MIC(0) and plain CG</li>
 * </ul>
 *
 * The solver is the experiment's (ProjectionPreconditioner.DEFAULT, multigrid); the MIC(0) and
 * plain-CG runs only count iterations.
 * Run: {@code java -cp target/classes dev.reparam.bench.NsTorchParityExport DIR [cgTolerance=1e-5] [n=4] [seed=1]}.
 */
public final class NsTorchParityExport {
    private NsTorchParityExport() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 4) {
            System.err.println("usage: NsTorchParityExport DIR [cgTolerance=1e-5] [n=4] [seed=1]");
            System.exit(2);
        }
        double tol = args.length > 1 ? parse(args[1], "cgTolerance") : NavierStokes.DEFAULT_CG_TOLERANCE;
        int n = args.length > 2 ? (int) parse(args[2], "n") : 4;
        long seed = args.length > 3 ? (long) parse(args[3], "seed") : 1;
        if (!(tol > 0) || n < 1) {
            System.err.println("need cgTolerance > 0 and n >= 1, got " + tol + " and " + n);
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        export(dir, NsProblems.Physics.QUICK.withCgTolerance(tol), n, seed);
        System.out.printf("wrote %d quick-profile problems (CG tolerance %.0e) to %s%n", n, tol, dir);
    }

    private static double parse(String s, String name) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            System.err.println(name + ": not a number: " + s);
            System.exit(2);
            return 0;
        }
    }

    /** Writes the files listed in the class comment for n generated problems of {@code physics}. */
    static void export(Path dir, NsProblems.Physics physics, int n, long seed) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        NsProblems problems = NsProblems.generate(physics, n, seed);
        MacGrid g = physics.grid();
        int size = g.size(), obs = g.observedSize(), interval = (int) Math.ceil(Math.sqrt(physics.steps()));
        double[] initial = NsProblems.withZeroBottom(g, problems.inputs(), n);
        double[] params = evaluationPoint(physics.bounds(), n, seed);

        NavierStokes full = physics.solver();
        double[] finals = full.simulate(params, initial);
        double[] step1 = oneStep(physics, true).simulate(params, initial);
        double[] loss = new double[n], grad = new double[3 * n], gradInitial = new double[n * size];
        full.lossAndGradient(ProblemSets.all(n), params, initial, problems.observations(), loss, grad, gradInitial);

        Npy.write(dir.resolve("physics.npy"), new double[] {physics.width(), physics.height(), physics.dt(),
                physics.steps(), physics.nu(), physics.cgTolerance(), interval}, 7);
        Npy.writeInts(dir.resolve("solid.npy"), solidMask(g), g.h, g.w);
        Npy.write(dir.resolve("initial.npy"), initial, n, size);
        Npy.write(dir.resolve("params.npy"), params, n, 3);
        Npy.write(dir.resolve("targets.npy"), problems.observations(), n, obs);
        Npy.write(dir.resolve("step1.npy"), step1, n, size);
        Npy.write(dir.resolve("final.npy"), finals, n, size);
        Npy.write(dir.resolve("loss.npy"), loss, n);
        Npy.write(dir.resolve("grad.npy"), grad, n, 3);
        Npy.write(dir.resolve("grad_initial.npy"), gradInitial, n, size);
        for (boolean mic : new boolean[] {true, false}) {
            String kind = mic ? "mic" : "plain";
            Npy.writeInts(dir.resolve("cg_step1_" + kind + ".npy"),
                    iterations(oneStep(physics, mic), params, initial, n), n);
            NavierStokes rollout = new NavierStokes(g, physics.dt(), physics.steps(), physics.nu(),
                    physics.cgTolerance(), interval, mic);
            Npy.writeInts(dir.resolve("cg_rollout_" + kind + ".npy"), iterations(rollout, params, initial, n), n);
        }
    }

    private static NavierStokes oneStep(NsProblems.Physics physics, boolean mic) {
        return new NavierStokes(physics.grid(), physics.dt(), 1, physics.nu(), physics.cgTolerance(), 1, mic);
    }

    /** Uniform in the bounds, from a stream separate from the problems' so that it is not the truth. */
    private static double[] evaluationPoint(Bounds b, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed).split();
        double[] p = new double[3 * n];
        for (int i = 0; i < 3 * n; i++) p[i] = b.lo(i % 3) + (b.hi(i % 3) - b.lo(i % 3)) * rng.nextDouble();
        return p;
    }

    static int[] solidMask(MacGrid g) {
        int[] solid = new int[g.cells()];
        for (int j = 0; j < g.h; j++) {
            for (int i = 0; i < g.w; i++) solid[j * g.w + i] = g.fluid(i, j) ? 0 : 1;
        }
        return solid;
    }

    private static int[] iterations(NavierStokes ns, double[] params, double[] initial, int n) {
        long[] it = new long[n];
        ns.simulate(params, initial, it);
        int[] out = new int[n];
        for (int p = 0; p < n; p++) out[p] = Math.toIntExact(it[p]);
        return out;
    }
}
