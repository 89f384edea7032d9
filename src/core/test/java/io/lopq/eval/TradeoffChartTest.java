package io.lopq.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradeoffChartTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @Test
  void writesPngCharts(@TempDir Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<SweepPoint> points = List.of(
        new SweepPoint(1000, 1100, 900, 0.3, 0.7, 0.9, 0.6),
        new SweepPoint(4000, 4200, 400, 0.4, 0.9, 0.99, 0.8, 0.995));
    File candidates = dir.resolve("recall-vs-candidates.png").toFile();
    File throughput = dir.resolve("recall-vs-qps.png").toFile();
    TradeoffChart.writeRecallVsCandidates(points, 10, candidates);
    TradeoffChart.writeRecallVsThroughput(points, 10, throughput);
    for (File f : List.of(candidates, throughput)) {
      byte[] bytes = Files.readAllBytes(f.toPath());
      assertTrue(bytes.length > 1000, f + " is too small to hold a chart");
      assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), f + " is not a PNG");
    }
  }
}
