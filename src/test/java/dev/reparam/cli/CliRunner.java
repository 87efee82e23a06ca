package dev.reparam.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the command line in-process with stdout and stderr captured, for the CLI tests. */
final class CliRunner {
    record Outcome(int code, String out, String err) {}

    private CliRunner() {}

    /** Synchronised: System.out and System.err are global, so one capture at a time. */
    static synchronized Outcome run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Exit code 2 and exactly one stderr line that mentions {@code mustContain}, with no stack trace. */
    static void assertOneLineError(Outcome o, String mustContain) {
        assertEquals(2, o.code(), o.err());
        String err = o.err().strip();
        assertFalse(err.contains("\n"), "expected one line, got:\n" + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "stack trace leaked:\n" + err);
        assertTrue(err.contains(mustContain), "message should mention '" + mustContain + "': " + err);
    }
}
