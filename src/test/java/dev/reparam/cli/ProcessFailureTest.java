package dev.reparam.cli;

import dev.reparam.cli.CliRunner.Outcome;
import dev.reparam.io.DirectoryLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Failures from outside, in a separate JVM: Ctrl-C or SIGTERM and kill -9 mid-run, a write that
 * the OS refuses part-way (a file size limit, as a full disk would), and a second reproduce on
 * a directory that one holds. None of them may change the earlier result in --out.
 */
class ProcessFailureTest {
    @TempDir
    Path tmp;
    Path good;
    Map<String, String> before;

    @BeforeEach
    void earlierResult() throws IOException {
        good = tmp.resolve("good");
        Outcome o = CliRunner.run("solve", "wavepacket", "--n", "2", "--methods", "bfgs,reparam", "--iterations", "3",
                "--profile", "quick", "--out", good.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        before = DirectoryHashes.of(good);
    }

    private List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Process start(List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectOutput(tmp.resolve("child.out").toFile())
                .redirectError(tmp.resolve("child.err").toFile()).start();
    }

    /** A solve into --out that runs for minutes unless stopped. */
    private Process longSolve() throws IOException {
        return start(java("solve", "wavepacket", "--n", "32", "--methods", "bfgs,reparam", "--iterations", "100000",
                "--profile", "quick", "--threads", "1", "--out", good.toString(), "--quiet"));
    }

    private Path awaitStaging(Process p) throws Exception {
        for (int i = 0; i < 600; i++) {
            try (Stream<Path> s = Files.list(tmp)) {
                var staging = s.filter(f -> f.getFileName().toString().startsWith(".good.staging-")).findFirst();
                if (staging.isPresent()) {
                    Thread.sleep(300); // let it write into the staging directory
                    return staging.get();
                }
            }
            assertTrue(p.isAlive(), () -> "the child ended early: " + read("child.err"));
            Thread.sleep(50);
        }
        throw new AssertionError("no staging directory appeared: " + read("child.err"));
    }

    private String read(String name) {
        try {
            return Files.readString(tmp.resolve(name));
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    @Test
    void sigtermMidRunLeavesTheEarlierResultAndNoStaging() throws Exception {
        Process p = longSolve();
        Path staging = awaitStaging(p);
        p.destroy(); // SIGTERM, as Ctrl-C's SIGINT: shutdown hooks run
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(before, DirectoryHashes.of(good));
        assertFalse(Files.exists(staging), "the shutdown hook removes the staging directory");
    }

    @Test
    void killMinusNineLeavesTheEarlierResultAndTheNextRunCleansUp() throws Exception {
        Process p = longSolve();
        Path staging = awaitStaging(p);
        p.destroyForcibly(); // SIGKILL: nothing runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(before, DirectoryHashes.of(good));
        assertTrue(Files.exists(staging), "kill -9 leaves the staging directory");
        Outcome o = CliRunner.run("solve", "wavepacket", "--n", "2", "--seed", "5", "--methods", "bfgs", "--out",
                good.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertFalse(Files.exists(staging), "the next run on that --out removes a dead process's staging");
        assertNotEquals(before, DirectoryHashes.of(good), "the new run replaced the earlier one");
        DirectoryHashes.assertNoLeftovers(tmp);
    }

    @Test
    void aWriteRefusedByTheOsFailsInOneLineAndChangesNothing() throws Exception {
        // a 64 KB file size limit: observations.npy of 64 wave packets (131 KB) cannot be written
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -f 64 && exec \"$@\"", "bash"));
        cmd.addAll(java("solve", "wavepacket", "--n", "64", "--methods", "bfgs", "--profile", "quick", "--out",
                good.toString(), "--quiet"));
        Process p = start(cmd);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String err = read("child.err").strip();
        assertEquals(2, p.exitValue(), err);
        assertFalse(err.contains("\n"), err);
        assertTrue(err.matches("reparam: error: cannot write .*observations\\.npy: File too large"), err);
        assertEquals(before, DirectoryHashes.of(good));
        DirectoryHashes.assertNoLeftovers(tmp);
    }

    /** chattr +i: even root cannot create files there (tests run as root, so file modes would not stop them). */
    private static boolean immutable(Path dir, boolean on) throws Exception {
        Process p = new ProcessBuilder("chattr", on ? "+i" : "-i", dir.toString()).redirectErrorStream(true).start();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void aDirectoryThatRefusesWritesFailsInOneLineWithTheReason() throws Exception {
        assumeTrue(immutable(tmp, true), "chattr +i does not work on this file system");
        try {
            Outcome o = CliRunner.run("solve", "wavepacket", "--n", "2", "--methods", "bfgs", "--out", good.toString(),
                    "--quiet");
            CliRunner.assertOneLineError(o, "--out " + good + ": cannot write into " + tmp
                    + ": Operation not permitted");
            Outcome fresh = CliRunner.run("solve", "wavepacket", "--n", "2", "--methods", "bfgs", "--out",
                    tmp.resolve("new").toString(), "--quiet");
            CliRunner.assertOneLineError(fresh, "Operation not permitted");
        } finally {
            immutable(tmp, false);
        }
        assertEquals(before, DirectoryHashes.of(good));
        DirectoryHashes.assertNoLeftovers(tmp);
    }

    @Test
    @SuppressWarnings("try") // the lock is only taken
    void aSecondReproduceOnOneDirectoryIsRefusedNamingTheHolder() throws Exception {
        Path out = tmp.resolve("sweep");
        Process p = start(java("reproduce", "--experiments", "wavepacket", "--n", "64", "--seeds", "1", "--methods",
                "bfgs,reparam",
                "--profile", "quick", "--iterations", "100000", "--threads", "1", "--out", out.toString()));
        Path lock = out.resolve(DirectoryLock.FILE);
        for (int i = 0; i < 600 && !(Files.exists(lock) && Files.readString(lock).strip()
                .equals(String.valueOf(p.pid()))); i++) {
            assertTrue(p.isAlive(), () -> read("child.err"));
            Thread.sleep(50);
        }
        try {
            CliRunner.assertOneLineError(CliRunner.run("reproduce", "--experiments", "wavepacket", "--n", "2",
                    "--seeds", "1",
                    "--out", out.toString()), "--out " + out + " is in use by another reparam process (pid " + p.pid()
                    + ")");
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        // the OS released the dead holder's lock: the directory can be used again
        try (DirectoryLock again = DirectoryLock.acquire(out, "--out")) {
            assertTrue(Files.readString(lock).strip().equals(String.valueOf(ProcessHandle.current().pid())));
        }
    }

    @Test
    void aShardRunningTwiceIsRefusedNamingTheHolder() throws Exception {
        Path out = tmp.resolve("sharded");
        Process p = start(java("reproduce", "--experiments", "wavepacket", "--n", "64,2", "--seeds", "1", "--methods",
                "bfgs,reparam", "--profile", "quick", "--iterations", "100000", "--threads", "1", "--shard", "1/2",
                "--out", out.toString()));
        Path lock = out.resolve(".reparam-shard-1-of-2.lock");
        for (int i = 0; i < 600 && !(Files.exists(lock) && Files.readString(lock).strip()
                .equals(String.valueOf(p.pid()))); i++) {
            assertTrue(p.isAlive(), () -> read("child.err"));
            Thread.sleep(50);
        }
        try {
            CliRunner.assertOneLineError(CliRunner.run("reproduce", "--experiments", "wavepacket", "--n", "64,2",
                    "--seeds", "1", "--shard", "1/2", "--out", out.toString()),
                    "--out " + out + " is in use by another reparam process for shard 1/2 (pid " + p.pid() + ")");
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
