package dev.reparam.experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResultWriterTest {
    /**
     * SIGTERM while a run starts: the shutdown hook removes the staging directory, and a writer
     * opened after that must fail rather than make the directory again (it would outlive the
     * process; ProcessFailureTest saw exactly that on a loaded machine).
     */
    @Test
    void neverCreatesTheDirectoryItWritesInto(@TempDir Path tmp) {
        Path removed = tmp.resolve(".run.staging-1");
        assertThrows(NoSuchFileException.class, () -> new ResultWriter(removed));
        assertFalse(Files.exists(removed));
    }
}
