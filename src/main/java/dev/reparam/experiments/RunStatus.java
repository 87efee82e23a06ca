package dev.reparam.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reparam.io.Errors;
import dev.reparam.io.FileDigest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether a run directory holds a finished run of exactly the requested settings. Runs are
 * moved into place only when finished (SolveJob), so a summary.json means a run finished; it is
 * reused only when the settings it records ({@link RunSpec}) are the ones asked for and every
 * file it lists is there with its recorded size and SHA-256.
 */
public final class RunStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunStatus() {}

    /** Null when the run can be reused; otherwise why it must be redone, as one phrase. */
    public static String whyRedo(Path runDir, RunSpec wanted) {
        Path summary = runDir.resolve(SolveJob.SUMMARY);
        if (!Files.isRegularFile(summary)) return "no " + SolveJob.SUMMARY;
        JsonNode root;
        try {
            root = JSON.readTree(summary.toFile());
        } catch (IOException e) {
            return SolveJob.SUMMARY + " is unreadable (" + Errors.oneLine(Errors.reason(e)) + ")";
        }
        String differs = wanted.differenceFrom(root.get("run"));
        if (differs != null) return differs;
        JsonNode methods = root.get("methods");
        if (methods == null || !methods.isObject()) return SolveJob.SUMMARY + " lists no methods";
        for (String m : wanted.methods()) if (!methods.has(m)) return "method " + m + " is missing from "
                + SolveJob.SUMMARY;
        return damagedFile(runDir, root.get("files"));
    }

    /** Null when every listed file is present with its recorded size and hash; else which is not and how. */
    public static String damagedFile(Path runDir, JsonNode files) {
        if (files == null || !files.isObject()) return SolveJob.SUMMARY + " lists no files";
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Path f = runDir.resolve(e.getKey()).normalize();
            if (!f.startsWith(runDir.normalize()) || !f.getParent().equals(runDir.normalize())) {
                return SolveJob.SUMMARY + " lists a file outside its run: " + e.getKey();
            }
            if (!Files.isRegularFile(f)) return e.getKey() + " is missing";
            try {
                if (Files.size(f) != e.getValue().path("bytes").asLong(-1)) return e.getKey() + " has changed size";
                if (!FileDigest.sha256(f).equals(e.getValue().path("sha256").asText())) {
                    return e.getKey() + " has changed (SHA-256 differs)";
                }
            } catch (IOException ex) {
                return e.getKey() + " is unreadable (" + Errors.reason(ex) + ")";
            }
        }
        return null;
    }
}
