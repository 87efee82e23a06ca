package dev.reparam.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reparam.experiments.Methods;
import dev.reparam.experiments.RunStatus;
import dev.reparam.experiments.SolveJob;
import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.Comparison;
import dev.reparam.io.Errors;
import dev.reparam.io.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run's summary.json as the report needs it: where it is, its n and seed, and each method's
 * scores. Reading validates what the report relies on, since a summary may have been edited,
 * damaged or left by another tool: known methods, shares that are numbers in [0, 1], the files
 * it lists present and unchanged, and n and seed matching the directory it lies in.
 */
public record RunRecord(String experiment, int n, long seed, Path dir, Map<String, Scores> methods) {

    /**
     * A method's shares against BFGS (refined and unrefined) and its mean refined loss (NaN when
     * it was not finite). A diverged method has no answers: its shares are 0.
     */
    public record Scores(double better, double equal, double unrefinedBetter, double unrefinedEqual,
                         double meanLossRefined, boolean diverged) {}

    /** The runs that passed validation, and one line per summary that did not (file and problem). */
    public record ReadResult(List<RunRecord> records, List<String> skipped) {}

    /** A summary the report cannot use; the message names the file and the problem. */
    static final class InvalidRun extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidRun(Path summary, String problem) {
            super(summary + ": " + problem);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every {@code runs/<experiment>/<run>/summary.json} under {@code out}, each validated. */
    public static ReadResult readAll(Path out) throws IOException {
        return readAll(out, Comparison.DEFAULT_TIE_TOLERANCE);
    }

    /**
     * {@link #readAll(Path)} with the shares counted at another relative tie tolerance: they are
     * then recomputed from the per-problem losses each run kept ({@code bfgs_loss.npy},
     * {@code <method>_loss.npy}, {@code <method>_refined_loss.npy}), which the summary's file
     * hashes have just vouched for.
     */
    public static ReadResult readAll(Path out, double tieTolerance) throws IOException {
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) return new ReadResult(List.of(), List.of());
        List<RunRecord> all = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Path> summaries;
        try (Stream<Path> files = Files.find(runs, 3, (p, a) -> p.getFileName().toString().equals(SolveJob.SUMMARY))) {
            summaries = files.sorted(Comparator.naturalOrder()).toList();
        }
        for (Path f : summaries) {
            try {
                RunRecord r = read(f);
                all.add(tieTolerance == Comparison.DEFAULT_TIE_TOLERANCE ? r : r.rescored(f, tieTolerance));
            } catch (InvalidRun e) {
                skipped.add(e.getMessage());
            }
        }
        return new ReadResult(all, skipped);
    }

