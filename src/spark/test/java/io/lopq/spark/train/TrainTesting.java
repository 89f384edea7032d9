package io.lopq.spark.train;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.format.vectors.SyntheticCorpus;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.SharedSpark;
import io.lopq.spark.common.VectorBlock;
import io.lopq.train.TrainingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/** Shared bits of the distributed training tests: data, blocks, exact distortion. */
public final class TrainTesting {
  public static final int DIMENSION = 16;
  public static final int ROWS = 3000;
  public static final int PARTITIONS = 4;
  public static final int BLOCK_ROWS = 256;

  private TrainTesting() {}

  /** Clustered synthetic rows, row-major. */
  public static float[] corpus(int rows, long seed) {
    return new SyntheticCorpus(DIMENSION, 8, seed).rows(0, rows);
  }

  /** The rows as blocks with their row numbers as ids, in a few partitions. */
  public static JavaRDD<VectorBlock> blocks(float[] data, int rows, int dimension) {
    List<VectorBlock> blocks = new ArrayList<>();
    for (int start = 0; start < rows; start += BLOCK_ROWS) {
      int n = Math.min(BLOCK_ROWS, rows - start);
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = start + i;
      }
      blocks.add(new VectorBlock(ids, Arrays.copyOfRange(data, start * dimension, (start + n) * dimension), dimension));
    }
    return JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext()).parallelize(blocks, PARTITIONS);
  }

  /** Small, fast parameters: V=4, M=4, K=16, few iterations. */
  public static TrainingParams.Builder smallParams(long seed) {
    return TrainingParams.builder(4, 4).subquantizerClusters(16).coarseIterations(10).subquantizerIterations(10)
        .seed(seed);
  }

  /** Mean squared reconstruction error of {@code model} on every row. */
  public static double distortion(LopqModel model, float[] data, int rows) {
    BatchEncoder encoder = new BatchEncoder(model);
    EncodedBatch codes = encoder.encode(data, rows);
    float[] decoded = encoder.decode(codes);
    double sum = 0;
    for (int t = 0; t < rows * model.dimension(); t++) {
      double diff = (double) data[t] - decoded[t];
      sum += diff * diff;
    }
    return sum / rows;
  }
}
