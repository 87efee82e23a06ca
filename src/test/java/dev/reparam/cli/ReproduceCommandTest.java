package dev.reparam.cli;

import dev.reparam.cli.CliRunner.Outcome;

import static dev.reparam.cli.CliRunner.assertOneLineError;
import static dev.reparam.cli.CliRunner.run;

import dev.reparam.io.DirectoryLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reproduce sweep end to end on a tiny grid: outputs, resume, bad input. */
class ReproduceCommandTest {
    private static Outcome sweep(Path out) {
        Outcome o = run("reproduce", "--experiments", "wavepacket", "--n", "2,4", "--seeds", "2", "--methods",
                "bfgs,reparam", "--profile", "quick", "--iterations", "5", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        return o;
    }

    private static Map<Path, FileTime> summaryTimes(Path out) throws IOException {
        Map<Path, FileTime> times = new HashMap<>();
        try (Stream<Path> s = Files.find(out.resolve("runs"), 3,
                (p, a) -> p.getFileName().toString().equals("summary.json"))) {
            for (Path p : s.toList()) times.put(out.relativize(p), Files.getLastModifiedTime(p));
        }
        return times;
    }

    private static void assertPng(Path file) throws IOException {
        assertTrue(Files.size(file) > 5_000, file + " is suspiciously small");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " is not a PNG");
        assertEquals(900, img.getWidth());
    }

