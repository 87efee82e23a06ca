package dev.reparam.io;

import java.nio.file.Path;

/** An NPY file that cannot be read; the message names the file and what is wrong with it. */
public final class NpyFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** A hostile header can be a megabyte long; messages quote only its start. */
    private static final int EXCERPT_CHARS = 200;

    public NpyFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /**
     * Text from a file as quoted in a message: stripped, cut to {@value #EXCERPT_CHARS} characters with
     * "…", and with control and line-separator characters escaped so that the message stays one line.
     */
    static String excerpt(Object value) {
        String s = String.valueOf(value).strip();
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < s.length() && sb.length() < EXCERPT_CHARS; i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return i < s.length() ? sb.append('…').toString() : sb.toString();
    }
}
