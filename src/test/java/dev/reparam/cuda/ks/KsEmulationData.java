package dev.reparam.cuda.ks;

import dev.reparam.physics.ks.EtdCoefficientTable;
import dev.reparam.physics.ks.KuramotoSivashinsky;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the input and the Java CPU solver's answers for native/ks-emulator (kernels/ks.cu run on
 * the CPU): {@code KsEmulationData OUT N L DT STEPS INTERVAL COUNT K SEED BLOWN}. Little-endian:
 * six ints (N, steps, interval, count, k, table length), the packed table, rows, params, u0s,
 * targets, then the reference u(T) of each row (NaN when diverged), diverged flags, loss,
 * gradient and u0 gradient.
 */
public final class KsEmulationData {
    private KsEmulationData() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 10) {
            System.err.println("usage: KsEmulationData OUT N L DT STEPS INTERVAL COUNT K SEED BLOWN");
            System.exit(2);
        }
        write(Path.of(args[0]), Integer.parseInt(args[1]), Double.parseDouble(args[2]), Double.parseDouble(args[3]),
                Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                KsRandomProblems.draw(Long.parseLong(args[8]), Integer.parseInt(args[1]), Integer.parseInt(args[6]),
                        Integer.parseInt(args[7]), Integer.parseInt(args[9])));
    }

    static void write(Path out, int n, double length, double dt, int steps, int interval, KsRandomProblems p) throws IOException {
        int k = p.k(), count = p.count();
        KuramotoSivashinsky ks = new KuramotoSivashinsky(n, length, dt, steps, interval);
        boolean[] diverged = new boolean[k];
        double[] uT = ks.simulate(p.alphas(), p.betas(), p.rowStates(), diverged);
        double[] loss = new double[k], grad = new double[2 * k], gradU0 = new double[k * n];
        ks.lossAndGradient(p.rows(), p.params(), p.u0s(), p.targets(), loss, grad, gradU0);
        double[] table = EtdCoefficientTable.pack(n, length, dt);

        int doubles = table.length + 2 * k + 2 * count * n + k * n + k + 2 * k + k * n;
        ByteBuffer b = ByteBuffer.allocate(6 * 4 + 2 * k * 4 + doubles * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(steps).putInt(interval).putInt(count).putInt(k).putInt(table.length);
        for (double v : table) b.putDouble(v);
        for (int r : p.rows()) b.putInt(r);
        for (double[] a : new double[][] {p.params(), p.u0s(), p.targets(), uT}) for (double v : a) b.putDouble(v);
        for (boolean d : diverged) b.putInt(d ? 1 : 0);
        for (double[] a : new double[][] {loss, grad, gradU0}) for (double v : a) b.putDouble(v);
        Files.write(out, b.array());
    }
}
