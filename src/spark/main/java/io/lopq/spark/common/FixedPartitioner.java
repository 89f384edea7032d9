package io.lopq.spark.common;

import org.apache.spark.Partitioner;

/**
 * A partitioner with a fixed number of partitions ({@code >= 1}), equal to another of the same
 * class and count: Spark then sees two RDDs partitioned by equal instances as co-partitioned.
 * Subclasses say only how a key maps to a partition.
 */
public abstract class FixedPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int partitions;

  /** {@code partitions} partitions. */
  protected FixedPartitioner(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    this.partitions = partitions;
  }

  @Override
  public final int numPartitions() {
    return partitions;
  }

  @Override
  public final boolean equals(Object other) {
    return other != null && other.getClass() == getClass() && ((FixedPartitioner) other).partitions == partitions;
  }

  @Override
  public final int hashCode() {
    return 31 * getClass().getName().hashCode() + partitions;
  }
}
