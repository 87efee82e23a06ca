package dev.reparam.cli;

import dev.reparam.io.FileDigest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A directory's content as relative path -> SHA-256, to show that a failed command changed nothing. */
final class DirectoryHashes {
    private DirectoryHashes() {}

    static Map<String, String> of(Path dir) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) hashes.put(dir.relativize(f).toString(),
                    FileDigest.sha256(f));
        }
        return hashes;
    }

    /** No staging directory, set-aside result or temporary file anywhere under {@code root}. */
    static void assertNoLeftovers(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> left = all.filter(p -> {
                String name = p.getFileName().toString();
                return name.contains(".staging-") || name.contains(".replaced-") || name.endsWith(".tmp");
            }).toList();
            assertEquals(List.of(), left, "leftovers of a failed command");
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(from.relativize(f).toString()));
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
