package dev.reparam.bench;

import dev.reparam.experiments.Experiments;
import dev.reparam.nn.Conv1d;
import dev.reparam.sim.wavepacket.WavePacket;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Parallel;
import dev.reparam.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GFLOP/s of the CPU backend's conv1d forward, input gradient and weight gradient, separately,
 * for each convolution of the wave-packet network, on one thread and timed in that thread's CPU
 * time: on a machine shared with other jobs this moves far less than wall time, so it is the
 * figure to compare kernel changes with. Run:
 * {@code java -cp target/reparam.jar dev.reparam.bench.ConvLayerTiming 64}.
 */
public final class ConvLayerTiming {
    private static final int ROUNDS = 5, REPEATS = 20;
    private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

    private ConvLayerTiming() {}

    public static void main(String[] args) {
        int n = args.length == 0 ? 64 : Integer.parseInt(args[0]);
        Parallel.setThreads(1);
        Backend be = CpuBackend.INSTANCE;
        List<NetworkShapes.Stage> convs = new NetworkShapes(Experiments.byName("wavepacket").network()
                .layers(new int[] {1, WavePacket.SAMPLES}, 1), new int[] {1, WavePacket.SAMPLES}).stages(Conv1d.class);
        SplittableRandom rng = new SplittableRandom(1);
        System.out.printf("conv1d of the wave-packet network, n = %d, 1 thread, thread CPU time, best of %d rounds of "
                + "%d%n", n, ROUNDS, REPEATS);
        System.out.printf("%-26s %9s %9s %9s   %s%n", "layer", "forward", "dx", "dw", "(ms per call, then GFLOP/s)");
        double[] total = new double[3];
        for (NetworkShapes.Stage s : convs) {
            int cin = s.in()[0], len = s.in()[1], cout = s.out()[0], outLen = s.out()[1];
            int k = s.params().get(0).shape()[2], pad = (outLen - len + k - 1) / 2;
            Tensor x = random(be, rng, n, cin, len), w = random(be, rng, cout, cin, k), b = random(be, rng, cout);
            Tensor dy = random(be, rng, n, cout, outLen), y = be.zeros(n, cout, outLen);
            Tensor dx = be.zeros(n, cin, len), dw = be.zeros(cout, cin, k);
            double[] ms = {
                best(() -> be.conv1d(x, w, b, pad, y)),
                best(() -> be.conv1dBackward(x, w, dy, pad, dx, null, null)),
                best(() -> be.conv1dBackward(x, w, dy, pad, null, dw, null))};
            double gflop = 2e-9 * n * cout * cin * k * outLen;
            String shape = String.format("x[%d,%d,%d] w[%d,%d,%d]", n, cin, len, cout, cin, k);
            System.out.printf("%-26s %9.3f %9.3f %9.3f   %6.1f %6.1f %6.1f%n", shape, ms[0], ms[1], ms[2],
                    gflop / ms[0] * 1e3, gflop / ms[1] * 1e3, gflop / ms[2] * 1e3);
            for (int i = 0; i < 3; i++) total[i] += ms[i];
        }
        System.out.printf("%-26s %9.3f %9.3f %9.3f%n", "all layers", total[0], total[1], total[2]);
    }

    /** Milliseconds of thread CPU time per call: the best round's mean, after one warm-up round. */
    private static double best(Runnable op) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round <= ROUNDS; round++) {
            long t = THREAD.getCurrentThreadCpuTime();
            for (int i = 0; i < REPEATS; i++) op.run();
            double ms = (THREAD.getCurrentThreadCpuTime() - t) * 1e-6 / REPEATS;
            if (round > 0) best = Math.min(best, ms);
        }
        return best;
    }

    private static Tensor random(Backend be, SplittableRandom rng, int... shape) {
        double[] v = new double[Tensor.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) v[i] = 2 * rng.nextDouble() - 1;
        return be.fromHost(v, shape);
    }
}
