package dev.reparam.report;

import dev.reparam.experiments.Methods;
import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.Comparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Aggregates every valid run under a sweep directory into Table 2 (refined and unrefined), its
 * cells per n, and the figures. A run whose summary does not validate is left out and named, so
 * one damaged run does not cost the whole table.
 */
public final class Report {
    private Report() {}

    /** The files written, and one line per run left out (its summary.json and why). */
    public record Written(List<Path> files, List<String> skipped) {}

    /** Writes the tables and figures into {@code out}. */
    public static Written write(Path out) throws IOException {
        return write(out, Comparison.DEFAULT_TIE_TOLERANCE);
    }

    /** {@link #write(Path)} with better / equal counted at relative tie tolerance {@code tieTolerance}. */
    public static Written write(Path out, double tieTolerance) throws IOException {
        RunRecord.ReadResult read = RunRecord.readAll(out, tieTolerance);
        List<RunRecord> records = read.records();
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no " + (read.skipped().isEmpty() ? "" : "valid ") + "runs under "
                    + out.resolve("runs") + " to report on"
                    + (read.skipped().isEmpty() ? "" : " (" + read.skipped().size()
                    + " skipped; first: " + read.skipped().get(0) + ")"));
        }
        List<Path> written = new ArrayList<>();
        for (boolean refined : new boolean[] {true, false}) {
            List<Table2.Row> rows = Table2.compute(records, refined);
            String base = refined ? "table2" : "table2_unrefined";
            written.add(replace(out.resolve(base + ".md"), Table2.markdown(rows, refined, tieTolerance)));
            written.add(replace(out.resolve(base + ".csv"), Table2.csv(rows, refined)));
        }
        List<Table2ByN.Cell> cells = Table2ByN.compute(records);
        written.add(replace(out.resolve("table2_by_n.md"), Table2ByN.markdown(cells)));
        written.add(replace(out.resolve("table2_by_n.csv"), Table2ByN.csv(cells)));
        for (String exp : records.stream().map(RunRecord::experiment).distinct().sorted().toList()) {
            Path curves = Figures.curves(out, exp, records);
            if (curves != null) written.add(curves);
            Path lossVsN = Figures.refinedLossVsN(out, exp, records);
            if (lossVsN != null) written.add(lossVsN);
            for (String method : Methods.names()) {
                if (method.equals(Bfgs.NAME)) continue; // the reference: equal to itself everywhere
                Path shares = ShareFigure.write(out, exp, method, records);
                if (shares != null) written.add(shares);
            }
        }
        return new Written(written, read.skipped());
    }

    /** Writes beside and renames, so an interrupted report never leaves a half-written table. */
    static Path replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text);
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
