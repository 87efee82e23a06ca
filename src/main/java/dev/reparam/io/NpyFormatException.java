package dev.reparam.io;

import java.nio.file.Path;

/** An NPY file that cannot be read; the message names the file and what is wrong with it. */
public final class NpyFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public NpyFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
