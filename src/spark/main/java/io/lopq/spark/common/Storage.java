package io.lopq.spark.common;

import org.apache.spark.storage.StorageLevel;

/**
 * How the jobs cache what grows with the number of rows (vectors, samples, codes, the cartesian
 * ground truth's base blocks): {@link #SPILLABLE}, serialized in memory and on disk.
 *
 * <p>Why serialized: Spark accounts a serialized block by its exact byte count, while a
 * deserialized one is measured by {@code SizeEstimator} and lives on the heap as Java objects. A
 * {@link VectorBlock} of 4096 rows at D = 128 is one 2 MiB float array plus a header: with G1's
 * 2 MiB regions (heaps of 4-8 GB) it is a humongous object that takes two regions, so the cached
 * input really used twice what Spark counted, and a 4 GB heap ran out of memory caching a 5 GB
 * input that Spark believed it was spilling. Serialized blocks are held in chunks of
 * {@code spark.storage.unrollMemoryThreshold} bytes, which {@link Sessions} keeps below half of
 * G1's smallest region ({@link Sessions#UNROLL_MEMORY_THRESHOLD}), so they are ordinary objects.
 * What does not fit in storage memory goes to disk ({@code spark.local.dir}); reading a block
 * back deserializes it one block at a time.
 */
public final class Storage {
  /** Serialized, in memory while it fits and on disk beyond: exact accounting, spills instead of failing. */
  public static final StorageLevel SPILLABLE = StorageLevel.MEMORY_AND_DISK_SER();

  /**
   * On local disk only ({@code spark.local.dir}), serialized: for what a job reads back a few times in
   * order and never needs in memory, so that a process's memory does not follow N (encode's codes:
   * holding 31M codes in storage memory made encode's RSS 2.6x that at 1M rows).
   */
  public static final StorageLevel ON_DISK = StorageLevel.DISK_ONLY();

  private Storage() {}
}
