package io.lopq.spark.train;

import io.lopq.math.KMeans;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.VectorBlock;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * Lloyd iterations of the coarse k-means of both halves at once, distributed, with the
 * point-to-centroid distances of each block computed as one matrix product ({@link KMeans#reassign}):
 *
 * <pre>
 *   per iteration, one Spark job:
 *     task:   a = argmin_c ||x_h - C_h[c]||^2 per row (sgemm per block), then per cluster
 *             n_c, s_c = sum of its rows (double), and the total squared distance
 *     driver: sums added in partition order (deterministic), C_h[c] = s_c / n_c;
 *             an empty cluster keeps its centroid (as Spark MLlib's k-means does)
 *   stop after `iterations` or when the distortion falls by less than `tolerance` (relative)
 * </pre>
 *
 * Each task returns {@code 2 V D/2} doubles, so the driver holds at most that per partition of
 * the (coalesced) training sample, independent of the number of rows.
 */
final class LloydStep {
  private LloydStep() {}

  /** The centroids after the iterations, and the distortion (mean squared distance) before each update. */
  static final class Result {
    final float[][] centroids;
    final double[] distortions;

    Result(float[][] centroids, double[] distortions) {
      this.centroids = centroids;
      this.distortions = distortions;
    }
  }

  /** One partition's per-cluster counts and sums for both halves, and its squared distances. */
  static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    final long[][] counts;
    final double[][] sums;
    final double[] squaredDistances;

    Partial(int clusters, int half) {
      counts = new long[LopqModel.HALVES][clusters];
      sums = new double[LopqModel.HALVES][clusters * half];
      squaredDistances = new double[LopqModel.HALVES];
    }
  }

  static Result iterate(JavaSparkContext jsc, JavaRDD<VectorBlock> sample, long rows, float[][] start,
      int clusters, int half, int iterations, double tolerance, StepLog log) {
    float[][] centroids = {start[0].clone(), start[1].clone()};
    double[] history = new double[iterations];
    int done = 0;
    for (int it = 0; it < iterations; it++) {
      Broadcast<float[][]> broadcast = jsc.broadcast(centroids);
      List<Partial> partials;
      try {
        partials = sample.mapPartitions(new Assign(broadcast, clusters, half)).collect();
      } finally {
        broadcast.destroy();
      }
      long[][] counts = new long[LopqModel.HALVES][clusters];
      double[][] sums = new double[LopqModel.HALVES][clusters * half];
      double total = 0;
      for (Partial p : partials) {
        for (int h = 0; h < LopqModel.HALVES; h++) {
          total += p.squaredDistances[h];
          for (int c = 0; c < clusters; c++) {
            counts[h][c] += p.counts[h][c];
          }
          for (int t = 0; t < sums[h].length; t++) {
            sums[h][t] += p.sums[h][t];
          }
        }
      }
      double distortion = total / rows;
      history[done++] = distortion;
      log.progress("coarse", "Lloyd iteration " + done + "/" + iterations + " (both halves): distortion on the sample "
          + distortion);
      float[][] next = {centroids[0].clone(), centroids[1].clone()};
      for (int h = 0; h < LopqModel.HALVES; h++) {
        for (int c = 0; c < clusters; c++) {
          if (counts[h][c] > 0) {
            for (int j = 0; j < half; j++) {
              next[h][c * half + j] = (float) (sums[h][c * half + j] / counts[h][c]);
            }
          }
        }
      }
      centroids = next;
      if (done > 1) {
        double previous = history[done - 2];
        if (previous == 0 || (previous - distortion) / previous < tolerance) {
          break;
        }
      }
    }
    return new Result(centroids, Arrays.copyOf(history, done));
  }

  /** Assigns a partition's rows and sums them per cluster. */
  private static final class Assign implements FlatMapFunction<Iterator<VectorBlock>, Partial> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[][]> centroids;
    private final int clusters;
    private final int half;

    Assign(Broadcast<float[][]> centroids, int clusters, int half) {
      this.centroids = centroids;
      this.clusters = clusters;
      this.half = half;
    }

    @Override
    public Iterator<Partial> call(Iterator<VectorBlock> blocks) {
      float[][] c = centroids.value();
      Partial partial = new Partial(clusters, half);
      while (blocks.hasNext()) {
        VectorBlock block = blocks.next();
        int n = block.size();
        int[] assignments = new int[n];
        for (int h = 0; h < LopqModel.HALVES; h++) {
          float[] rows = block.half(h);
          Arrays.fill(assignments, -1);
          partial.squaredDistances[h] += KMeans.reassign(c[h], clusters, rows, n, half, assignments, null);
          long[] counts = partial.counts[h];
          double[] sums = partial.sums[h];
          for (int i = 0; i < n; i++) {
            int a = assignments[i];
            counts[a]++;
            int base = a * half;
            int row = i * half;
            for (int j = 0; j < half; j++) {
              sums[base + j] += rows[row + j];
            }
          }
        }
      }
      return List.of(partial).iterator();
    }
  }
}
