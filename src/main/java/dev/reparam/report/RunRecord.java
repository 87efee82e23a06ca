package dev.reparam.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One run's summary.json as the report needs it: where it is, its n and seed, and each method's scores. */
public record RunRecord(String experiment, int n, long seed, Path dir, Map<String, Scores> methods) {

    /** A method's shares against BFGS (refined and unrefined) and its mean refined loss. */
    public record Scores(double better, double equal, double unrefinedBetter, double unrefinedEqual,
                         double meanLossRefined) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Every {@code runs/<experiment>/<run>/summary.json} under {@code out}. Each method's entry is
     * written only once that method finished, so the entries of an interrupted run count too.
     */
    public static List<RunRecord> readAll(Path out) throws IOException {
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) return List.of();
        List<RunRecord> all = new ArrayList<>();
        try (Stream<Path> files = Files.find(runs, 3, (p, a) -> p.getFileName().toString().equals("summary.json"))) {
            for (Path f : files.sorted(Comparator.naturalOrder()).toList()) all.add(read(f));
        }
        return all;
    }

    static RunRecord read(Path summary) throws IOException {
        JsonNode root = JSON.readTree(summary.toFile());
        Map<String, Scores> methods = new LinkedHashMap<>();
        root.path("methods").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            // asDouble also reads Jackson's "NaN" strings
            methods.put(e.getKey(), new Scores(m.path("better").asDouble(), m.path("equal").asDouble(),
                    m.path("unrefinedBetter").asDouble(), m.path("unrefinedEqual").asDouble(),
                    m.path("meanLossRefined").asDouble()));
        });
        if (!root.hasNonNull("experiment") || !root.hasNonNull("n") || !root.hasNonNull("seed")) {
            throw new IOException(summary + ": not a run summary (no experiment, n or seed)");
        }
        return new RunRecord(root.get("experiment").asText(), root.get("n").asInt(), root.get("seed").asLong(),
                summary.getParent(), methods);
    }
}
