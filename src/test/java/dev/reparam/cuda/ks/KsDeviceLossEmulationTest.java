package dev.reparam.cuda.ks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs CudaKsLoss's launch sequence from the kernel sources on the CPU
 * (native/ks-emulator/ks_device_loss_emulate.cpp: bound_map_forward, ks_forward, ks_adjoint,
 * bound_map_finish) against UnconstrainedObjective over KsProblems: float64 within 1e-10,
 * float32 within 1e-3; a diverged problem gives exactly DIVERGED_LOSS and a zero gradient in z.
 * With the experiment's bounds and with beta unbounded (both branches of the bound map). Checks
 * the bound map kernels' arithmetic and indexing and their composition with the KS kernels, not
 * what only a GPU shows. Skipped where g++ (C++20) is absent.
 */
class KsDeviceLossEmulationTest {
    private static final Path BUILD = KernelEmulator.BUILD;
    private static Path BINARY;

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        BINARY = KernelEmulator.build("ks_device_loss_emulate");
    }

    /** N, L, steps, checkpoint interval, problems, blown problem (-1: none), beta unbounded. dt = 0.25. */
    @ParameterizedTest
    @CsvSource({
            "16, 22, 12, 4, 5, 3, false",
            "64, 22, 20, 5, 4, -1, true",
    })
    void launchSequenceMatchesTheUnconstrainedObjective(int n, double length, int steps, int interval, int count, int blown,
                                                        boolean mixed) throws IOException, InterruptedException {
        long seed = System.nanoTime();
        Path data = BUILD.resolve("device-loss-" + n + "-" + seed + ".bin");
        KsDeviceLossEmulationData.write(data, n, length, 0.25, steps, interval, count, blown, mixed, seed);
        Process p = new ProcessBuilder(BINARY.toString(), data.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Files.deleteIfExists(data);
        List<String> lines = out.lines().toList();
        assertEquals(0, p.exitValue(), "seed " + seed + ":\n" + out);
        assertEquals("ok", lines.get(lines.size() - 1), "seed " + seed + ":\n" + out);
    }
}
