package dev.reparam.physics.ns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes the CPU reference for driver.cpp into the directory args[0]: the quick grid's open mask,
 * 3 states, cotangents and noise fields, and the CPU's advection (and adjoint), projection, step,
 * step VJP (CG tolerance 1e-12, MIC(0)), an 8-step rollout's final states, losses and gradients.
 */
public final class NsDump {
    private static Path dir;
    static void write(String name, double[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : a) b.putDouble(x);
        Files.write(dir.resolve(name), b.array());
    }
    static void writeInts(String name, int[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : a) b.putInt(x);
        Files.write(dir.resolve(name), b.array());
    }
    public static void main(String[] args) throws IOException {
        dir = Path.of(args[0]);
        Files.createDirectories(dir);
        int W = 32, H = 32, P = 3, steps = 8;
        double tol = 1e-12;
        MacGrid g = MacGrid.threeObstacles(W, H);
        int size = g.size();
        int[] open = new int[size];
        for (int f = 0; f < size; f++) open[f] = g.open(f) ? 1 : 0;
        writeInts("open.bin", open);
        SplittableRandom rng = new SplittableRandom(1);
        double[] s = SmoothNoise.states(rng, g, P, 0.3);
        for (int p = 0; p < P; p++) { for (int f = 0; f < size; f++) s[p * size + f] += 0.05 * (2 * rng.nextDouble() - 1); g.maskClosed(s, p * size); }
        double[] bar = new double[P * size];
        for (int i = 0; i < bar.length; i++) bar[i] = 2 * rng.nextDouble() - 1;
        double[] a = new double[P * size];
        for (int i = 0; i < a.length; i++) a[i] = 2 * rng.nextDouble() - 1;
        for (int p = 0; p < P; p++) g.maskClosed(a, p * size);
        write("s.bin", s); write("bar.bin", bar); write("a.bin", a);
        Advection adv = new Advection(g, 1);
        PressureProjection proj = new PressureProjection(g, tol, true);
        NavierStokes ns = new NavierStokes(g, 1, steps, 0.01, tol, 3);
        double[] advOut = new double[P * size], advBar = new double[P * size], projOut = new double[P * size],
                stepOut = new double[P * size], stepBar = new double[P * size];
        for (int p = 0; p < P; p++) {
            double[] sp = Arrays.copyOfRange(s, p * size, (p + 1) * size), bp = Arrays.copyOfRange(bar, p * size, (p + 1) * size);
            double[] o = new double[size], ob = new double[size];
            adv.forward(sp, o); adv.adjoint(sp, bp, ob);
            System.arraycopy(o, 0, advOut, p * size, size); System.arraycopy(ob, 0, advBar, p * size, size);
            double[] pr = new double[size];
            proj.apply(Arrays.copyOfRange(a, p * size, (p + 1) * size), pr);
            System.arraycopy(pr, 0, projOut, p * size, size);
            System.arraycopy(ns.step(sp), 0, stepOut, p * size, size);
            double[] sb = ns.stepVjp(sp, bp);
            System.arraycopy(sb, 0, stepBar, p * size, size);
        }
        // a fast flow of one sign (displacements of several cells, departure points all up and
        // to the right) reaches the edge of the gather adjoint's window, i - 1 - D; the gentle
        // flow above stays within one cell, where a window one row short would still pass
        double[] fast = new double[P * size], fastOut = new double[P * size], fastBar = new double[P * size];
        for (int i = 0; i < fast.length; i++) fast[i] = 8 * s[i] - 3;
        for (int p = 0; p < P; p++) g.maskClosed(fast, p * size);
        for (int p = 0; p < P; p++) {
            double[] sp = Arrays.copyOfRange(fast, p * size, (p + 1) * size), bp = Arrays.copyOfRange(bar, p * size, (p + 1) * size);
            double[] o = new double[size], ob = new double[size];
            adv.forward(sp, o);
            adv.adjoint(sp, bp, ob);
            System.arraycopy(o, 0, fastOut, p * size, size);
            System.arraycopy(ob, 0, fastBar, p * size, size);
        }
        write("fast.bin", fast); write("advfast.bin", fastOut); write("advbarfast.bin", fastBar);
        write("adv.bin", advOut); write("advbar.bin", advBar); write("proj.bin", projOut);
        write("step.bin", stepOut); write("stepbar.bin", stepBar);
        double[] truth = {14, 1.0, 1.5, 18, -1.2, 0.8, 10, 0.4, -1.6};
        double[] xi = {12, 0.5, 1.0, 20, -0.6, 1.4, 11, 0.8, -1.0};
        double[] targets = g.observe(ns.simulate(truth, s), P);
        int[] rows = {0, 1, 2};
        double[] loss = new double[P], grad = new double[3 * P];
        ns.lossAndGradient(rows, xi, s, targets, loss, grad);
        write("xi.bin", xi); write("targets.bin", targets); write("loss.bin", loss); write("grad.bin", grad);
        write("final.bin", ns.simulate(xi, s));
        System.out.println("loss " + Arrays.toString(loss) + " grad " + Arrays.toString(grad));
    }
}
