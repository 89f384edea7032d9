package io.lopq.spark.common;

import java.io.Serializable;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;

/**
 * Merges an RDD's partitions into contiguous ranges of about equal count, whatever their locations:
 *
 * <pre>
 *   P parent partitions into G = min(n, P) groups:   group g = partitions [floor(g P / G), floor((g + 1) P / G))
 * </pre>
 *
 * Spark's own {@code coalesce} groups by preferred location when the parent has any (a cached parent
 * always has), and which partitions share a group then depends on where and whether blocks were
 * cached: the same sample came out as groups [0, 1] [2, 3] or [0, 2] [1, 3] in two runs of one test.
 * Whatever sums or seeds per merged partition (k-means on the training sample, the moments of
 * the rotation step) would then differ between runs with the same seed; contiguous groups make them
 * depend on the input's partitioning only.
 */
public final class ContiguousCoalescer implements PartitionCoalescer, Serializable {
  private static final long serialVersionUID = 1L;

  /** {@code rdd} with its partitions merged into at most {@code partitions} contiguous groups (no shuffle). */
  public static <T> JavaRDD<T> coalesce(JavaRDD<T> rdd, int partitions) {
    if (partitions >= rdd.getNumPartitions()) {
      return rdd;
    }
    RDD<T> merged = rdd.rdd().coalesce(partitions, false, Option.apply(new ContiguousCoalescer()), null);
    return new JavaRDD<>(merged, rdd.classTag());
  }

  @Override
  public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
    Partition[] parts = parent.partitions();
    int groups = Math.max(1, Math.min(maxPartitions, parts.length));
    PartitionGroup[] out = new PartitionGroup[groups];
    for (int g = 0; g < groups; g++) {
      out[g] = new PartitionGroup(Option.empty());
      int from = (int) ((long) g * parts.length / groups);
      int to = (int) ((long) (g + 1) * parts.length / groups);
      for (int i = from; i < to; i++) {
        out[g].partitions().addOne(parts[i]);
      }
    }
    return out;
  }
}
