package dev.reparam.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A result directory replaced only by a committed transaction; leftovers of dead processes are repaired. */
class StagedDirectoryTest {
    /** No process has this pid (Linux pids stay below 2^22). */
    private static final long DEAD_PID = 99_999_999L;

    private static Path result(Path dir, String content) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), content);
        return dir;
    }

    @Test
    void commitReplacesAndCloseWithoutCommitKeeps(@TempDir Path tmp) throws IOException {
        Path target = result(tmp.resolve("run"), "old");
        try (StagedDirectory s = StagedDirectory.begin(target, "--out", "summary.json")) {
            Files.writeString(s.dir().resolve("summary.json"), "abandoned");
        }
        assertEquals("old", Files.readString(target.resolve("summary.json")));
        try (StagedDirectory s = StagedDirectory.begin(target, "--out", "summary.json")) {
            Files.writeString(s.dir().resolve("summary.json"), "new");
            s.commit();
        }
        assertEquals("new", Files.readString(target.resolve("summary.json")));
        try (var left = Files.list(tmp)) {
            assertEquals(1, left.count(), "only the result remains");
        }
    }

    @Test
    @SuppressWarnings("try") // the transaction is only opened and abandoned
    void aResultSetAsideByAKilledProcessIsPutBack(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("run");
        result(tmp.resolve(".run.replaced-" + DEAD_PID), "earlier");
        Files.createDirectories(tmp.resolve(".run.staging-" + DEAD_PID));
        try (StagedDirectory s = StagedDirectory.begin(target, "--out", "summary.json")) {
            assertEquals("earlier", Files.readString(target.resolve("summary.json")), "restored before anything else");
            assertFalse(Files.exists(tmp.resolve(".run.staging-" + DEAD_PID)), "a dead process's staging is removed");
        }
        assertEquals("earlier", Files.readString(target.resolve("summary.json")));
    }

    @Test
    void neverReplacesWhatItDidNotWrite(@TempDir Path tmp) throws IOException {
        Path foreign = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(foreign.resolve("chapter1.tex"), "work");
        var e = assertThrows(IllegalArgumentException.class,
                () -> StagedDirectory.begin(foreign, "--out", "summary.json"));
        assertTrue(e.getMessage().contains("holds no earlier result"), e.getMessage());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThrows(IllegalArgumentException.class, () -> StagedDirectory.begin(file, "--out", "summary.json"));
        assertEquals("work", Files.readString(foreign.resolve("chapter1.tex")));
    }

    @Test
    void aLinkToAResultIsFollowedNotReplaced(@TempDir Path tmp) throws IOException {
        Path real = result(tmp.resolve("real"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        try (StagedDirectory s = StagedDirectory.begin(link, "--out", "summary.json")) {
            Files.writeString(s.dir().resolve("summary.json"), "new");
            s.commit();
        }
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real.resolve("summary.json")));
    }
}
