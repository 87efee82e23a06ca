package dev.reparam.cuda.ks;

import dev.reparam.experiments.KsProblems;
import dev.reparam.inverse.Bounds;
import dev.reparam.physics.ks.EtdCoefficientTable;
import dev.reparam.physics.ks.KuramotoSivashinsky;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Input and CPU answer for native/ks-emulator/ks_device_loss_emulate.cpp, which runs CudaKsLoss's
 * launch sequence (bound_map_forward, ks_forward, ks_adjoint, bound_map_finish) on the CPU. The
 * answer is UnconstrainedObjective's over KsProblems: xi = the bound map of z, KsProblems'
 * lossAndGradient (+infinity -> DIVERGED_LOSS), the gradient times d xi / d z. Little-endian: five
 * ints (N, steps, interval, count, table length), the double diverged loss, the packed table, the
 * packed bounds [mid, half, bounded] (2 dimensions), z [count * 2], u0s and targets [count * N],
 * then the reference loss [count] and gradient in z [count * 2].
 */
final class KsDeviceLossEmulationData {
    private KsDeviceLossEmulationData() {}

    /** {@code mixed}: alpha in [-1, 1], beta unbounded (both branches of the map); else the experiment's bounds. */
    static void write(Path out, int n, double length, double dt, int steps, int interval, int count, int blown, boolean mixed,
                      long seed) throws IOException {
        KsRandomProblems p = KsRandomProblems.draw(seed, n, count, count, blown);
        KuramotoSivashinsky ks = new KuramotoSivashinsky(n, length, dt, steps, interval);
        KsProblems problems = new KsProblems(ks, p.u0s(), p.targets(), null);
        Bounds bounds = mixed
                ? new Bounds(new double[] {-1, Double.NEGATIVE_INFINITY}, new double[] {1, Double.POSITIVE_INFINITY})
                : problems.bounds();
        SplittableRandom rng = new SplittableRandom(seed + 1);
        double[] z = new double[2 * count];
        for (int j = 0; j < count; j++) {
            z[2 * j] = -1.5 + 3 * rng.nextDouble();
            // beta: through tanh when bounded, else the value itself, inside the prior
            z[2 * j + 1] = bounds.isBounded(1) ? -1.5 + 3 * rng.nextDouble() : 0.5 + rng.nextDouble();
        }
        double[] xi = new double[z.length], jac = new double[z.length], loss = new double[count], grad = new double[z.length];
        int[] all = new int[count];
        for (int j = 0; j < count; j++) all[j] = j;
        bounds.toPhysical(z, xi);
        bounds.jacobianDiagonal(z, jac);
        problems.lossAndGradient(all, xi, loss, grad);
        for (int i = 0; i < grad.length; i++) grad[i] *= jac[i];

        double[] table = EtdCoefficientTable.pack(n, length, dt);
        double[] mid = bounds.mid(), half = bounds.half();
        double[] packed = {mid[0], mid[1], half[0], half[1], bounds.isBounded(0) ? 1 : 0, bounds.isBounded(1) ? 1 : 0};
        int doubles = 1 + table.length + packed.length + z.length + 2 * count * n + count + grad.length;
        ByteBuffer b = ByteBuffer.allocate(5 * 4 + doubles * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(steps).putInt(interval).putInt(count).putInt(table.length).putDouble(KsProblems.DIVERGED_LOSS);
        for (double[] a : new double[][] {table, packed, z, p.u0s(), p.targets(), loss, grad}) for (double v : a) b.putDouble(v);
        Files.write(out, b.array());
    }
}
