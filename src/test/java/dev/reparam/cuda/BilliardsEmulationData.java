package dev.reparam.cuda;

import dev.reparam.experiments.BilliardsProblems;
import dev.reparam.inverse.Bounds;
import dev.reparam.physics.Billiards;
import dev.reparam.physics.BilliardsConditioning;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Input and CPU answer for native/ks-emulator/billiards_emulate.cpp, which runs kernels/billiards.cu
 * on the CPU. The answer is UnconstrainedObjective's arithmetic over BilliardsProblems. Half of the problems
 * are aimed near their true shot (mostly hits), the rest drawn anywhere in z (mostly misses); z is
 * rounded to float so that the float32 run sees the same inputs. Little-endian: int count, the five
 * constants (radius, gamma, restitution, cue x, cue y), the packed bounds [mid, half, bounded] of 2
 * dimensions, z, q, y [count * 2], the reference loss [count], gradient in z [count * 2], each
 * shot's conditioning (BilliardsConditioning) [count], and whether each shot hits [count ints].
 */
final class BilliardsEmulationData {
    private BilliardsEmulationData() {}

    /** {@code mixed}: v0y unbounded (both branches of the map); else the problem set's bounds. Returns the number of hits. */
    static int write(Path out, int count, boolean mixed, long seed) throws IOException {
        BilliardsProblems generated = BilliardsProblems.generate(count, seed);
        Bounds bounds = mixed
                ? new Bounds(new double[] {BilliardsProblems.V0X_MIN, Double.NEGATIVE_INFINITY},
                        new double[] {BilliardsProblems.V0X_MAX, Double.POSITIVE_INFINITY})
                : generated.bounds();
        BilliardsProblems problems = generated;
        SplittableRandom rng = new SplittableRandom(seed + 1);
        double[] truth = generated.trueParameters(), aim = new double[2 * count], z = new double[2 * count];
        for (int i = 0; i < aim.length; i++) {
            aim[i] = i / 2 % 2 == 0 ? truth[i] + 0.02 * (2 * rng.nextDouble() - 1) : -1.5 + 3 * rng.nextDouble();
        }
        bounds.toUnconstrained(aim, z);
        for (int i = 0; i < z.length; i++) z[i] = (float) z[i];
        // UnconstrainedObjective's arithmetic (package-private there)
        double[] loss = new double[count], grad = new double[2 * count], xi = new double[2 * count], jac = new double[2 * count];
        int[] all = new int[count], hit = new int[count];
        for (int j = 0; j < count; j++) all[j] = j;
        bounds.toPhysical(z, xi);
        bounds.jacobianDiagonal(z, jac);
        problems.lossAndGradient(all, xi, loss, grad);
        for (int i = 0; i < grad.length; i++) grad[i] *= jac[i];
        double[] q = problems.inputs(), y = problems.observations();
        double[] conditioning = new double[count];
        int hits = 0;
        for (int j = 0; j < count; j++) {
            hit[j] = Billiards.hits(xi[2 * j], xi[2 * j + 1], q[2 * j], q[2 * j + 1]) ? 1 : 0;
            conditioning[j] = BilliardsConditioning.of(xi[2 * j], xi[2 * j + 1], q[2 * j], q[2 * j + 1]);
            hits += hit[j];
        }
        double[] mid = bounds.mid(), half = bounds.half();
        double[] packed = {mid[0], mid[1], half[0], half[1], bounds.isBounded(0) ? 1 : 0, bounds.isBounded(1) ? 1 : 0};
        double[] constants = {Billiards.RADIUS, Billiards.GAMMA, Billiards.RESTITUTION, Billiards.CUE_X, Billiards.CUE_Y};
        int doubles = constants.length + packed.length + 3 * z.length + 2 * count + grad.length;
        ByteBuffer b = ByteBuffer.allocate(4 + doubles * 8 + 4 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(count);
        for (double[] a : new double[][] {constants, packed, z, q, y, loss, grad, conditioning}) for (double v : a) b.putDouble(v);
        for (int h : hit) b.putInt(h);
        Files.write(out, b.array());
        return hits;
    }
}