    static RunRecord read(Path summary) throws InvalidRun {
        JsonNode root;
        try {
            root = JSON.readTree(summary.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidRun(summary, "not valid JSON (" + Errors.oneLine(e.getOriginalMessage()) + " at line "
                    + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new InvalidRun(summary, "unreadable: " + Errors.reason(e));
        }
        if (root == null || !root.isObject()) throw new InvalidRun(summary, "not a JSON object");
        if (!root.path("experiment").isTextual() || !root.path("n").canConvertToInt()
                || !root.path("n").isIntegralNumber() || !root.path("seed").isIntegralNumber()) {
            throw new InvalidRun(summary, "not a run summary (experiment, n or seed missing or not of the right type)");
        }
        String experiment = root.get("experiment").asText();
        int n = root.get("n").asInt();
        long seed = root.get("seed").asLong();
        Path dir = summary.getParent();
        String expected = "n" + n + "-s" + seed;
        if (n < 1 || !dir.getFileName().toString().equals(expected)
                || !dir.getParent().getFileName().toString().equals(experiment)) {
            throw new InvalidRun(summary, "says " + experiment + " n=" + n + " seed=" + seed + " but lies in "
                    + dir.getParent().getFileName() + "/" + dir.getFileName());
        }
        JsonNode methodsNode = root.get("methods");
        if (methodsNode == null || !methodsNode.isObject() || methodsNode.isEmpty()) {
            throw new InvalidRun(summary, "\"methods\" is missing, empty or not an object");
        }
        Map<String, Scores> methods = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = methodsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            methods.put(e.getKey(), scores(summary, e.getKey(), e.getValue()));
        }
        String damaged = RunStatus.damagedFile(dir, root.get("files"));
        if (damaged != null) throw new InvalidRun(summary, damaged);
        return new RunRecord(experiment, n, seed, dir, methods);
    }

    private RunRecord rescored(Path summary, double tieTolerance) throws InvalidRun {
        double[] bfgs = losses(summary, Bfgs.NAME + "_loss.npy");
        Map<String, Scores> rescored = new LinkedHashMap<>();
        for (Map.Entry<String, Scores> e : methods.entrySet()) {
            Scores s = e.getValue();
            if (e.getKey().equals(Bfgs.NAME) || s.diverged()) {
                rescored.put(e.getKey(), s);
                continue;
            }
            Comparison refined = Comparison.of(losses(summary, e.getKey() + "_refined_loss.npy"), bfgs, tieTolerance);
            Comparison unrefined = Comparison.of(losses(summary, e.getKey() + "_loss.npy"), bfgs, tieTolerance);
            rescored.put(e.getKey(), new Scores(refined.better(), refined.equal(), unrefined.better(),
                    unrefined.equal(), s.meanLossRefined(), false));
        }
        return new RunRecord(experiment, n, seed, dir, rescored);
    }

    private double[] losses(Path summary, String file) throws InvalidRun {
        Path f = dir.resolve(file);
        try {
            double[] v = Npy.read(f).data();
            if (v.length != n) throw new InvalidRun(summary, file + " holds " + v.length + " losses, n is " + n);
            return v;
        } catch (RuntimeException e) {
            throw new InvalidRun(summary, file + " is needed to count ties at another tolerance: "
                    + Errors.oneLine(e.getMessage()));
        }
    }

    private static Scores scores(Path summary, String method, JsonNode m) throws InvalidRun {
        if (!Methods.names().contains(method)) {
            throw new InvalidRun(summary, "unknown method '" + method + "' (known: "
                    + String.join(", ", Methods.names()) + ")");
        }
        if (!m.isObject()) throw new InvalidRun(summary, "method " + method + " is not an object");
        String status = m.path("status").asText("finished");
        if (!status.equals("finished") && !status.equals("diverged")) {
            throw new InvalidRun(summary, "method " + method + " has status '" + status
                    + "' (expected finished or diverged)");
        }
        double better = share(summary, method, m, "better"), equal = share(summary, method, m, "equal");
        double uBetter = share(summary, method, m, "unrefinedBetter"),
                uEqual = share(summary, method, m, "unrefinedEqual");
        if (better + equal > 1 + 1e-9 || uBetter + uEqual > 1 + 1e-9) {
            throw new InvalidRun(summary, "method " + method + ": better + equal exceeds 1");
        }
        JsonNode loss = m.get("meanLossRefined");
        if (loss != null && !loss.isNull() && !loss.isNumber()) {
            throw new InvalidRun(summary, "method " + method + ": meanLossRefined is " + loss
                    + ", not a number or null");
        }
        double meanLossRefined = loss == null || loss.isNull() ? Double.NaN : loss.asDouble();
        return new Scores(better, equal, uBetter, uEqual, meanLossRefined, status.equals("diverged"));
    }

    /** A share must be a JSON number in [0, 1]: "abc" or 5.0 (500%) is refused, never read as 0 or shown. */
    private static double share(Path summary, String method, JsonNode m, String key) throws InvalidRun {
        JsonNode v = m.get(key);
        if (v == null || !v.isNumber()) {
            throw new InvalidRun(summary, "method " + method + ": " + key + " is "
                    + (v == null ? "missing" : v.toString()) + ", not a number");
        }
        double d = v.asDouble();
        if (!(d >= 0 && d <= 1)) {
            throw new InvalidRun(summary, "method " + method + ": " + key + " = " + d + " is not a share in [0, 1]");
        }
        return d;
    }
}
