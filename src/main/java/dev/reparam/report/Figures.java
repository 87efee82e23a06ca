package dev.reparam.report;

import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

import org.apache.commons.math3.stat.StatUtils;

import dev.reparam.io.Npy;
import dev.reparam.io.NpyArray;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The paper's figure panels per experiment as PNG: (c) loss curves without refinement at the
 * largest n, and (d) the mean refined loss against n with the spread over seeds.
 */
public final class Figures {
    static {
        // charts are drawn into images only; this also works on machines without a display
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 900, HEIGHT = 600;

    private Figures() {}

    /**
     * {@code <experiment>_curves.png}: per method, the mean over problems of the loss per
     * iteration, averaged over seeds. A run's curve that stopped early (BFGS converges at
     * different iterations per seed) keeps its last value, as its problems do; each method
     * is drawn over its own iterations. Returns null when no run has curves.
     */
    public static Path curves(Path out, String experiment, List<RunRecord> records) throws IOException {
        List<RunRecord> ofExp = records.stream().filter(r -> r.experiment().equals(experiment)).toList();
        int n = ofExp.stream().mapToInt(RunRecord::n).max().orElse(0);
        XYChart chart = chart(PaperTable2.label(experiment) + ": loss without refinement, n = " + n
                + " (mean over problems and seeds)", "iteration", "mean loss");
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        int last = 0;
        for (String method : methods(ofExp)) {
            List<double[]> perSeed = new ArrayList<>();
            for (RunRecord r : ofExp) {
                Path file = r.dir().resolve(method + "_curve.npy");
                if (r.n() == n && r.methods().containsKey(method) && Files.isRegularFile(file)) {
                    perSeed.add(meanPerIteration(Npy.read(file)));
                }
            }
            double[] mean = meanPadded(perSeed);
            if (mean.length == 0) continue;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < mean.length; i++) {
                // a log axis cannot show zero or negative losses
                if (mean[i] > 0 && Double.isFinite(mean[i])) {
                    x.add((double) i);
                    y.add(mean[i]);
                    lo = Math.min(lo, mean[i]);
                    hi = Math.max(hi, mean[i]);
                    last = Math.max(last, i);
                }
            }
            if (x.isEmpty()) continue;
            XYSeries s = chart.addSeries(method + " (" + perSeed.size() + " seeds)", x, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        if (chart.getSeriesMap().isEmpty()) return null;
        LogAxis.of(lo, hi).applyToY(chart.getStyler());
        chart.getStyler().setXAxisDecimalPattern("0");
        if (last > 0) {
            // XChart puts the ticks of equally spaced x values (0, 1, 2, ...) on every k-th point
            // (0, 7, 14, ...); an axis end half an iteration past the last point breaks the equal
            // spacing, so the ticks fall on round numbers (0, 20, 40, ...) instead
            chart.getStyler().setXAxisMin(0.0);
            chart.getStyler().setXAxisMax(last + 0.5);
        }
        return save(chart, out.resolve(experiment + "_curves.png"));
    }

    /**
     * {@code <experiment>_refined_loss_vs_n.png}: mean refined loss per n, error bars ± one standard deviation over
     * seeds.
     */
    public static Path refinedLossVsN(Path out, String experiment, List<RunRecord> records) throws IOException {
        List<RunRecord> ofExp = records.stream().filter(r -> r.experiment().equals(experiment)).toList();
        XYChart chart = chart(PaperTable2.label(experiment) + ": refined loss L/n against n (mean ± std over seeds)",
                "n (problems)", "mean refined loss L/n");
        // x is log2 n, labelled with n itself: XChart's log axis only has decade ticks
        chart.setCustomXAxisTickLabelsFormatter(Figures::problemCountLabel);
        boolean allPositive = true;
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (String method : methods(ofExp)) {
            // a diverged run or one with non-finite losses has no mean loss to draw
            Map<Integer, List<Double>> byN = ofExp.stream()
                    .filter(r -> r.methods().containsKey(method)
                    && Double.isFinite(r.methods().get(method).meanLossRefined()))
                    .collect(Collectors.groupingBy(RunRecord::n, TreeMap::new,
                            Collectors.mapping(r -> r.methods().get(method).meanLossRefined(), Collectors.toList())));
            if (byN.isEmpty()) continue;
            double[] x = new double[byN.size()], y = new double[byN.size()], err = new double[byN.size()];
            int i = 0;
            for (var e : byN.entrySet()) {
                x[i] = Math.log(e.getKey()) / Math.log(2);
                double[] seeds = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                y[i] = StatUtils.mean(seeds);
                err[i] = seeds.length < 2 ? 0 : new StandardDeviation().evaluate(seeds);
                allPositive &= y[i] - err[i] > 0;
                lo = Math.min(lo, y[i] - err[i]);
                hi = Math.max(hi, y[i] + err[i]);
                i++;
            }
            chart.addSeries(method, x, y, err);
        }
        if (chart.getSeriesMap().isEmpty()) return null;
        // a log y axis is clearer, but XChart refuses error bars that reach zero on it
        if (allPositive && Double.isFinite(hi)) LogAxis.of(lo, hi).applyToY(chart.getStyler());
        return save(chart, out.resolve(experiment + "_refined_loss_vs_n.png"));
    }

    /**
     * The label of x = log2 n on the loss-against-n axis: n where 2^x is a whole number (as at
     * every problem count run), else nothing, so that ticks between problem counts stay unlabelled.
     */
    static String problemCountLabel(double log2n) {
        double n = Math.pow(2, log2n);
        long rounded = Math.round(n);
        return rounded >= 1 && Math.abs(n - rounded) <= 1e-9 * n ? Long.toString(rounded) : "";
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        // below the plot, so the legend never hides data
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        return chart;
    }

    private static List<String> methods(List<RunRecord> records) {
        return records.stream().flatMap(r -> r.methods().keySet().stream()).distinct().toList();
    }

    /** Mean over problems of each row of a [iterations, n] curve. */
    static double[] meanPerIteration(NpyArray curve) {
        int[] shape = curve.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("loss curve must be [iterations, n], got rank " + shape.length);
        }
        double[] data = curve.data(), mean = new double[shape[0]];
        for (int i = 0; i < shape[0]; i++) {
            double s = 0;
            for (int j = 0; j < shape[1]; j++) s += data[i * shape[1] + j];
            mean[i] = s / shape[1];
        }
        return mean;
    }

    /** Mean of curves of different lengths, each continued at its last value up to the longest. */
    static double[] meanPadded(List<double[]> curves) {
        int len = curves.stream().mapToInt(c -> c.length).max().orElse(0);
        double[] mean = new double[len];
        for (double[] c : curves) {
            for (int i = 0; i < len; i++) mean[i] += (c.length == 0 ? Double.NaN
                    : c[Math.min(i, c.length - 1)]) / curves.size();
        }
        return mean;
    }


    /** Drawn beside and renamed, so an interrupted report never leaves a half-written image. */
    static Path save(Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (var stream = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, stream, BitmapEncoder.BitmapFormat.PNG);
            }
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
