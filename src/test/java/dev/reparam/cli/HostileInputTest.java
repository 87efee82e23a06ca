package dev.reparam.cli;

import dev.reparam.cli.CliRunner.Outcome;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.experiments.Experiments;
import dev.reparam.io.Npy;
import dev.reparam.inverse.ProblemSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The command-line corpus of src/test/resources/hostile/cli-cases.tsv: every bad input ends in
 * exit code 2 and one line that says what was wrong (no stack trace), and an earlier finished
 * run that a case names as --out is byte-for-byte what it was, with no staging leftovers.
 */
class HostileInputTest {
    @TempDir
    static Path tmp;
    static Path good;
    static Map<String, String> goodHashes;
    static final Map<String, String> FIXTURES = new HashMap<>();

    @BeforeAll
    static void fixtures() throws IOException {
        good = tmp.resolve("good");
        Outcome o = CliRunner.run("solve", "wavepacket", "--n", "3", "--seed", "1", "--methods", "bfgs,reparam",
                "--iterations", "3", "--profile", "quick", "--out", good.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        goodHashes = DirectoryHashes.of(good);
        DirectoryHashes.copy(good, tmp.resolve("pristine"));

        Path file = Files.writeString(tmp.resolve("a-file.txt"), "not a directory");
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("thesis.tex"), "someone's work");
        Path loopA = tmp.resolve("loop-a"), loopB = tmp.resolve("loop-b");
        Files.createSymbolicLink(loopA, loopB);
        Files.createSymbolicLink(loopB, loopA);
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere"));

        ProblemSet wp = Experiments.byName("wavepacket").generate(4, 3);
        double[] y = wp.observations();
        put("y4", y, 4, 256);
        put("y1d", Arrays.copyOf(y, 256), 256);
        put("y0", new double[0], 0, 256);
        put("ywrong", new double[4 * 100], 4, 100);
        put("yscalar", new double[] {1.0});
        put("ynan", with(y, 300, Double.NaN), 4, 256);
        put("yinf", with(y, 5, Double.POSITIVE_INFINITY), 4, 256);
        double[] huge = y.clone();
        for (int i = 0; i < huge.length; i++) huge[i] = 1e300 * (1 + Math.abs(huge[i]));
        put("yhuge", huge, 4, 256);
        ProblemSet bl = Experiments.byName("billiards").generate(4, 3);
        put("billy", Arrays.copyOf(bl.observations(), 6), 3, 2);
        put("billx", Arrays.copyOf(bl.inputs(), 6), 3, 2);
        put("billx4", bl.inputs(), 4, 2);

        Path truncated = tmp.resolve("truncated.npy");
        Npy.write(truncated, y, 4, 256);
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        FIXTURES.put("truncated", truncated.toString());
        FIXTURES.put("nested", rawNpy("nested.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': "
                + "(".repeat(500_000)).toString());
        // at least 8 GB, and more than this JVM's heap (up to Java's array limit) wherever it runs
        long count = Math.max(1_000_000_000L, Math.min(Runtime.getRuntime().maxMemory() / 8 + 1,
                Integer.MAX_VALUE - 8));
        Path sparse = rawNpy("sparse.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (" + count + ",), }");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(f.length() + 8 * count); // a hole: no disk used
        }
        FIXTURES.put("sparse", sparse.toString());
        FIXTURES.put("emptyfile", Files.createFile(tmp.resolve("empty.npy")).toString());
        FIXTURES.put("text", Files.writeString(tmp.resolve("text.npy"), "hello, not numpy").toString());
        FIXTURES.put("npydir", Files.createDirectories(tmp.resolve("dir.npy")).toString());
        FIXTURES.put("good", good.toString());
        FIXTURES.put("file", file.toString());
        FIXTURES.put("foreign", foreign.toString());
        FIXTURES.put("loop", loopA.toString());
        FIXTURES.put("dangling", dangling.toString());
        FIXTURES.put("tmp", tmp.toString());
        FIXTURES.put("empty", "");
    }

    private static void put(String name, double[] data, int... shape) {
        Path p = tmp.resolve(name + ".npy");
        Npy.write(p, data, shape);
        FIXTURES.put(name, p.toString());
    }

    private static double[] with(double[] v, int at, double x) {
        double[] c = v.clone();
        c[at] = x;
        return c;
    }

    /** An NPY 2.0 file (uint32 header length) with the given header text and no data. */
    private static Path rawNpy(String name, String header) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(h.length).put(h);
        return Files.write(tmp.resolve(name), b.array());
    }

    record Case(String id, List<String> args, int exit, String message, boolean noCuda) {}

    static List<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        List<String> lines;
        try (var in = Objects.requireNonNull(HostileInputTest.class.getResourceAsStream("/hostile/cli-cases.tsv"))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            assertTrue(f.length >= 4, "malformed corpus line: " + line);
            cases.add(new Case(f[0], List.of(f[1].split(" ")), Integer.parseInt(f[2]), f[3],
                    f.length > 4 && f[4].contains("nocuda")));
        }
        return cases;
    }

    @TestFactory
    List<DynamicTest> everyCaseIsOneLineAndLeavesTheEarlierRunAlone() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : corpus()) tests.add(DynamicTest.dynamicTest(c.id(), () -> check(c)));
        assertTrue(tests.size() >= 100, "the corpus shrank to " + tests.size() + " cases");
        return tests;
    }

    private static void check(Case c) throws IOException {
        if (c.noCuda()) assumeFalse(CudaAvailability.probe().available(), "CUDA is available here");
        String[] args = c.args().stream().map(a -> substitute(a, c.id())).toArray(String[]::new);
        if (args.length == 1 && args[0].isEmpty()) args = new String[] {""};
        Outcome o = CliRunner.run(args);
        if (c.exit() == 0) {
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().contains(c.message()), o.out());
        } else {
            assertEquals(c.exit(), o.code(), "exit code; stderr: " + o.err());
            String err = o.err().strip();
            assertFalse(err.contains("\n"), "expected one line, got:\n" + err);
            assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("Error:"),
                    "stack trace leaked:\n" + err);
            assertTrue(err.startsWith("reparam: error: "), err);
            assertTrue(err.contains(c.message()), "message should contain '" + c.message() + "': " + err);
        }
        boolean unchanged = goodHashes.equals(DirectoryHashes.of(good));
        if (!unchanged) restoreGood(); // so that one failure does not fail every later case
        assertTrue(unchanged, "the earlier run in " + good + " changed");
        DirectoryHashes.assertNoLeftovers(tmp);
    }

    private static void restoreGood() throws IOException {
        DirectoryHashes.delete(good);
        DirectoryHashes.copy(tmp.resolve("pristine"), good);
    }

    private static String substitute(String arg, String caseId) {
        String s = arg.replace("{fresh}", tmp.resolve("fresh-" + caseId).toString());
        for (var e : FIXTURES.entrySet()) s = s.replace("{" + e.getKey() + "}", e.getValue());
        assertFalse(s.contains("{"), "unknown placeholder in " + arg);
        return s;
    }
}
