package dev.reparam;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two rules of docs/design.md that the compiler does not check, over every Java source set: lines
 * of at most 120 characters, and no fully-qualified type names inline in code (an import says
 * what a file depends on; an inline {@code java.util.Arrays} hides it). Comments and string
 * literals may name types in full.
 */
class SourceStyleTest {
    static final int MAX_LINE = 120;
    private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("src/test/java"),
            Path.of("src/dev/java"));
    private static final Pattern QUALIFIED =
            Pattern.compile("\\b(?:java|javax|jdk|dev|org|com|jcuda)\\.(?:[a-z_][a-z0-9_]*\\.)*[A-Z]\\w*");

    @Test
    void linesAreAtMost120CharactersAndCodeNamesNoTypeInFull() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    files++;
                    violations.addAll(check(f, Files.readString(f)));
                }
            }
        }
        assertTrue(files > 100, "found the sources (" + files + " files): run from the project root");
        assertEquals(List.of(), violations, violations.size() + " violations");
    }

    /** The checker itself: what it flags, and that comments, strings and imports are exempt. */
    @Test
    void theCheckerFlagsCodeOnly() {
        String src = """
                package a.b;
                import java.util.Arrays;
                /** java.util.List in a comment */
                class X { // dev.reparam.cli.Main here too
                    String s = "java.util.Map in a string";
                    String t = \"""
                            org.junit.Test in a text block
                            \""";
                    int[] a = java.util.Arrays.copyOf(new int[0], 0);
                }
                """ + "// " + "x".repeat(MAX_LINE) + "\n";
        List<String> found = check(Path.of("X.java"), src);
        assertEquals(List.of("X.java:9: java.util.Arrays inline (import it)", "X.java:11: 123 characters"), found);
    }

    static List<String> check(Path file, String src) {
        List<String> out = new ArrayList<>();
        String[] lines = src.split("\n", -1), code = codeOnly(src).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String trimmed = code[i].strip();
            if (!trimmed.startsWith("import ") && !trimmed.startsWith("package ")) {
                var m = QUALIFIED.matcher(code[i]);
                if (m.find()) out.add(file + ":" + (i + 1) + ": " + m.group() + " inline (import it)");
            }
            if (lines[i].length() > MAX_LINE) out.add(file + ":" + (i + 1) + ": " + lines[i].length() + " characters");
        }
        return out;
    }

    /** The source with comments, string and character literals and text blocks blanked; newlines kept. */
    static String codeOnly(String src) {
        StringBuilder b = new StringBuilder(src.length());
        int i = 0, n = src.length();
        while (i < n) {
            int end;
            if (src.startsWith("//", i)) {
                end = src.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (src.startsWith("/*", i)) {
                end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (src.startsWith("\"\"\"", i)) {
                end = i + 3;
                while (end < n && !src.startsWith("\"\"\"", end)) end += src.charAt(end) == '\\' ? 2 : 1;
                end = Math.min(end + 3, n);
            } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
                char q = src.charAt(i);
                end = i + 1;
                while (end < n && src.charAt(end) != q && src.charAt(end) != '\n') {
                    end += src.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, n);
            } else {
                b.append(src.charAt(i++));
                continue;
            }
            for (int k = i; k < end; k++) b.append(src.charAt(k) == '\n' ? '\n' : ' ');
            i = end;
        }
        return b.toString();
    }
}
