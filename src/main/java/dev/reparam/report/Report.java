package dev.reparam.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Aggregates every run under a sweep directory into Table 2 (refined and unrefined) and the figures. */
public final class Report {
    private Report() {}

    /** Writes the tables and figures into {@code out} and returns the files written. */
    public static List<Path> write(Path out) throws IOException {
        List<RunRecord> records = RunRecord.readAll(out);
        if (records.isEmpty()) throw new IllegalArgumentException("no runs under " + out.resolve("runs") + " to report on");
        List<Path> written = new ArrayList<>();
        for (boolean refined : new boolean[] {true, false}) {
            List<Table2.Row> rows = Table2.compute(records, refined);
            String base = refined ? "table2" : "table2_unrefined";
            written.add(Files.writeString(out.resolve(base + ".md"), Table2.markdown(rows, refined)));
            written.add(Files.writeString(out.resolve(base + ".csv"), Table2.csv(rows, refined)));
        }
        for (String exp : records.stream().map(RunRecord::experiment).distinct().sorted().toList()) {
            Path curves = Figures.curves(out, exp, records);
            if (curves != null) written.add(curves);
            Path lossVsN = Figures.refinedLossVsN(out, exp, records);
            if (lossVsN != null) written.add(lossVsN);
        }
        return written;
    }
}
