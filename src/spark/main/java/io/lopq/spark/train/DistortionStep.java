package io.lopq.spark.train;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.spark.common.SerializableModel;
import io.lopq.spark.common.VectorBlock;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * Estimates the quantization distortion of a model on a seeded sample of the input rows, encoding
 * and decoding them with {@link BatchEncoder} in the executors:
 *
 * <pre>
 *   distortion ~ (1/|S|) sum over x in S of ||x - decode(encode(x))||^2,
 *   S = rows with sampled(key, derive(seed, 13), min(1, sampleRows / n))
 * </pre>
 *
 * Each partition returns its sum and count; the driver adds them in partition order, so the
 * estimate does not depend on the order tasks finish in.
 */
final class DistortionStep {
  private DistortionStep() {}

  /** The estimate: mean squared error and the number of rows it was measured on. */
  static final class Estimate {
    final double distortion;
    final long rows;

    Estimate(double distortion, long rows) {
      this.distortion = distortion;
      this.rows = rows;
    }
  }

  static Estimate estimate(JavaSparkContext jsc, JavaRDD<VectorBlock> blocks, long totalRows, SerializableModel model,
      int sampleRows, long seed) {
    double fraction = Math.min(1.0, sampleRows / (double) totalRows);
    Broadcast<SerializableModel> broadcast = jsc.broadcast(model);
    try {
      List<double[]> parts = blocks.mapPartitions(new ErrorSum(broadcast, Streams.distortionSample(seed), fraction))
          .collect();
      double sum = 0;
      long rows = 0;
      for (double[] part : parts) {
        sum += part[0];
        rows += (long) part[1];
      }
      return new Estimate(rows == 0 ? Double.NaN : sum / rows, rows);
    } finally {
      broadcast.destroy();
    }
  }

  /** One partition's sum of squared reconstruction errors and row count. */
  private static final class ErrorSum implements FlatMapFunction<Iterator<VectorBlock>, double[]> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<SerializableModel> model;
    private final long stream;
    private final double fraction;

    ErrorSum(Broadcast<SerializableModel> model, long stream, double fraction) {
      this.model = model;
      this.stream = stream;
      this.fraction = fraction;
    }

    @Override
    public Iterator<double[]> call(Iterator<VectorBlock> blocks) {
      BatchEncoder encoder = new BatchEncoder(model.value().model());
      double sum = 0;
      long rows = 0;
      EncodedBatch codes = null;
      float[] decoded = new float[0];
      while (blocks.hasNext()) {
        VectorBlock block = RowKeys.sample(blocks.next(), stream, fraction);
        int n = block.size();
        if (n == 0) {
          continue;
        }
        int d = block.dimension();
        codes = codes == null ? encoder.encode(block.vectors(), n) : encoder.encode(block.vectors(), n, codes);
        if (decoded.length < n * d) {
          decoded = new float[n * d];
        }
        encoder.decode(codes, 0, n, decoded);
        float[] x = block.vectors();
        for (int t = 0, end = n * d; t < end; t++) {
          double diff = (double) x[t] - decoded[t];
          sum += diff * diff;
        }
        rows += n;
      }
      return List.of(new double[] {sum, rows}).iterator();
    }
  }
}
