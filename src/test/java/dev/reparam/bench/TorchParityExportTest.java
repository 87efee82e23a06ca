package dev.reparam.bench;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.io.Npy;
import dev.reparam.io.NpyArray;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The parity data is only worth comparing against if it is what our code computes: the
 * written-out training loop must reproduce Reparameterized exactly, the layout must cover the flat
 * parameters, and the KS loss must be the misfit of the exported u(T).
 */
class TorchParityExportTest {
    private static final int N = 6;

    @Test
    void exportMatchesReparameterizedAndTheKsSolver(@TempDir Path dir) throws IOException {
        TorchParityExport.export(dir, N);

        Experiment exp = Experiments.byName("wavepacket");
        double[] config = read(dir, "wp_config").data();
        int iterations = (int) config[2];
        Reparameterized.Options options = new Reparameterized.Options(iterations, config[3], config[7],
                TorchParityExport.SEED);
        MethodResult r = new Reparameterized(CpuBackend.INSTANCE, exp.network(), options)
                .solve(exp.generate(N, TorchParityExport.SEED), ProgressListener.NONE);
        double[] curve = read(dir, "wp_curve").data();
        for (int it = 0; it < iterations; it++) {
            assertArrayEquals(r.curve()[it], Arrays.copyOfRange(curve, it * N, (it + 1) * N),
                    "loss of iteration " + it);
        }
        assertArrayEquals(r.unrefined().z(), read(dir, "wp_z_final").data(), "network output after the last step");

        int layoutSize = Files.readAllLines(dir.resolve("wp_layout.txt")).stream()
                .mapToInt(line -> Arrays.stream(line.split(" ")[3].split(",")).mapToInt(Integer::parseInt)
                .reduce(1, (a, b) -> a * b)).sum();
        assertEquals(read(dir, "wp_params0").size(), layoutSize);
        assertEquals(layoutSize, read(dir, "wp_grad0").size());

        NpyArray uT = read(dir, "ks_uT"), targets = read(dir, "ks_targets");
        double[] loss = read(dir, "ks_loss").data();
        int points = uT.shape()[1];
        for (int i = 0; i < TorchParityExport.KS_PROBLEMS; i++) {
            double sum = 0;
            for (int j = 0; j < points; j++) {
                double d = uT.get(i * points + j) - targets.get(i * points + j);
                sum += d * d;
            }
            assertEquals(sum / points, loss[i], 1e-12 * Math.max(1, loss[i]), "KS loss of problem " + i);
        }
        assertArrayEquals(new int[] {TorchParityExport.KS_PROBLEMS, points}, read(dir, "ks_grad_u0").shape());
    }

    private static NpyArray read(Path dir, String name) {
        return Npy.read(dir.resolve(name + ".npy"));
    }
}
