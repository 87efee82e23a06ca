package dev.reparam.io;

import static dev.reparam.io.NpyFormatException.excerpt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fields of an NPY header, parsed by hand from its Python dict literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}. The grammar covers what
 * numpy writes (strings, booleans, integers, tuples, lists, nested dicts), so that a structured
 * dtype gets a clear "unsupported dtype" error instead of a parse error.
 */
final class NpyHeader {
    /** Longest array HotSpot will allocate; some VMs keep header words in an array, so MAX_VALUE fails. */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /**
     * numpy nests at most 3-4 levels (dict, structured-dtype list, field tuple, subarray shape);
     * the limit keeps a header of a million '(' from overflowing the parser's stack.
     */
    static final int MAX_DEPTH = 16;

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
            throw new NpyFormatException(file, "header is not a dict: " + excerpt(text));
        }
        Object descr = required(file, dict, "descr");
        if (!(required(file, dict, "fortran_order") instanceof Boolean fortran)) {
            throw new NpyFormatException(file, "header 'fortran_order' is not True or False: " + excerpt(text));
        }
        List<?> dims = dims(file, required(file, dict, "shape"), text);
        int size = size(file, dims);
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = (Long) dims.get(i);
            // Only a shape with a zero dimension gets here with a dimension this large.
            if (d > Integer.MAX_VALUE) {
                throw new NpyFormatException(file, "header 'shape' " + tuple(dims) + " has dimension " + d
                        + ", beyond Java's int range");
            }
            shape[i] = (int) d;
        }
        return new NpyHeader(descr, fortran, shape, size);
    }

    private static Object required(Path file, Map<?, ?> dict, String key) {
        Object v = dict.get(key);
        if (v == null) {
            throw new NpyFormatException(file, "header has no '" + key + "' key: "
                    + excerpt(repr(new ArrayList<>(dict.keySet()))));
        }
        return v;
    }

    /** The shape's dimensions, each a non-negative Long. */
    private static List<?> dims(Path file, Object value, String text) {
        if (!(value instanceof List<?> dims)) {
            throw new NpyFormatException(file, "header 'shape' is not a tuple: " + excerpt(text));
        }
        for (Object d : dims) {
            if (!(d instanceof Long n)) {
                throw new NpyFormatException(file, "header 'shape' has an invalid dimension: " + excerpt(repr(d))
                        + " is not an integer");
            }
            if (n < 0) {
                throw new NpyFormatException(file, "header 'shape' has an invalid dimension: " + n + " is negative");
            }
        }
        return dims;
    }

    /** Element count, refused when it overflows or exceeds what one Java array can hold. */
    private static int size(Path file, List<?> dims) {
        // A zero dimension makes an empty array whatever the others are, as in numpy.
        if (dims.contains(0L)) {
            return 0;
        }
        long n = 1;
        for (Object d : dims) {
            try {
                n = Math.multiplyExact(n, (Long) d);
            } catch (ArithmeticException e) {
                throw new NpyFormatException(file, "header 'shape' " + tuple(dims)
                        + " overflows: its element count exceeds " + Long.MAX_VALUE);
            }
        }
        if (n > MAX_ARRAY_LENGTH) {
            throw new NpyFormatException(file, "header 'shape' " + tuple(dims) + " has " + n
                    + " elements; a Java array holds at most " + MAX_ARRAY_LENGTH);
        }
        return (int) n;
    }

    /** A parsed value as Python prints it, for messages: strings quoted, booleans capitalised. */
    static String repr(Object value) {
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof List<?> items) {
            return items.stream().map(NpyHeader::repr).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }

    /** Python's spelling of a shape, such as (3,) or (2, 3), shortened for a message. */
    private static String tuple(List<?> dims) {
        StringBuilder sb = new StringBuilder("(");
        for (Object d : dims) {
            sb.append(sb.length() == 1 ? "" : ", ").append(d);
        }
        return excerpt(sb.append(dims.size() == 1 ? ",)" : ")"));
    }

    /** Recursive-descent parser over the header text; values become String, Boolean, Long, List or Map. */
    private static final class Parser {
        final Path file;
        final String text;
        int pos;
        /** Open dicts, tuples and lists around {@link #pos}. */
        int depth;

        Parser(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        NpyFormatException error(String problem) {
            return new NpyFormatException(file, "malformed header (" + problem + " at offset " + pos + "): "
                    + excerpt(text));
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
                case '(':
                case '[':
                    return nested(c);
                case '\'':
                case '"':
                    return string(c);
                default:
                    if (c == '-' || isDigit(c)) {
                        return integer();
                    }
                    return bool();
            }
        }

        /** Python accepts only ASCII digits in a literal; Character.isDigit would also take e.g. Arabic-Indic ones. */
        static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        Object nested(char open) {
            if (depth == MAX_DEPTH) {
                throw error("header nests deeper than " + MAX_DEPTH + " levels");
            }
            depth++;
            Object value = open == '{' ? dict() : sequence(open == '(' ? ')' : ']');
            depth--;
            return value;
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
            int start = pos;
            pos++;
            while (pos < text.length() && text.charAt(pos) != quote) {
                if (text.charAt(pos) == '\\') {
                    pos++;
                }
                if (pos < text.length()) {
                    sb.append(text.charAt(pos++));
                }
            }
            if (pos >= text.length()) {
                pos = start;
                throw error("unterminated string");
            }
            pos++;
            return sb.toString();
        }

        Long integer() {
            int start = pos;
            if (text.charAt(pos) == '-') {
                pos++;
            }
            while (pos < text.length() && isDigit(text.charAt(pos))) {
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
            throw error("unexpected character '" + excerpt(text.charAt(pos)) + "'");
        }
    }
}
