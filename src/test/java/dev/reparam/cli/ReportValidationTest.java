package dev.reparam.cli;

import dev.reparam.cli.CliRunner.Outcome;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code reproduce --report-only} over summaries that were damaged or edited: each bad run is
 * named with its file and problem and left out, the table is still written from the others,
 * and the exit code (4) says that something was left out.
 */
class ReportValidationTest {
    @TempDir
    static Path tmp;
    static Path sweep;

    @BeforeAll
    static void sweep() {
        sweep = tmp.resolve("sweep");
        Outcome o = CliRunner.run("reproduce", "--experiments", "wavepacket", "--n", "2,4", "--seeds", "2",
                "--methods", "bfgs,reparam", "--profile", "quick", "--iterations", "3", "--out", sweep.toString());
        assertEquals(0, o.code(), o.err());
    }

    /** A way to damage run n2-s1 and the problem the report must name. */
    record Damage(String id, IoAction damage, String problem) {}

    interface IoAction {
        void apply(Path run) throws IOException;

        default IoAction andThen(IoAction next) {
            return run -> {
                apply(run);
                next.apply(run);
            };
        }
    }

    private static IoAction summary(String json) {
        return run -> Files.writeString(run.resolve("summary.json"), json);
    }

    private static IoAction edit(String from, String to) {
        return run -> {
            String s = Files.readString(run.resolve("summary.json"));
            assertTrue(Pattern.compile(from).matcher(s).find(), "fixture lacks " + from);
            Files.writeString(run.resolve("summary.json"), s.replaceFirst(from, to));
        };
    }

    static List<Damage> damages() {
        return List.of(
                new Damage("truncated-json", run -> {
                    String s = Files.readString(run.resolve("summary.json"));
                    Files.writeString(run.resolve("summary.json"), s.substring(0, s.length() / 2));
                }, "not valid JSON"),
                new Damage("empty-file", summary(""), "not a JSON object"),
                new Damage("json-array", summary("[1, 2, 3]"), "not a JSON object"),
                new Damage("json-string", summary("\"summary\""), "not a JSON object"),
                new Damage("no-experiment", edit("\"experiment\" : \"wavepacket\"", "\"exp\" : \"wavepacket\""),
                "not a run summary"),
                new Damage("n-as-text", edit("\"n\" : 2", "\"n\" : \"two\""), "not a run summary"),
                new Damage("n-elsewhere", edit("\"n\" : 2", "\"n\" : 8"),
                "says wavepacket n=8 seed=1 but lies in wavepacket/n2-s1"),
                new Damage("unknown-method", edit("\"reparam\" : \\{", "\"foo\" : {"), "unknown method 'foo'"),
                new Damage("better-text", edit("\"better\" : [0-9.E-]+", "\"better\" : \"abc\""),
                "better is \"abc\", not a number"),
                new Damage("better-500-percent", edit("\"better\" : [0-9.E-]+", "\"better\" : 5.0"),
                "better = 5.0 is not a share in [0, 1]"),
                new Damage("better-negative", edit("\"better\" : [0-9.E-]+", "\"better\" : -0.5"),
                "better = -0.5 is not a share"),
                new Damage("better-null", edit("\"better\" : [0-9.E-]+", "\"better\" : null"),
                "better is null, not a number"),
                new Damage("better-missing", edit("\"better\" : [0-9.E-]+,", ""), "better is missing"),
                new Damage("equal-nan-string", edit("\"equal\" : [0-9.E-]+", "\"equal\" : \"NaN\""),
                "equal is \"NaN\", not a number"),
                new Damage("shares-over-one", edit("\"unrefinedEqual\" : [0-9.E-]+", "\"unrefinedEqual\" : 1.0")
                        .andThen(edit("\"unrefinedBetter\" : [0-9.E-]+", "\"unrefinedBetter\" : 0.5")),
                        "better + equal exceeds 1"),
                new Damage("methods-null", edit("\"methods\" : \\{", "\"methods\" : null, \"x\" : {"),
                "\"methods\" is missing, empty or not an object"), new Damage("methods-empty", run -> {
                    String s = Files.readString(run.resolve("summary.json"));
                    int from = s.indexOf("\"methods\" : {"), to = s.indexOf("\"files\" : {");
                    Files.writeString(run.resolve("summary.json"),
                            s.substring(0, from) + "\"methods\" : {},\n  " + s.substring(to));
                }, "\"methods\" is missing, empty or not an object"),
                new Damage("status-unknown", edit("\"status\" : \"finished\"", "\"status\" : \"exploded\""),
                "has status 'exploded'"),
                new Damage("loss-text", edit("\"meanLossRefined\" : [0-9.E-]+", "\"meanLossRefined\" : \"cheap\""),
                "meanLossRefined is \"cheap\""),
                new Damage("curve-deleted", run -> Files.delete(run.resolve("reparam_curve.npy")),
                "reparam_curve.npy is missing"), new Damage("loss-tampered", run -> {
                    byte[] b = Files.readAllBytes(run.resolve("bfgs_loss.npy"));
                    b[b.length - 1] ^= 1;
                    Files.write(run.resolve("bfgs_loss.npy"), b);
                }, "bfgs_loss.npy has changed (SHA-256 differs)"),
                new Damage("loss-truncated", run -> Files.write(run.resolve("bfgs_loss.npy"), new byte[10]),
                "bfgs_loss.npy has changed size"),
                new Damage("file-outside", edit("\"files\" : \\{",
                "\"files\" : { \"../../x.npy\" : {\"bytes\": 1, \"sha256\": \"0\"},"),
                        "lists a file outside its run: ../../x.npy"),
                new Damage("files-missing", edit("\"files\" : \\{", "\"nofiles\" : {"), "lists no files"),
                new Damage("summary-directory", run -> {
                    for (Path p : Files.list(run).toList()) Files.delete(p);
                    Files.createDirectory(run.resolve("summary.json"));
                }, "unreadable"));
    }

