package dev.reparam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reparam.cli.CliRunner.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Divergence is a result, not a crash: a network method whose training meets a non-finite
 * gradient (here Adam's rate 1e300 overflows the weights) is reported as diverged, with no
 * numbers, and BFGS's results are written beside it; summary.json holds no NaN anywhere.
 */
class DivergenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"reparam", "supervised", "neural-adjoint"})
    void aDivergedMethodIsARowAndTheOthersAreWritten(String method, @TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        Outcome o = CliRunner.run("solve", "wavepacket", "--n", "3", "--methods", "bfgs," + method, "--lr", "1e300",
                "--iterations", "4", "--profile", "quick", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out()
                .matches("(?s).*\\n" + method + " +diverged at iteration \\d+ \\(non-finite gradient norm .*"),
                o.out());

        String text = Files.readString(out.resolve("summary.json"));
        // the reason may name the norm ("non-finite gradient norm NaN"); no number is NaN
        assertFalse(text.matches("(?s).*(: \"?NaN|: \"?-?Infinity).*"), "a non-finite number in JSON: " + text);
        JsonNode m = new ObjectMapper().readTree(text).path("methods").path(method);
        assertEquals("diverged", m.path("status").asText());
        assertTrue(m.path("divergedAt").asInt() >= 1);
        assertEquals(0.0, m.path("better").asDouble());
        assertEquals(1.0, m.path("undefined").asDouble());
        assertTrue(m.path("meanLoss").isNull());
        assertEquals("training diverged", m.path("nonFinite").path("meanLoss").asText());
        assertTrue(Files.isRegularFile(out.resolve("bfgs_loss.npy")), "BFGS's results are still written");
        assertFalse(Files.exists(out.resolve(method + "_loss.npy")), "a diverged method has no answers to write");
    }

    @Test
    void finishedMethodsSayFinished(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        Outcome o = CliRunner.run("solve", "wavepacket", "--n", "2", "--methods", "bfgs,reparam", "--iterations", "3",
                "--profile", "quick", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        JsonNode methods = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).path("methods");
        for (String m : new String[] {"bfgs", "reparam"}) {
            assertEquals("finished", methods.path(m).path("status").asText());
            assertTrue(methods.path(m).path("meanLoss").isNumber(), m);
        }
    }
}
