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
 * Runs the source of kernels/ks.cu on the CPU (native/ks-emulator: one std::thread per CUDA
 * thread, real barriers) against the Java solver, in float64 (1e-10) and float32 (1e-2; about
 * 1e-6 seen), with one problem of the batch blowing up, rows out of order and repeated, and every
 * output starting as NaN. It checks the kernels' index arithmetic, barriers and adjoint without a
 * GPU; it does not check what only a GPU shows (launch limits, the driver, warp scheduling).
 * Skipped where g++ (C++20) is absent.
 */
class KsKernelEmulationTest {
    private static final Path BUILD = KernelEmulator.BUILD;
    private static Path BINARY;

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        BINARY = KernelEmulator.build("ks_emulate");
    }

    /** N, L, steps, checkpoint interval, problems, rows, blown problem (-1: none). dt = 0.25. */
    @ParameterizedTest
    @CsvSource({
            "16, 22, 12, 4, 3, 5, 1",
            "64, 22, 20, 5, 4, 6, 2",
            "128, 100.53096491487338, 6, 1, 2, 2, -1",
    })
    void kernelSourceMatchesTheJavaSolver(int n, double length, int steps, int interval, int count, int k, int blown)
            throws IOException, InterruptedException {
        long seed = System.nanoTime();
        Path data = BUILD.resolve("data-" + n + "-" + seed + ".bin");
        KsEmulationData.write(data, n, length, 0.25, steps, interval, KsRandomProblems.draw(seed, n, count, k, blown));
        Process p = new ProcessBuilder(BINARY.toString(), data.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Files.deleteIfExists(data);
        List<String> lines = out.lines().toList();
        assertEquals(0, p.exitValue(), "seed " + seed + ":\n" + out);
        assertEquals("ok", lines.get(lines.size() - 1), "seed " + seed + ":\n" + out);
    }
}
