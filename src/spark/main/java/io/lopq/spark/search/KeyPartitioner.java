package io.lopq.spark.search;

import io.lopq.spark.common.FixedPartitioner;

/**
 * A partitioner whose keys already are partition numbers (Integer in {@code [0, P)}): the bucket
 * of {@link BucketPlan} or the id shard of the re-ranking. Two RDDs partitioned by equal
 * instances line up partition by partition ({@code zipPartitions}).
 */
public final class KeyPartitioner extends FixedPartitioner {
  private static final long serialVersionUID = 1L;

  /** {@code partitions} partitions. */
  public KeyPartitioner(int partitions) {
    super(partitions);
  }

  @Override
  public int getPartition(Object key) {
    int p = (Integer) key;
    if (p < 0 || p >= numPartitions()) {
      throw new IllegalArgumentException("partition key " + p + " is outside [0, " + numPartitions() + ")");
    }
    return p;
  }
}