    @Test
    void sweepWritesTablesAndFigures(@TempDir Path out) throws IOException {
        Outcome o = sweep(out);
        assertTrue(o.out().contains("4 runs: 4 executed, 0 finished earlier"), o.out());
        assertTrue(o.err().contains("[4/4] wavepacket n=4 seed=1 done in"), o.err());
        assertTrue(o.err()
                .matches("(?s).*\\[1/4\\] wavepacket n=2 seed=0 done in [0-9.]+ s; about [0-9.]+ s left\n.*"), o.err());
        assertTrue(o.err().strip().endsWith("; sweep finished"), o.err());
        for (String f : List.of("table2.md", "table2.csv", "table2_unrefined.md", "table2_unrefined.csv")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        String md = Files.readString(out.resolve("table2.md"));
        assertTrue(md.matches("(?s).*\\| Wave packet fit \\| reparam \\| [0-9.]+ \\| [0-9.]+ \\| 86\\.0 \\| 1\\.8 \\| "
                + "4 \\(2 × 2\\) \\|.*"), md);
        assertPng(out.resolve("wavepacket_curves.png"));
        assertPng(out.resolve("wavepacket_refined_loss_vs_n.png"));
        assertPng(out.resolve("wavepacket_reparam_shares_by_n.png"));
        assertFalse(Files.exists(out.resolve("wavepacket_bfgs_shares_by_n.png")),
                "BFGS is the reference, not compared with itself");
    }

    @Test
    void tieToleranceRecountsTheSharesFromTheKeptLosses(@TempDir Path out) throws IOException {
        sweep(out);
        String asRun = Files.readString(out.resolve("table2.csv"));
        // recounted from the NPY losses at the default tolerance: the same table the summaries gave
        Outcome same = run("reproduce", "--report-only", "--tie-tolerance", "1e-5", "--out", out.toString());
        assertEquals(0, same.code(), same.err());
        assertEquals(asRun, Files.readString(out.resolve("table2.csv")));
        // at 0.99 every pair of losses within a factor 100 is a tie: all of reparam's problems are equal
        Outcome loose = run("reproduce", "--report-only", "--tie-tolerance", "0.99", "--out", out.toString());
        assertEquals(0, loose.code(), loose.err());
        String csv = Files.readString(out.resolve("table2.csv"));
        assertTrue(csv.contains("wavepacket,reparam,0.0000,100.0000,"), csv);
        assertTrue(Files.readString(out.resolve("table2.md")).contains("0.99 max(L, L_BFGS) + 1e-12 (--tie-tolerance"));
        assertOneLineError(run("reproduce", "--report-only", "--tie-tolerance", "1.5", "--out", out.toString()),
                "--tie-tolerance must be a number in [0, 1), got 1.5");
    }

    @Test
    void restartRedoesOnlyMissingAndInterruptedRuns(@TempDir Path out) throws IOException, InterruptedException {
        sweep(out);
        Map<Path, FileTime> before = summaryTimes(out);
        Path deleted = out.resolve("runs/wavepacket/n2-s1");
        try (Stream<Path> s = Files.walk(deleted)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        // an interrupted run: its summary holds BFGS but not reparam yet
        Path interrupted = out.resolve("runs/wavepacket/n4-s0/summary.json");
        String full = Files.readString(interrupted);
        Files.writeString(interrupted, full.substring(0, full.indexOf("\"reparam\"")).replaceAll(",\\s*$", "") + "}}");
        Files.writeString(out.resolve("runs/wavepacket/n4-s0/stale.npy"), "left by the interrupted run");
        Thread.sleep(20); // modification times must be able to differ

        Outcome o = sweep(out);
        assertTrue(o.out().contains("4 runs: 2 executed, 2 finished earlier"), o.out());
        Map<Path, FileTime> after = summaryTimes(out);
        assertEquals(before.keySet(), after.keySet());
        for (String kept : List.of("runs/wavepacket/n2-s0/summary.json", "runs/wavepacket/n4-s1/summary.json")) {
            assertEquals(before.get(Path.of(kept)), after.get(Path.of(kept)), kept + " was redone");
        }
        assertNotEquals(before.get(out.relativize(interrupted)), after.get(out.relativize(interrupted)));
        assertTrue(Files.readString(interrupted).contains("\"reparam\""));
        assertFalse(Files.exists(interrupted.resolveSibling("stale.npy")), "an interrupted run is redone from scratch");
    }

    @Test
    void runsMadeWithOtherSettingsAreRedoneSayingWhy(@TempDir Path out) throws IOException {
        sweep(out);
        // paper over quick: every run is redone, none is reported as a paper result
        Outcome paper = run("reproduce", "--experiments", "wavepacket", "--n", "2,4", "--seeds", "2", "--methods",
                "bfgs,reparam", "--profile", "paper", "--iterations", "5", "--out", out.toString());
        assertEquals(0, paper.code(), paper.err());
        assertTrue(paper.err().contains("redoing wavepacket n=2 seed=0: recorded with profile quick, asked for paper"),
                paper.err());
        assertTrue(paper.out().contains("4 runs: 4 executed, 0 finished earlier"), paper.out());
        assertTrue(Files.readString(out.resolve("runs/wavepacket/n4-s1/summary.json"))
                .contains("\"profile\" : \"paper\""));

        Outcome iterations = run("reproduce", "--experiments", "wavepacket", "--n", "2", "--seeds", "1", "--methods",
                "bfgs,reparam", "--profile", "paper", "--iterations", "6", "--out", out.toString());
        assertTrue(iterations.err()
                .contains("redoing wavepacket n=2 seed=0: recorded with trainingIterations 5, asked for 6"),
                iterations.err());
    }

    @Test
    void aRunMissingAFileIsRedoneNotReportedWithoutIt(@TempDir Path out) throws IOException {
        sweep(out);
        Files.delete(out.resolve("runs/wavepacket/n4-s1/reparam_curve.npy"));
        Outcome o = sweep(out);
        assertTrue(o.err().contains("redoing wavepacket n=4 seed=1: reparam_curve.npy is missing"), o.err());
        assertTrue(o.out().contains("4 runs: 1 executed, 3 finished earlier"), o.out());
        assertTrue(Files.isRegularFile(out.resolve("runs/wavepacket/n4-s1/reparam_curve.npy")));
    }

    @Test
    @SuppressWarnings("try") // the lock is only held
    void aDirectoryInUseByThisProcessIsRefused(@TempDir Path out) throws IOException {
        try (var lock = DirectoryLock.acquire(out, "--out")) {
            assertOneLineError(run("reproduce", "--experiments", "wavepacket", "--n", "2", "--seeds", "1", "--out",
                    out.toString()),
                    "is in use by another reparam process (pid " + ProcessHandle.current().pid() + ")");
        }
    }

    @Test
    void reportOnlyAggregatesWithoutRunning(@TempDir Path out) throws IOException {
        sweep(out);
        Files.delete(out.resolve("table2.md"));
        Map<Path, FileTime> before = summaryTimes(out);
        Outcome o = run("reproduce", "--report-only", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.isRegularFile(out.resolve("table2.md")));
        assertEquals(before, summaryTimes(out));
    }

    @Test
    void twoShardsThenReportOnlyGiveTheUnshardedTables(@TempDir Path tmp) throws IOException {
        Path whole = tmp.resolve("whole");
        Path sharded = tmp.resolve("sharded");
        sweep(whole);
        List<String> done = new ArrayList<>();
        for (String shard : List.of("1/2", "2/2")) {
            Outcome o = run("reproduce", "--experiments", "wavepacket", "--n", "2,4", "--seeds", "2", "--methods",
                    "bfgs,reparam", "--profile", "quick", "--iterations", "5", "--shard", shard, "--out",
                    sharded.toString());
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().contains("shard " + shard + " finished; when every shard has"), o.out());
            assertFalse(Files.exists(sharded.resolve("table2.md")), "a shard wrote tables of a part of the sweep");
            for (String line : o.err().split("\n")) if (line.contains(" done in ")) done.add(line.split("] ")[1]
                    .split(" done in ")[0]);
        }
        // every run exactly once, and by cost: n = 4 runs cost twice n = 2 runs, so each shard gets one of each
        assertEquals(List.of("wavepacket n=2 seed=0", "wavepacket n=4 seed=0", "wavepacket n=2 seed=1",
                "wavepacket n=4 seed=1").stream().sorted().toList(), done.stream().sorted().toList());
        Outcome report = run("reproduce", "--report-only", "--out", sharded.toString());
        assertEquals(0, report.code(), report.err());
        for (String f : List.of("table2.csv", "table2_unrefined.csv", "table2_by_n.csv")) {
            assertEquals(Files.readString(whole.resolve(f)), Files.readString(sharded.resolve(f)), f);
        }
    }

    @Test
    @SuppressWarnings("try") // the lock is only taken
    void aShardHoldingTheDirectoryRefusesAWholeSweep(@TempDir Path out) throws IOException {
        try (var lock = DirectoryLock.acquireShard(out, "--out", 1, 2)) {
            assertOneLineError(run("reproduce", "--experiments", "wavepacket", "--n", "2", "--seeds", "1",
                    "--out", out.toString()), "--out " + out + " is in use by another reparam process");
        }
    }

    @Test
    void aliasRunsUnderTheCanonicalNameOnce(@TempDir Path out) {
        // ks is kuramoto-sivashinsky: its run lies in runs/kuramoto-sivashinsky (naming both is refused as a duplicate)
        Outcome o = run("reproduce", "--experiments", "ks", "--n", "1", "--seeds", "1", "--methods", "bfgs",
                "--profile", "quick", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("1 runs: 1 executed"), o.out());
        assertTrue(Files.isRegularFile(out.resolve("runs/kuramoto-sivashinsky/n1-s0/summary.json")));
        assertFalse(Files.exists(out.resolve("runs/ks")));
        assertTrue(Files.isRegularFile(out.resolve("kuramoto-sivashinsky_curves.png")));
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo(@TempDir Path out) {
        assertOneLineError(run("reproduce", "--experiments", "pendulum", "--out", out.toString()),
                "unknown experiment 'pendulum'");
        assertOneLineError(run("reproduce", "--n", "2,0", "--out", out.toString()), "--n must be >= 1");
        assertOneLineError(run("reproduce", "--n", "2,x", "--out", out.toString()), "'x' is not an int");
        assertOneLineError(run("reproduce", "--seeds", "0", "--out", out.toString()), "--seeds must be >= 1");
        assertOneLineError(run("reproduce", "--report-only", "--out", out.toString()), "no runs under");
        assertOneLineError(run("reproduce", "--shard", "3/2", "--out", out.toString()),
                "--shard: expected I/K with 1 <= I <= K, got 3/2");
        assertOneLineError(run("reproduce", "--shard", "half", "--out", out.toString()),
                "--shard: expected I/K such as 2/4, got 'half'");
        assertOneLineError(run("reproduce", "--report-only", "--shard", "1/2", "--out", out.toString()),
                "--shard: a report reads every shard's runs; give --report-only without --shard");
    }
}