    @TestFactory
    List<DynamicTest> eachDamagedRunIsNamedAndTheRestIsReported() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Damage d : damages()) tests.add(DynamicTest.dynamicTest(d.id(), () -> check(d)));
        return tests;
    }

    private static void check(Damage d) throws IOException {
        Path out = tmp.resolve(d.id());
        DirectoryHashes.copy(sweep, out);
        for (String f : List.of("table2.md", "table2.csv")) Files.delete(out.resolve(f));
        d.damage().apply(out.resolve("runs/wavepacket/n2-s1"));
        Outcome o = CliRunner.run("reproduce", "--report-only", "--out", out.toString());
        assertEquals(Main.EXIT_PARTIAL, o.code(), o.err());
        List<String> lines = o.err().strip().lines().toList();
        assertEquals(2, lines.size(), o.err());
        Path summary = out.resolve("runs/wavepacket/n2-s1/summary.json");
        assertTrue(lines.get(0).startsWith("reparam: skipped " + summary + ": "), lines.get(0));
        assertTrue(lines.get(0).contains(d.problem()), "expected '" + d.problem() + "' in: " + lines.get(0));
        assertFalse(o.err().contains("Exception") || o.err().contains("\tat "), o.err());
        assertEquals("reparam: 1 run(s) left out of the report (listed above)", lines.get(1));
        String md = Files.readString(out.resolve("table2.md"));
        assertTrue(md.contains("| Wave packet fit | reparam |") && md.contains("| 3 (2 × 2) |"),
                "three runs remain:\n" + md);
        assertTrue(Files.isRegularFile(out.resolve("table2.csv")));
    }

    @Test
    void noValidRunIsAnErrorNamingTheFirstProblem() throws IOException {
        Path out = tmp.resolve("all-bad");
        DirectoryHashes.copy(sweep, out);
        try (var runs = Files.find(out.resolve("runs"), 3, (p, a) ->
                p.getFileName().toString().equals("summary.json"))) {
            for (Path p : runs.toList()) Files.writeString(p, "{");
        }
        CliRunner.assertOneLineError(CliRunner.run("reproduce", "--report-only", "--out", out.toString()),
                "no valid runs under " + out.resolve("runs") + " to report on (4 skipped; first: ");
    }
}
