package io.lopq.spark.eval;

import io.lopq.io.fs.AtomicCommit;
import io.lopq.io.vectors.FvecsWriter;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * The exact neighbours {@link GroundTruthJob} computed: per query id, the {@link #depth()} nearest
 * base ids with their squared L2 distances, as a cached Spark pair RDD, plus the sizes involved.
 * {@link #saveIvecs} writes it in the TEXMEX {@code .ivecs} layout for reuse.
 */
public final class GroundTruth {
  private final JavaPairRDD<Long, NeighborList> neighbors;
  private final long queries;
  private final long baseRows;
  private final int depth;
  private final int dimension;
  private final double seconds;

  GroundTruth(JavaPairRDD<Long, NeighborList> neighbors, long queries, long baseRows, int depth, int dimension,
      double seconds) {
    this.neighbors = neighbors;
    this.queries = queries;
    this.baseRows = baseRows;
    this.depth = depth;
    this.dimension = dimension;
    this.seconds = seconds;
  }

  /** Query id to its nearest base vectors, nearest first (cached). */
  public JavaPairRDD<Long, NeighborList> neighbors() {
    return neighbors;
  }

  /** Query id to its nearest base ids, nearest first. */
  public JavaPairRDD<Long, long[]> ids() {
    return neighbors.mapValues(NeighborList::ids);
  }

  /** All neighbour lists on the driver (small inputs and tests only). */
  public Map<Long, NeighborList> collect() {
    return neighbors.collectAsMap();
  }

  /** Number of queries. */
  public long queries() {
    return queries;
  }

  /** Number of base vectors searched. */
  public long baseRows() {
    return baseRows;
  }

  /** Neighbours per query (k). */
  public int depth() {
    return depth;
  }

  /** D. */
  public int dimension() {
    return dimension;
  }

  /** Wall time of the computation, in seconds. */
  public double seconds() {
    return seconds;
  }

  /**
   * Writes the neighbour ids as {@code .ivecs}: row q holds the ids of query q, nearest first.
   * Written to a hidden sibling and renamed into place ({@link AtomicCommit}); rows stream from
   * the executors in query order, so the driver never holds them all.
   *
   * @throws IllegalArgumentException if the query ids are not exactly 0..queries-1 (an .ivecs row
   *     number is its query's id) or a base id does not fit in an int
   * @throws org.apache.hadoop.fs.FileAlreadyExistsException if the path exists and
   *     {@code overwrite} is false
   */
  public void saveIvecs(String path, boolean overwrite, Configuration conf) throws IOException {
    Path target = new Path(path);
    FileSystem fs = target.getFileSystem(conf);
    if (!overwrite && fs.exists(target)) {
      throw new org.apache.hadoop.fs.FileAlreadyExistsException(
          "ground truth output " + path + " already exists (use --overwrite to replace it)");
    }
    requireRowNumberIds();
    AtomicCommit.commit(fs, target, overwrite, FILES_ONLY, (f, temporary) -> {
      try (FvecsWriter writer = FvecsWriter.ivecs(temporary.toString(), conf)) {
        Iterator<Tuple2<Long, NeighborList>> rows = neighbors.sortByKey().toLocalIterator();
        while (rows.hasNext()) {
          Tuple2<Long, NeighborList> row = rows.next();
          writer.write(toInts(row._1(), row._2().ids()));
        }
      }
    });
  }

  /** Lets only a file (never a folder) be replaced by a ground-truth file. */
  static final AtomicCommit.ReplaceGuard FILES_ONLY = (fs, existing) -> {
    if (!existing.isFile()) {
      throw new IOException("refusing to replace " + existing.getPath() + " with a ground-truth file: it is a folder");
    }
  };

  private void requireRowNumberIds() {
    if (queries == 0) {
      return;
    }
    long min = neighbors.keys().reduce(Math::min);
    long max = neighbors.keys().reduce(Math::max);
    if (min != 0 || max != queries - 1) {
      throw new IllegalArgumentException("cannot write .ivecs ground truth: its row q is the query with id q, so the "
          + queries + " query ids must be 0.." + (queries - 1) + ", got ids from " + min + " to " + max);
    }
  }

  private static int[] toInts(long query, long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("cannot write .ivecs ground truth: base id " + ids[i] + " (a neighbour of "
            + "query " + query + ") does not fit in a non-negative int");
      }
      out[i] = (int) ids[i];
    }
    return out;
  }

  /** Frees the cached neighbour lists. */
  public void release() {
    neighbors.unpersist(false);
  }
}
