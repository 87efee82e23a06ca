package dev.reparam.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Table 2 from hand-written summaries against a hand computation. */
class Table2Test {
    /** A summary.json as SolveJob writes it, reduced to the fields the report reads. */
    static void summary(Path out, int n, long seed, double better, double equal, double unrefinedBetter,
                        double unrefinedEqual, double lossRefined) throws IOException {
        Path dir = out.resolve("runs/wavepacket/n" + n + "-s" + seed);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), """
                {"experiment": "wavepacket", "n": %d, "seed": %d, "methods": {
                  "bfgs": {"better": 0, "equal": 1, "unrefinedBetter": 0, "unrefinedEqual": 1, "meanLossRefined": 1.0},
                  "reparam": {"better": %s, "equal": %s, "unrefinedBetter": %s, "unrefinedEqual": %s,
                              "meanLossRefined": %s, "meanEvaluations": null}},
                 "files": {}}
                """.formatted(n, seed, better, equal, unrefinedBetter, unrefinedEqual, lossRefined));
    }

    /** n = 2 has two seeds, n = 4 one: the mean over seeds then over n differs from the mean over runs. */
    static void fixtures(Path out) throws IOException {
        summary(out, 2, 0, 0.5, 0.5, 0.0, 0.0, 0.2);
        summary(out, 2, 1, 1.0, 0.0, 0.5, 0.25, 0.4);
        summary(out, 4, 0, 0.25, 0.25, 0.5, 0.5, 0.3);
    }

    @Test
    void refinedSharesAreMeansOverSeedsThenOverN(@TempDir Path out) throws IOException {
        fixtures(out);
        List<Table2.Row> rows = Table2.compute(RunRecord.readAll(out).records(), true);
        Table2.Row reparam = rows.get(0);
        assertEquals("reparam", reparam.method());
        // better: n=2 (0.5 + 1.0) / 2 = 0.75, n=4 0.25 -> 0.5; equal: n=2 0.25, n=4 0.25 -> 0.25
        assertEquals(50.0, reparam.better(), 1e-12);
        assertEquals(25.0, reparam.equal(), 1e-12);
        assertEquals(3, reparam.runs());
        assertEquals(2, reparam.nValues());
        assertEquals(2, reparam.seeds());
        assertEquals(86.0, reparam.paper().better());
        assertEquals(1.8, reparam.paper().equal());
    }

    @Test
    void unrefinedSharesComeFromTheUnrefinedFields(@TempDir Path out) throws IOException {
        fixtures(out);
        Table2.Row reparam = Table2.compute(RunRecord.readAll(out).records(), false).get(0);
        // better: n=2 0.25, n=4 0.5 -> 0.375; equal: n=2 0.125, n=4 0.5 -> 0.3125
        assertEquals(37.5, reparam.better(), 1e-12);
        assertEquals(31.25, reparam.equal(), 1e-12);
        assertNull(reparam.paper(), "the paper has no unrefined table");
    }

    @Test
    void methodsWithoutRunsShowADashBesideThePaper(@TempDir Path out) throws IOException {
        fixtures(out);
        List<Table2.Row> rows = Table2.compute(RunRecord.readAll(out).records(), true);
        assertEquals(List.of("reparam", "supervised", "neural-adjoint"), rows.stream().map(Table2.Row::method).toList(),
                "BFGS is the reference, not a row");
        String md = Table2.markdown(rows, true);
        assertTrue(md.contains("| Wave packet fit | reparam | 50.0 | 25.0 | 86.0 | 1.8 | 3 (2 × 2) |"), md);
        assertTrue(md.contains("| Wave packet fit | supervised | — | — | 65.1 | 14.4 | 0 |"), md);
        String csv = Table2.csv(rows, true);
        assertTrue(csv.contains("wavepacket,reparam,50.0000,25.0000,86.0000,1.8000,3,2,2,0\n"), csv);
        assertTrue(csv.contains("wavepacket,supervised,,,65.1000,14.4000,0,0,0,0\n"), csv);
    }

    @Test
    void reportWritesTablesAndTheLossFigureWithoutCurves(@TempDir Path out) throws IOException {
        fixtures(out);
        List<Path> written = Report.write(out).files();
        assertEquals(List.of("table2.md", "table2.csv", "table2_unrefined.md", "table2_unrefined.csv",
                        "table2_by_n.md", "table2_by_n.csv", "wavepacket_refined_loss_vs_n.png",
                        "wavepacket_reparam_shares_by_n.png"),
                written.stream().map(p -> p.getFileName().toString()).toList(), "no curve files, so no curve figure");
    }

    @Test
    void curvesOfDifferentLengthsKeepTheirLastValue() {
        double[] mean = Figures.meanPadded(List.of(new double[] {4, 2}, new double[] {2, 1, 0.5, 0.25}));
        assertArrayEquals(new double[] {3, 1.5, 1.25, 1.125}, mean, 1e-12);
    }
}
