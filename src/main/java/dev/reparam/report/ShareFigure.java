package dev.reparam.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code <experiment>_<method>_shares_by_n.png}: per n, the shares of problems where the method
 * with refinement is better, equal or worse than BFGS, mean over seeds, stacked to 100 %. Table
 * 2 averages these over n; the bars show whether a method's advantage depends on n.
 */
final class ShareFigure {
    private static final Color BETTER = new Color(0x2e, 0x7d, 0x32), EQUAL = new Color(0x9e, 0x9e, 0x9e),
            WORSE = new Color(0xc6, 0x28, 0x28);

    private ShareFigure() {}

    /** The figure, or null when no run of the experiment has the method. */
    static Path write(Path out, String experiment, String method, List<RunRecord> records) throws IOException {
        Map<Integer, List<RunRecord.Scores>> byN = records.stream()
                .filter(r -> r.experiment().equals(experiment) && r.methods().containsKey(method))
                .collect(Collectors.groupingBy(RunRecord::n, TreeMap::new,
                        Collectors.mapping(r -> r.methods().get(method), Collectors.toList())));
        if (byN.isEmpty()) return null;
        List<String> ns = new ArrayList<>();
        List<Double> better = new ArrayList<>(), equal = new ArrayList<>(), worse = new ArrayList<>();
        for (var e : byN.entrySet()) {
            double b = 100 * e.getValue().stream().mapToDouble(RunRecord.Scores::better).average().orElseThrow();
            double q = 100 * e.getValue().stream().mapToDouble(RunRecord.Scores::equal).average().orElseThrow();
            ns.add(e.getKey() + " (" + e.getValue().size() + ")");
            better.add(b);
            equal.add(q);
            // the rest: worse, or no answer to compare (a diverged run, non-finite losses)
            worse.add(Math.max(0, 100 - b - q));
        }
        CategoryChart chart = new CategoryChartBuilder().width(Figures.WIDTH).height(Figures.HEIGHT)
                .title(PaperTable2.label(experiment) + ": " + method
                + " with refinement against BFGS, per n (mean over seeds)")
                .xAxisTitle("n (seeds)").yAxisTitle("percent of problems").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setSeriesColors(new Color[] {BETTER, EQUAL, WORSE});
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.addSeries("better", ns, better);
        chart.addSeries("equal", ns, equal);
        chart.addSeries("worse or no answer", ns, worse);
        return Figures.save(chart, out.resolve(experiment + "_" + method + "_shares_by_n.png"));
    }
}
