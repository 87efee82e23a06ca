package dev.reparam.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A result directory written as a transaction. Everything goes into a fresh staging directory
 * beside the target ({@code .<name>.staging-<pid>}, same file system, so moves are renames);
 * {@link #commit()} swaps it in for the target, and a run that fails or is interrupted before
 * that leaves the target exactly as it was and removes its staging directory ({@link #close()},
 * and a shutdown hook for Ctrl-C and SIGTERM).
 *
 * <p>The swap is two renames (target aside, staging in), then the old one is deleted. A process
 * killed between the two renames leaves the old result as {@code .<name>.replaced-<pid>}; the
 * next transaction on that target puts it back. Leftovers of dead processes are cleaned up at
 * {@link #begin}.
 *
 * <p>The target must be absent, an empty directory, or a directory that {@code isResult} says
 * holds an earlier result: a transaction never replaces a directory it did not write.
 */
public final class StagedDirectory implements AutoCloseable {
    private static final String STAGING = ".staging-", REPLACED = ".replaced-";
    /** At most 2 s of shutdown spent on a staging directory that keeps being written. */
    private static final int CLEANUP_PASSES = 200, CLEANUP_PAUSE_MS = 10;

    private final Path target;
    private final Path staging;
    private final Thread cleanupOnExit;
    private boolean committed;

    private StagedDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
        this.cleanupOnExit = new Thread(() -> deleteWhileWritten(staging), "reparam-staging-cleanup");
    }

    /**
     * Checks the target and opens a staging directory for it. {@code option} names the target
     * in messages (e.g. "--out"); {@code resultMarker} is the file name that marks an earlier
     * result (e.g. summary.json).
     */
    public static StagedDirectory begin(Path target, String option, String resultMarker) throws IOException {
        Path t = checkTarget(target, option, resultMarker);
        Path parent = t.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IOException(option + " " + target + ": cannot create " + parent + ": " + Errors.reason(e), e);
        }
        recoverLeftovers(t);
        Path staging = parent.resolve("." + t.getFileName() + STAGING + ProcessHandle.current().pid());
        deleteRecursively(staging);
        try {
            Files.createDirectory(staging);
        } catch (IOException e) {
            throw new IOException(option + " " + target + ": cannot write into " + parent + ": " + Errors.reason(e), e);
        }
        StagedDirectory s = new StagedDirectory(t, staging);
        Runtime.getRuntime().addShutdownHook(s.cleanupOnExit);
        return s;
    }

    /**
     * The target as it will be replaced: absolute, with a symbolic link to a directory resolved
     * (replacing the link itself would surprise), refused with one line when it is a file, a
     * dangling link or a loop, or a directory holding something other than an earlier result.
     */
    public static Path checkTarget(Path target, String option, String resultMarker) throws IOException {
        if (target.toString().isBlank()) {
            throw new IllegalArgumentException(option + ": empty path (give a directory name)");
        }
        Path t = target.toAbsolutePath().normalize();
        if (t.getParent() == null) {
            throw new IllegalArgumentException(option + " " + target + ": cannot replace the root directory");
        }
        if (Files.isSymbolicLink(t)) {
            if (!Files.exists(t)) {
                throw new IllegalArgumentException(option + " " + target
                        + ": a symbolic link that leads nowhere (dangling, or a loop)");
            }
            t = t.toRealPath();
        }
        if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) return t;
        if (!Files.isDirectory(t)) {
            throw new IllegalArgumentException(option + " " + target + ": exists and is not a directory");
        }
        if (!Files.isRegularFile(t.resolve(resultMarker)) && !isEmpty(t)) {
            throw new IllegalArgumentException(option + " " + target + ": a directory that holds no earlier result (no "
                    + resultMarker + "); give a new or empty directory");
        }
        return t;
    }

    public Path dir() {
        return staging;
    }

    public Path target() {
        return target;
    }

    /** Moves the staged result into place; the earlier result, if any, is deleted after the swap. */
    public void commit() throws IOException {
        Path aside = target.resolveSibling("." + target.getFileName() + REPLACED + ProcessHandle.current().pid());
        boolean hadOld = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (hadOld) {
            deleteRecursively(aside);
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (hadOld) Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
            throw new IOException("cannot move the new result into " + target + ": " + Errors.reason(e), e);
        }
        committed = true;
        deleteQuietly(aside);
    }

    /** Removes the staging directory unless committed; the target is untouched. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run: it removes the staging directory
        }
        if (!committed) deleteQuietly(staging);
    }

    /** Staging directories of dead processes are deleted; an old result set aside by one is put back. */
    private static void recoverLeftovers(Path target) throws IOException {
        String name = target.getFileName().toString();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent(), "." + name + ".*")) {
            for (Path p : siblings) {
                String rest = p.getFileName().toString().substring(name.length() + 1);
                boolean staging = rest.startsWith(STAGING), replaced = rest.startsWith(REPLACED);
                if (!staging && !replaced) continue;
                long pid = parsePid(rest.substring(staging ? STAGING.length() : REPLACED.length()));
                if (pid < 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                if (replaced && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    deleteRecursively(p);
                }
            }
        }
    }

    private static long parsePid(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /**
     * Deletes {@code dir} while another thread may still be writing into it. Shutdown hooks run
     * beside the application's threads, so the run can create a file after one pass has listed
     * the directory (the last delete then fails on a non-empty directory); passes repeat until the
     * directory is gone. Once it is, a writer cannot recreate it: the writers open files in it and
     * never create the directory again.
     */
    static void deleteWhileWritten(Path dir) {
        for (int pass = 0; pass < CLEANUP_PASSES && Files.exists(dir, LinkOption.NOFOLLOW_LINKS); pass++) {
            deleteQuietly(dir);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
            try {
                Thread.sleep(CLEANUP_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover staging directory is removed by the next transaction
        }
    }
}
