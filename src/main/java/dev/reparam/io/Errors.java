package dev.reparam.io;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One-line descriptions of I/O failures that keep the operating system's reason. Java's
 * {@link FileSystemException}s often carry only the path as their message ("/data/out"), which
 * tells a user nothing; the reason ("Permission denied", "No space left on device") is what
 * they need.
 */
public final class Errors {
    private Errors() {}

    /** The reason alone, e.g. "Permission denied"; the message for other exceptions. */
    public static String reason(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) return reason(u.getCause());
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null && !f.getReason().isBlank()) return f.getReason();
            if (f instanceof AccessDeniedException) return "Permission denied";
            if (f instanceof NoSuchFileException) return "No such file or directory";
            if (f instanceof NotDirectoryException) return "Not a directory";
            if (f instanceof FileAlreadyExistsException) return "File exists";
            if (f instanceof DirectoryNotEmptyException) return "Directory not empty";
            if (f instanceof FileSystemLoopException) return "Too many levels of symbolic links";
            return f.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * One line for a user: the message with the reason appended when the message lacks it,
     * e.g. "cannot write out/summary.json: No space left on device" or "/data: Permission denied".
     */
    public static String describe(Throwable e) {
        if (e instanceof FileSystemException f) {
            String where = f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "");
            return where + ": " + reason(f);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            String why = reason(cause);
            if (!message.contains(why)) message = message + ": " + why;
        }
        return oneLine(message);
    }

    /** Folds a multi-line message (a parser's, say) onto one line. */
    public static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
