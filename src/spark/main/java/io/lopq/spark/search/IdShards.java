package io.lopq.spark.search;

import io.lopq.spark.common.VectorBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongToIntFunction;
import org.apache.spark.api.java.JavaRDD;

/**
 * Which shard of the raw vectors holds an id, for re-ranking.
 *
 * <ul>
 *   <li><b>By range</b>: when the raw input's partitions hold disjoint id ranges (row-numbered
 *       fvecs/bvecs/CSV, or Parquet sorted by id), shard = the input partition whose range holds
 *       the id, and the raw vectors are used where they were read, without a shuffle.
 *   <li><b>By hash</b> otherwise: shard = mix(id) mod n, and the raw vectors are shuffled there.
 * </ul>
 */
public final class IdShards implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int shards;
  /** Range mode: lowest id of each non-empty partition, ascending; null in hash mode. */
  private final long[] lows;
  /** Range mode: the partition of each entry of {@code lows}. */
  private final int[] partitions;

  private IdShards(int shards, long[] lows, int[] partitions) {
    this.shards = shards;
    this.lows = lows;
    this.partitions = partitions;
  }

  /** {@code n} shards by hash. */
  public static IdShards hashed(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("shards must be >= 1, got " + n);
    }
    return new IdShards(n, null, null);
  }

  /**
   * Shards by the partitions of {@code blocks} if their id ranges are disjoint, else by hash into
   * {@code hashShards.applyAsInt(rows)} shards. Runs one small job (min, max and rows per partition).
   */
  public static IdShards of(JavaRDD<VectorBlock> blocks, LongToIntFunction hashShards) {
    List<long[]> ranges = blocks.mapPartitionsWithIndex((index, it) -> {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      long count = 0;
      while (it.hasNext()) {
        for (long id : it.next().ids()) {
          min = Math.min(min, id);
          max = Math.max(max, id);
          count++;
        }
      }
      List<long[]> out = new ArrayList<>();
      if (count > 0) {
        out.add(new long[] {index, min, max, count});
      }
      return out.iterator();
    }, true).collect();
    long[][] sorted = ranges.toArray(new long[0][]);
    Arrays.sort(sorted, (a, b) -> Long.compare(a[1], b[1]));
    long rows = 0;
    boolean disjoint = sorted.length > 0;
    long[] lows = new long[sorted.length];
    int[] partitions = new int[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      rows += sorted[i][3];
      disjoint &= i == 0 || sorted[i][1] > sorted[i - 1][2];
      lows[i] = sorted[i][1];
      partitions[i] = (int) sorted[i][0];
    }
    return disjoint ? new IdShards(blocks.getNumPartitions(), lows, partitions) : hashed(hashShards.applyAsInt(rows));
  }

  /** True if shards are the input partitions (no shuffle of the raw vectors). */
  public boolean byInputPartition() {
    return lows != null;
  }

  /** Number of shards. */
  public int shards() {
    return shards;
  }

  /** The shard of {@code id}. */
  public int shardOf(long id) {
    if (lows == null) {
      return (int) Math.floorMod(BucketPlan.mix(id), (long) shards);
    }
    int i = Arrays.binarySearch(lows, id);
    if (i < 0) {
      i = Math.max(0, -i - 2);
    }
    return partitions[i];
  }
}
