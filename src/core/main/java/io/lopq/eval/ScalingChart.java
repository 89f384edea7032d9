package io.lopq.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws how a measure grows with the data size as a PNG chart (with JFreeChart, like
 * {@link TradeoffChart}): one line per series (e.g. one per pipeline step), the size on a
 * logarithmic x axis and the measure on a logarithmic or linear y axis. On log-log axes a step
 * whose cost is linear in N is a line of slope 1; a flat line is a cost independent of N.
 */
public final class ScalingChart {
  /** Width of the written images in pixels. */
  public static final int WIDTH = TradeoffChart.WIDTH;
  /** Height of the written images in pixels. */
  public static final int HEIGHT = TradeoffChart.HEIGHT;
  private static final float LINE_WIDTH = 2f;

  private ScalingChart() {}

  /** One point of a series: the size and the measure at it. */
  public record Point(double size, double value) {}

  /**
   * Writes the chart.
   *
   * @param series name to its points (in the map's order); points with a non-positive coordinate are left out on log axes
   * @param logY a logarithmic y axis (else linear from 0)
   */
  public static void write(String title, String xLabel, String yLabel, Map<String, List<Point>> series, boolean logY,
      File png) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach((name, points) -> {
      XYSeries line = new XYSeries(name, true);
      for (Point p : points) {
        if (p.size() > 0 && (!logY || p.value() > 0)) {
          line.add(p.size(), p.value());
        }
      }
      data.addSeries(line);
    });
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
        false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    LogarithmicAxis x = new LogarithmicAxis(xLabel);
    x.setAllowNegativesFlag(false);
    plot.setDomainAxis(x);
    if (logY) {
      LogarithmicAxis y = new LogarithmicAxis(yLabel);
      y.setAllowNegativesFlag(false);
      plot.setRangeAxis(y);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      renderer.setSeriesStroke(s, new BasicStroke(LINE_WIDTH));
    }
    plot.setRenderer(renderer);
    ChartUtils.saveChartAsPNG(png, chart, WIDTH, HEIGHT);
  }
}
