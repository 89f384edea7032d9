package io.lopq.spark.eval;

import io.lopq.io.vectors.FvecsWriter;
import io.lopq.format.vectors.SyntheticCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/** Small generated inputs for the eval and ground-truth tests. */
public final class EvalTesting {
  private EvalTesting() {}

  /** {@code n} rows of a synthetic corpus starting at {@code first}, row-major. */
  public static float[] corpus(int dimension, long seed, long first, int n) {
    return new SyntheticCorpus(dimension, 5, seed).rows(first, n);
  }

  /** Writes row-major vectors as .fvecs and returns the path as a URI string. */
  public static String writeFvecs(Path file, float[] rows, int dimension) {
    List<float[]> list = new ArrayList<>();
    for (int r = 0; r < rows.length / dimension; r++) {
      list.add(Arrays.copyOfRange(rows, r * dimension, (r + 1) * dimension));
    }
    String uri = file.toUri().toString();
    FvecsWriter.writeFvecs(uri, new Configuration(), list);
    return uri;
  }

  /** Writes int rows as .ivecs and returns the path as a URI string. */
  public static String writeIvecs(Path file, int[][] rows) {
    String uri = file.toUri().toString();
    FvecsWriter.writeIvecs(uri, new Configuration(), Arrays.asList(rows));
    return uri;
  }

  /**
   * Writes results as CSV with the standard header: {@code neighbors[q]} are query q's returned
   * ids in rank order (distance = rank, which eval ignores).
   */
  public static String writeResultsCsv(Path file, long[] queryIds, long[][] neighbors) throws IOException {
    StringBuilder sb = new StringBuilder("query_id,rank,neighbor_id,distance\n");
    for (int q = 0; q < queryIds.length; q++) {
      for (int r = 0; r < neighbors[q].length; r++) {
        sb.append(String.format(Locale.ROOT, "%d,%d,%d,%.3f%n", queryIds[q], r + 1, neighbors[q][r], (double) r + 1));
      }
    }
    Files.writeString(file, sb.toString());
    return file.toUri().toString();
  }
}
