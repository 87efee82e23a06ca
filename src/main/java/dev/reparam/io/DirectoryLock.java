package dev.reparam.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A lock on a directory for one process: {@code .reparam.lock} in it, locked with
 * {@link FileChannel#tryLock()} (an OS lock, so it is released when the process dies, even by
 * kill -9) and holding the owner's pid so that a refused second process can name it. The shards
 * of one sweep share the directory: each holds {@code .reparam.lock} shared (so a whole sweep is
 * refused while any shard runs, and the other way round) and its own shard file exclusively (so
 * the same shard cannot run twice).
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".reparam.lock";

    private final List<FileChannel> channels;
    private final List<FileLock> locks;

    private DirectoryLock(List<FileChannel> channels, List<FileLock> locks) {
        this.channels = channels;
        this.locks = locks;
    }

    /** Locks {@code dir} (created if needed) for this process alone, or fails with one line naming the holder. */
    public static DirectoryLock acquire(Path dir, String option) throws IOException {
        FileChannel ch = open(dir, option, FILE);
        return new DirectoryLock(List.of(ch), List.of(lock(ch, dir, option, false, "")));
    }

    /** Locks {@code dir} for shard {@code index} of {@code count}: refused while a whole sweep or this shard runs. */
    public static DirectoryLock acquireShard(Path dir, String option, int index, int count) throws IOException {
        FileChannel whole = open(dir, option, FILE);
        FileLock shared;
        try {
            shared = lock(whole, dir, option, true, "");
        } catch (RuntimeException | IOException e) {
            whole.close();
            throw e;
        }
        FileChannel mine;
        FileLock exclusive;
        try {
            mine = open(dir, option, ".reparam-shard-" + index + "-of-" + count + ".lock");
            exclusive = lock(mine, dir, option, false, " for shard " + index + "/" + count);
        } catch (RuntimeException | IOException e) {
            shared.release();
            whole.close();
            throw e;
        }
        return new DirectoryLock(List.of(mine, whole), List.of(exclusive, shared));
    }

    private static FileChannel open(Path dir, String option, String name) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException(option + " " + dir + ": cannot create it: " + Errors.reason(e), e);
        }
        try {
            return FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException(option + " " + dir + ": cannot create the lock file " + name + ": "
                    + Errors.reason(e), e);
        }
    }

    /** An exclusive lock records this pid in the file; a shared one leaves the file as it is. */
    private static FileLock lock(FileChannel ch, Path dir, String option, boolean shared, String what)
            throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            lock = null; // this very process holds it (another command run in the same JVM)
        }
        if (lock == null) {
            String holder = readHolder(ch);
            ch.close();
            throw new IllegalArgumentException(option + " " + dir + " is in use by another reparam process" + what
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; wait for it to finish or choose another "
                    + option);
        }
        if (!shared) {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
        }
        return lock;
    }

    private static String readHolder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = 0; i < locks.size(); i++) {
            try {
                // an exclusive holder's pid would name it to a process refused later by shards, which record none
                if (!locks.get(i).isShared()) channels.get(i).truncate(0);
                locks.get(i).release();
                channels.get(i).close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
