package dev.reparam.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of an NPY header, parsed by hand from its Python dict literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}. The grammar covers what
 * numpy writes (strings, booleans, integers, tuples, lists, nested dicts), so that a structured
 * dtype gets a clear "unsupported dtype" error instead of a parse error.
 */
final class NpyHeader {
    final Object descr;
    final boolean fortranOrder;
    final int[] shape;
    final int size;

    private NpyHeader(Object descr, boolean fortranOrder, int[] shape, int size) {
        this.descr = descr;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.size = size;
    }

    static NpyHeader parse(Path file, String text) {
        Parser p = new Parser(file, text);
        Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the header dict");
        }
        if (!(value instanceof Map<?, ?> dict)) {
            throw p.error("header is not a dict");
        }
        Object descr = required(file, dict, "descr");
        if (!(required(file, dict, "fortran_order") instanceof Boolean fortran)) {
            throw new NpyFormatException(file, "header 'fortran_order' is not True or False: " + text.strip());
        }
        int[] shape = shape(file, required(file, dict, "shape"), text);
        int size;
        try {
            size = NpyArray.size(shape);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(file, e.getMessage());
        }
        return new NpyHeader(descr, fortran, shape, size);
    }

    private static Object required(Path file, Map<?, ?> dict, String key) {
        Object v = dict.get(key);
        if (v == null) {
            throw new NpyFormatException(file, "header has no '" + key + "' key: " + dict.keySet());
        }
        return v;
    }

    private static int[] shape(Path file, Object value, String text) {
        if (!(value instanceof List<?> dims)) {
            throw new NpyFormatException(file, "header 'shape' is not a tuple: " + text.strip());
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new NpyFormatException(file, "header 'shape' has an invalid dimension: " + text.strip());
            }
            shape[i] = (int) (long) d;
        }
        return shape;
    }

    /** Recursive-descent parser over the header text; values become String, Boolean, Long, List or Map. */
    private static final class Parser {
        final Path file;
        final String text;
        int pos;

        Parser(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        NpyFormatException error(String problem) {
            return new NpyFormatException(file, "malformed header (" + problem + " at offset " + pos + "): "
                    + text.strip());
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Object value() {
            skipSpace();
            if (pos == text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return dict();
                case '(':
                    return sequence(')');
                case '[':
                    return sequence(']');
                case '\'':
                case '"':
                    return string(c);
                default:
                    if (c == '-' || Character.isDigit(c)) {
                        return integer();
                    }
                    return bool();
            }
        }

        Map<Object, Object> dict() {
            Map<Object, Object> map = new LinkedHashMap<>();
            pos++;
            while (!closes('}')) {
                Object key = value();
                skipSpace();
                expect(':');
                map.put(key, value());
                separator('}');
            }
            return map;
        }

        List<Object> sequence(char close) {
            List<Object> items = new ArrayList<>();
            pos++;
            while (!closes(close)) {
                items.add(value());
                separator(close);
            }
            return items;
        }

        /** Consumes {@code close} if it comes next; trailing commas as in {@code (3,)} are allowed. */
        boolean closes(char close) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == close) {
                pos++;
                return true;
            }
            return false;
        }

        /** After an item: either a comma, or the closing bracket left for {@link #closes}. */
        void separator(char close) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos >= text.length() || text.charAt(pos) != close) {
                throw error("expected ',' or '" + close + "'");
            }
        }

        void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        String string(char quote) {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (pos < text.length() && text.charAt(pos) != quote) {
                if (text.charAt(pos) == '\\') {
                    pos++;
                }
                if (pos < text.length()) {
                    sb.append(text.charAt(pos++));
                }
            }
            expect(quote);
            return sb.toString();
        }

        Long integer() {
            int start = pos;
            if (text.charAt(pos) == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            try {
                return Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("bad integer");
            }
        }

        Boolean bool() {
            for (String word : new String[] {"True", "False"}) {
                if (text.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("True");
                }
            }
            throw error("unexpected character '" + text.charAt(pos) + "'");
        }
    }
}
