package dev.reparam.experiments;

import dev.reparam.inverse.ProgressListener;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run is reused only when it records the settings asked for and its files are intact. */
class RunStatusTest {
    private static SolveJob job(Path dir, Profile profile, int iterations, List<String> methods) {
        return new SolveJob(new SolveJob.Config(Experiments.byName("wavepacket"), 2, 0, methods, CpuBackend.INSTANCE,
                profile, iterations, 0, "prior", null, null, dir));
    }

    @Test
    void reusedOnlyWithTheSameSettingsAndIntactFiles(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        SolveJob done = job(dir, Profile.QUICK, 3, List.of("bfgs", "reparam"));
        assertEquals("no summary.json", RunStatus.whyRedo(dir, done.spec()));
        done.run(Experiments.byName("wavepacket").generate(2, 0), ProgressListener.NONE);
        assertNull(RunStatus.whyRedo(dir, done.spec()));

        assertEquals("recorded with profile quick, asked for paper", RunStatus.whyRedo(dir, job(dir, Profile.PAPER, 3,
                List.of("bfgs", "reparam")).spec()));
        assertEquals("recorded with trainingIterations 3, asked for 4",
                RunStatus.whyRedo(dir, job(dir, Profile.QUICK, 4, List.of("bfgs", "reparam")).spec()));
        assertTrue(RunStatus.whyRedo(dir, job(dir, Profile.QUICK, 3, List.of("bfgs")).spec())
                .startsWith("recorded with methods"));

        Files.delete(dir.resolve("reparam_curve.npy"));
        assertEquals("reparam_curve.npy is missing", RunStatus.whyRedo(dir, done.spec()));
        Files.write(dir.resolve("reparam_curve.npy"), new byte[] {1, 2, 3});
        assertEquals("reparam_curve.npy has changed size", RunStatus.whyRedo(dir, done.spec()));

        Files.writeString(dir.resolve("summary.json"), "{\"methods\": {\"bfgs\": ");
        assertTrue(RunStatus.whyRedo(dir, done.spec()).startsWith("summary.json is unreadable ("),
                RunStatus.whyRedo(dir, done.spec()));
        Files.writeString(dir.resolve("summary.json"), "{\"methods\": {\"bfgs\": {}, \"reparam\": {}}}");
        assertEquals("its summary.json records no settings (an older reparam, or damaged)",
                RunStatus.whyRedo(dir, done.spec()));
    }
}
