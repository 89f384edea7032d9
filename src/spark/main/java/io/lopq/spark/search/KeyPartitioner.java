package io.lopq.spark.search;

import org.apache.spark.Partitioner;

/**
 * A partitioner whose keys already are partition numbers (Integer in {@code [0, P)}): the bucket
 * of {@link BucketPlan} or the id shard of the re-ranking. Two RDDs partitioned by equal
 * instances line up partition by partition ({@code zipPartitions}).
 */
public final class KeyPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int partitions;

  /** {@code partitions} partitions. */
  public KeyPartitioner(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    int p = (Integer) key;
    if (p < 0 || p >= partitions) {
      throw new IllegalArgumentException("partition key " + p + " is outside [0, " + partitions + ")");
    }
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPartitioner other && other.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(partitions);
  }
}
