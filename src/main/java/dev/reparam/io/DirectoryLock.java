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

/**
 * An exclusive lock on a directory for one process: {@code .reparam.lock} in it, locked with
 * {@link FileChannel#tryLock()} (an OS lock, so it is released when the process dies, even by
 * kill -9) and holding the owner's pid so that a refused second process can name it.
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".reparam.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} (created if needed) or fails with one line naming the holder. */
    public static DirectoryLock acquire(Path dir, String option) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException(option + " " + dir + ": cannot create it: " + Errors.reason(e), e);
        }
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException(option + " " + dir + ": cannot create the lock file " + FILE + ": "
                    + Errors.reason(e), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this very process holds it (another command run in the same JVM)
        }
        if (lock == null) {
            String holder = readHolder(ch);
            ch.close();
            throw new IllegalArgumentException(option + " " + dir + " is in use by another reparam process"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; wait for it to finish or choose another "
                    + option);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new DirectoryLock(ch, lock);
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
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
