package dev.reparam.experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run is finished exactly when its summary lists every requested method. */
class RunStatusTest {
    @Test
    void completeOnlyWithEveryRequestedMethod(@TempDir Path dir) throws IOException {
        List<String> methods = List.of("bfgs", "reparam");
        assertFalse(RunStatus.isComplete(dir, methods), "no summary");
        Files.writeString(dir.resolve("summary.json"), "{\"methods\": {\"bfgs\": {}}}");
        assertFalse(RunStatus.isComplete(dir, methods), "interrupted after BFGS");
        Files.writeString(dir.resolve("summary.json"), "{\"methods\": {\"bfgs\": {}, \"reparam\": {}}}");
        assertTrue(RunStatus.isComplete(dir, methods));
        Files.writeString(dir.resolve("summary.json"), "{\"methods\": {\"bfgs\": ");
        assertFalse(RunStatus.isComplete(dir, methods), "damaged summary");
    }
}
