package org.pthread4j.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * One PNG bar chart per benchmark class (one question), rendered with JFreeChart. A chart of
 * scores without error bars (a quick run) says so under its title.
 */
final class Charts {

    private Charts() {}

    private static final List<String> BASELINES = List.of("glibc", "javathread", "virtualthread", "clonetask",
            "rawupcall", "reentrantlock", "synchronized", "semaphore", "cyclicbarrier", "threadlocal", "ctls", "jnr", "ffm", "jni");

    static boolean isBaseline(String method) {
        String m = method.toLowerCase(java.util.Locale.ROOT);
        return BASELINES.stream().anyMatch(m::contains);
    }

    /** Writes the charts into {@code dir}; returns their file names. */
    static List<String> render(List<Ratios.Score> scores, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, DefaultCategoryDataset> byClass = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        Map<String, Boolean> withoutErrorBars = new LinkedHashMap<>();
        for (Ratios.Score s : scores) {
            int dot = s.name().lastIndexOf('.');
            String cls = dot < 0 ? s.name() : s.name().substring(0, dot);
            String method = dot < 0 ? s.name() : s.name().substring(dot + 1);
            // pthread4j's methods depend on the backend; the baselines are the same in every run
            boolean perBackend = !isBaseline(method);
            String row = perBackend ? method + " (" + s.backend() + ")" : method;
            DefaultCategoryDataset data = byClass.computeIfAbsent(cls, k -> new DefaultCategoryDataset());
            if (perBackend || data.getColumnIndex(row) < 0) {
                data.addValue(s.score(), "score", row);
            }
            units.put(cls, s.unit());
            withoutErrorBars.merge(cls, !s.hasErrorBar(), Boolean::logicalOr);
        }
        List<String> files = new ArrayList<>();
        for (var e : byClass.entrySet()) {
            JFreeChart chart = ChartFactory.createBarChart(e.getKey(), null, units.get(e.getKey()) + " (lower is better)",
                    e.getValue(), PlotOrientation.HORIZONTAL, false, false, false);
            chart.setBackgroundPaint(Color.WHITE);
            if (withoutErrorBars.get(e.getKey())) {
                chart.addSubtitle(new TextTitle("quick run: one iteration per benchmark, no error bars"));
            }
            CategoryPlot plot = chart.getCategoryPlot();
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            BarRenderer r = (BarRenderer) plot.getRenderer();
            r.setBarPainter(new StandardBarPainter());
            r.setSeriesPaint(0, new Color(0x4e79a7));
            String name = e.getKey() + ".png";
            int height = 120 + 28 * e.getValue().getColumnCount();
            ChartUtils.saveChartAsPNG(dir.resolve(name).toFile(), chart, 800, height);
            files.add(name);
        }
        return files;
    }
}
