package io.lopq.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.List;
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
 * Draws the recall trade-off of a candidate sweep as PNG charts (with JFreeChart): recall against
 * the number of candidates ranked, and recall against queries per second. People read a curve
 * faster than a table.
 */
public final class TradeoffChart {
  /** Width of the written images in pixels. */
  public static final int WIDTH = 900;
  /** Height of the written images in pixels. */
  public static final int HEIGHT = 600;
  private static final float LINE_WIDTH = 2f;
  private static final float[] DASH = {8f, 6f};
  /** Name of the series of the share of queries whose nearest neighbour is among the candidates. */
  static final String COVERAGE_SERIES = "NN among candidates";

  private TradeoffChart() {}

  /**
   * Writes recall (R@1, R@10, R@100, k-recall@k, and the share of queries whose nearest neighbour
   * is among the candidates when measured) against mean candidates ranked per query.
   */
  public static void writeRecallVsCandidates(List<SweepPoint> points, int k, File png) throws IOException {
    XYSeriesCollection data = series(points, k, true);
    JFreeChart chart = ChartFactory.createXYLineChart(
        "Recall vs candidates ranked per query", "candidates ranked per query (log scale)", "recall",
        data, PlotOrientation.VERTICAL, true, false, false);
    style(chart, true);
    ChartUtils.saveChartAsPNG(png, chart, WIDTH, HEIGHT);
  }

  /** Writes recall (R@1, R@10, R@100, k-recall@k, NN among candidates when measured) against queries per second. */
  public static void writeRecallVsThroughput(List<SweepPoint> points, int k, File png) throws IOException {
    XYSeriesCollection data = series(points, k, false);
    JFreeChart chart = ChartFactory.createXYLineChart(
        "Recall vs queries per second", "queries per second (log scale)", "recall",
        data, PlotOrientation.VERTICAL, true, false, false);
    style(chart, true);
    ChartUtils.saveChartAsPNG(png, chart, WIDTH, HEIGHT);
  }

  private static XYSeriesCollection series(List<SweepPoint> points, int k, boolean byCandidates) {
    XYSeries r1 = new XYSeries("Recall@1", false);
    XYSeries r10 = new XYSeries("Recall@10", false);
    XYSeries r100 = new XYSeries("Recall@100", false);
    XYSeries kk = new XYSeries(k + "-recall@" + k, false);
    XYSeries among = new XYSeries(COVERAGE_SERIES, false);
    for (SweepPoint p : points) {
      double x = byCandidates ? p.meanCandidatesRanked() : p.queriesPerSecond();
      if (!(x > 0)) {
        continue;
      }
      r1.add(x, p.recallAt1());
      r10.add(x, p.recallAt10());
      r100.add(x, p.recallAt100());
      kk.add(x, p.kRecallAtK());
      if (!Double.isNaN(p.nearestAmongCandidates())) {
        among.add(x, p.nearestAmongCandidates());
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(r1);
    data.addSeries(r10);
    data.addSeries(r100);
    data.addSeries(kk);
    if (among.getItemCount() > 0) {
      data.addSeries(among);
    }
    return data;
  }

  private static void style(JFreeChart chart, boolean logX) {
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    if (logX) {
      LogarithmicAxis axis = new LogarithmicAxis(plot.getDomainAxis().getLabel());
      axis.setAllowNegativesFlag(false);
      plot.setDomainAxis(axis);
    }
    plot.getRangeAxis().setRange(0.0, 1.0);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < plot.getDataset().getSeriesCount(); s++) {
      boolean coverage = COVERAGE_SERIES.equals(plot.getDataset().getSeriesKey(s));
      // Dashed, so that it stays visible where it lies on Recall@100.
      renderer.setSeriesStroke(s, coverage ? new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
          10f, DASH, 0f) : new BasicStroke(LINE_WIDTH));
    }
    plot.setRenderer(renderer);
  }
}
