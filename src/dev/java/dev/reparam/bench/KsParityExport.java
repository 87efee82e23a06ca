package dev.reparam.bench;

import dev.reparam.inverse.ProblemSets;
import dev.reparam.io.Npy;
import dev.reparam.sim.ks.KsProblems;
import dev.reparam.sim.ks.KuramotoSivashinsky;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes what bench/torch/ks_etdrk4.py needs to check its PyTorch ETDRK4 against our solver at the
 * paper's size (N = 128, L = 32 pi, dt = 0.25, 100 steps): n generated problems (initial states
 * and targets), a guess (alpha, beta) per problem drawn inside the bounds, u(T) at the guess, and
 * the loss with its exact adjoint gradient in alpha, beta and the initial state.
 */
final class KsParityExport {
    private KsParityExport() {}

    static void write(Path dir, int n, long seed) {
        KsProblems.Physics physics = KsProblems.Physics.PAPER;
        KsProblems problems = KsProblems.generate(physics, n, seed);
        KuramotoSivashinsky ks = physics.solver();
        int points = ks.points();
        SplittableRandom rng = new SplittableRandom(seed + 1);
        double[] params = new double[2 * n], alpha = new double[n], beta = new double[n];
        for (int i = 0; i < n; i++) {
            alpha[i] = params[2 * i] = rng.nextDouble(KsProblems.ALPHA_MIN, KsProblems.ALPHA_MAX);
            beta[i] = params[2 * i + 1] = rng.nextDouble(KsProblems.BETA_MIN, KsProblems.BETA_MAX);
        }
        double[] u0 = problems.inputs(), targets = problems.observations();
        double[] loss = new double[n], grad = new double[2 * n], gradU0 = new double[n * points];
        ks.lossAndGradient(ProblemSets.all(n), params, u0, targets, loss, grad, gradU0);

        Npy.write(dir.resolve("ks_config.npy"), new double[] {points, ks.length(), ks.dt(), ks.steps()}, 4);
        Npy.write(dir.resolve("ks_u0.npy"), u0, n, points);
        Npy.write(dir.resolve("ks_targets.npy"), targets, n, points);
        Npy.write(dir.resolve("ks_params.npy"), params, n, 2);
        Npy.write(dir.resolve("ks_uT.npy"), ks.simulate(alpha, beta, u0), n, points);
        Npy.write(dir.resolve("ks_loss.npy"), loss, n);
        Npy.write(dir.resolve("ks_grad.npy"), grad, n, 2);
        Npy.write(dir.resolve("ks_grad_u0.npy"), gradU0, n, points);
    }
}
