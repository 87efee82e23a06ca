package dev.reparam.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The factor study's CSV ({@link WavePacketStudy}) as a Markdown table: one row per (variant, n),
 * the mean over its seeds, in the order the variants first appear. Shares in percent.
 * Run: {@code bench/dev-main dev.reparam.study.StudyTable study.csv}.
 */
public final class StudyTable {
    private StudyTable() {}

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            double[] v = new double[f.length - 3];
            for (int i = 3; i < f.length; i++) v[i - 3] = Double.parseDouble(f[i]);
            groups.computeIfAbsent(f[0] + "|" + f[1], k -> new ArrayList<>()).add(v);
        }
        System.out.println("| variant | n | seeds | better | equal | unrefined better | global basin BFGS / refined "
                + "| settled by (median it.) | initial spread of t0 | final spread | minima travelled | s per run |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, List<double[]>> g : groups.entrySet()) {
            String[] k = g.getKey().split("\\|");
            double[] m = mean(g.getValue());
            System.out.println(String.format(Locale.ROOT,
                    "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f / %.1f | %.0f | %.1f | %.1f | %.1f | %.0f |",
                    k[0], k[1], g.getValue().size(), 100 * m[0], 100 * m[1], 100 * m[3], 100 * m[4], 100 * m[5],
                    m[6], m[7], m[8], m[9], m[12]));
        }
    }

    private static double[] mean(List<double[]> rows) {
        double[] m = new double[rows.get(0).length];
        for (double[] r : rows) for (int i = 0; i < m.length; i++) m[i] += r[i] / rows.size();
        return m;
    }
}
