package dev.reparam.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-n cells from the hand-written summaries of {@link Table2Test}, against a hand computation. */
class Table2ByNTest {
    @Test
    void eachCellIsTheMeanOverItsSeeds(@TempDir Path out) throws IOException {
        Table2Test.fixtures(out);
        List<Table2ByN.Cell> cells = Table2ByN.compute(RunRecord.readAll(out).records());
        assertEquals(2, cells.size(), "reparam at n = 2 and n = 4; BFGS is the reference, not a cell");
        Table2ByN.Cell two = cells.get(0), four = cells.get(1);
        assertEquals(2, two.n());
        assertEquals(2, two.seeds());
        assertEquals(75.0, two.better(), 1e-12);      // (0.5 + 1.0) / 2
        assertEquals(25.0, two.equal(), 1e-12);       // (0.5 + 0.0) / 2
        assertEquals(25.0, two.unrefinedBetter(), 1e-12);
        assertEquals(12.5, two.unrefinedEqual(), 1e-12);
        assertEquals(4, four.n());
        assertEquals(1, four.seeds());
        assertEquals(25.0, four.better(), 1e-12);

        String md = Table2ByN.markdown(cells);
        assertTrue(md.contains("| method | n = 2 | n = 4 |"), md);
        assertTrue(md.contains("| reparam | 75.0 / 25.0 (2) | 25.0 / 25.0 (1) |"), md);
        assertTrue(md.contains("| reparam | 25.0 / 12.5 (2) | 50.0 / 50.0 (1) |"), md);
        assertTrue(Table2ByN.csv(cells).contains("wavepacket,reparam,2,2,75.0000,25.0000,25.0000,12.5000\n"));
    }

    @Test
    void theReportWritesThePerNTables(@TempDir Path out) throws IOException {
        Table2Test.fixtures(out);
        Report.write(out);
        assertTrue(Files.readString(out.resolve("table2_by_n.md")).contains("75.0 / 25.0 (2)"));
        assertTrue(Files.readString(out.resolve("table2_by_n.csv")).startsWith("experiment,method,n,seeds,"));
    }
}
