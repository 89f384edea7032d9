package io.lopq.spark.eval;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.vectors.IvecsReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Ground truth read from a TEXMEX {@code .ivecs} file: row q holds the base ids of the exact
 * nearest neighbours of the query with id q, nearest first. The file (queries x neighbours ints,
 * a few MB for usual benchmarks) is read on the driver and handed to Spark as a pair RDD.
 */
public final class IvecsGroundTruth {
  /** Bytes of neighbour ids per slice of the parallelized ground truth. */
  static final long SLICE_BYTES = 512 * 1024;

  private final String path;
  private final JavaPairRDD<Long, long[]> ids;
  private final long queries;
  private final int depth;

  private IvecsGroundTruth(String path, JavaPairRDD<Long, long[]> ids, long queries, int depth) {
    this.path = path;
    this.ids = ids;
    this.queries = queries;
    this.depth = depth;
  }

  /**
   * Reads {@code path}.
   *
   * @param minDepth the fewest neighbours every row must hold (the k of k-recall@k)
   * @throws InvalidInputException if the file is missing, truncated, has no rows, a row with
   *     fewer than {@code minDepth} ids, or a negative id
   */
  public static IvecsGroundTruth read(SparkSession spark, String path, int minDepth) {
    List<int[]> rows = IvecsReader.readAll(path, spark.sparkContext().hadoopConfiguration());
    if (rows.isEmpty()) {
      throw new InvalidInputException("ground truth " + path + " has no rows");
    }
    int depth = Integer.MAX_VALUE;
    List<Tuple2<Long, long[]>> pairs = new ArrayList<>(rows.size());
    for (int q = 0; q < rows.size(); q++) {
      int[] row = rows.get(q);
      if (row.length < Math.max(1, minDepth)) {
        throw new InvalidInputException("ground truth " + path + ": row " + q + " has " + row.length
            + " neighbours, but k-recall@" + minDepth + " needs at least " + Math.max(1, minDepth));
      }
      long[] ids = new long[row.length];
      for (int i = 0; i < row.length; i++) {
        if (row[i] < 0) {
          throw new InvalidInputException("ground truth " + path + ": row " + q + " has a negative base id "
              + row[i] + " at position " + i);
        }
        ids[i] = row[i];
      }
      depth = Math.min(depth, row.length);
      pairs.add(new Tuple2<>((long) q, ids));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // Enough slices that no task carries more than about SLICE_BYTES of ids (Spark warns above ~1 MB).
    long bytes = (long) rows.size() * (depth == Integer.MAX_VALUE ? 0 : depth) * Long.BYTES;
    int slices = (int) Math.max(jsc.defaultParallelism(), Math.min(rows.size(), (bytes + SLICE_BYTES - 1) / SLICE_BYTES));
    JavaPairRDD<Long, long[]> rdd = jsc.parallelizePairs(pairs, slices);
    return new IvecsGroundTruth(path, rdd, rows.size(), depth);
  }

  public String path() {
    return path;
  }

  /** Query id (the row number) to its true neighbour ids, nearest first. */
  public JavaPairRDD<Long, long[]> ids() {
    return ids;
  }

  /** Rows, i.e. queries. */
  public long queries() {
    return queries;
  }

  /** The fewest neighbours of any row. */
  public int depth() {
    return depth;
  }
}
