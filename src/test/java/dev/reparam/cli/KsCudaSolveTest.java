package dev.reparam.cli;

import dev.reparam.cuda.CudaAvailability;
import dev.reparam.io.Npy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code solve kuramoto-sivashinsky --backend cuda} end to end on the quick physics: BFGS and
 * reparameterized training with the problems simulated on the GPU (CudaKsProblems), bounds
 * given on the command line (the device problem set under Rebounded). Needs a GPU.
 */
@Tag("gpu")
class KsCudaSolveTest {
    @ParameterizedTest
    @ValueSource(strings = {"float64", "float32"})
    void solvesOnTheDevice(String dtype, @TempDir Path dir) throws IOException {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        Path out = dir.resolve("ks");
        CliRunner.Outcome o = CliRunner.run("solve", "kuramoto-sivashinsky", "--n", "4", "--profile", "quick",
                "--iterations", "5",
                "--methods", "bfgs,reparam", "--backend", "cuda", "--dtype", dtype, "--bounds", "-1:1,0.5:1.5",
                "--quiet", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("cuda-" + (dtype.equals("float64") ? "f64" : "f32")), summary);
        for (double loss : Npy.read(out.resolve("bfgs_loss.npy")).data()) assertTrue(Double.isFinite(loss)
                && loss >= 0, "loss " + loss);
    }
}
