package org.spiceoverlay.samples.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The benchmark's PNG: the lag distribution of every mode (share of frames shown within a lag), and
 * bars of bytes per second and of steady-state CPU per side, drawn with JFreeChart.
 *
 * <p>Headless; any thread.
 */
public final class BenchCharts {

    private static final int WIDTH = 1400;
    private static final int PANEL_HEIGHT = 420;

    private BenchCharts() {}

    static void write(Path file, String title, List<ModeResult> results) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection lags = new XYSeriesCollection();
        DefaultCategoryDataset wire = new DefaultCategoryDataset();
        DefaultCategoryDataset cpu = new DefaultCategoryDataset();
        for (ModeResult r : results) {
            String m = r.mode().label();
            double[] l = r.lagsMs();
            Arrays.sort(l);
            if (l.length > 0) {
                XYSeries s = new XYSeries(m);
                for (int i = 0; i < l.length; i++) {
                    s.add(Math.max(1, l[i]), 100.0 * (i + 1) / l.length);
                }
                lags.addSeries(s);
            }
            if (!Double.isNaN(r.mbitPerSecond())) {
                wire.addValue(r.mbitPerSecond(), "Mbit/s on the wire", m);
            }
            cpu.addValue(r.guestCpuSteady(), "guest", m);
            if (!Double.isNaN(r.clientCpuSteady())) {
                cpu.addValue(r.clientCpuSteady(), "client", m);
            }
        }
        JFreeChart lagChart = ChartFactory.createXYLineChart(
                title + ": lag on the client screen (sent at the player's " + "clock → first seen)",
                "lag, ms (log scale)",
                "% of frames shown within",
                lags,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        XYPlot plot = lagChart.getXYPlot();
        LogAxis axis = new LogAxis("lag, ms (log scale; below 1 ms drawn at 1)");
        axis.setTickUnit(new NumberTickUnit(1.0)); // one tick per power of ten
        axis.setNumberFormatOverride(new DecimalFormat("0"));
        axis.setMinorTickCount(9);
        axis.setMinorTickMarksVisible(true);
        plot.setDomainAxis(axis);
        whiteBackground(plot);
        JFreeChart wireChart = ChartFactory.createBarChart(
                "bytes on the wire, steady state",
                "mode",
                "Mbit/s",
                wire,
                PlotOrientation.VERTICAL,
                false,
                false,
                false);
        JFreeChart cpuChart = ChartFactory.createBarChart(
                "CPU in the steady state (s per steady window)",
                "mode",
                "CPU seconds",
                cpu,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        for (JFreeChart c : List.of(wireChart, cpuChart)) {
            CategoryPlot p = c.getCategoryPlot();
            whiteBackground(p);
            p.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
            p.getDomainAxis().setMaximumCategoryLabelWidthRatio(3f);
        }
        BufferedImage image = new BufferedImage(WIDTH, PANEL_HEIGHT * 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            lagChart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, PANEL_HEIGHT));
            wireChart.draw(g, new Rectangle2D.Double(0, PANEL_HEIGHT, WIDTH / 2.0, PANEL_HEIGHT));
            cpuChart.draw(g, new Rectangle2D.Double(WIDTH / 2.0, PANEL_HEIGHT, WIDTH / 2.0, PANEL_HEIGHT));
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void whiteBackground(Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
            xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
        } else if (plot instanceof CategoryPlot cat) {
            cat.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
    }
}
