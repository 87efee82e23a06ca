package dev.reparam.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether a run directory holds a finished run. SolveJob rewrites summary.json after every
 * method, so a run is finished exactly when its summary lists every requested method; anything
 * less (no summary, an unreadable one, a missing method) is an interrupted run.
 */
public final class RunStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunStatus() {}

    public static boolean isComplete(Path runDir, List<String> methods) {
        Path summary = runDir.resolve("summary.json");
        if (!Files.isRegularFile(summary)) return false;
        try {
            JsonNode done = JSON.readTree(summary.toFile()).path("methods");
            return methods.stream().allMatch(done::has);
        } catch (IOException e) {
            // summary.json is moved into place atomically, so this is a damaged file: redo the run
            return false;
        }
    }
}
