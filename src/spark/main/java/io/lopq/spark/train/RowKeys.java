package io.lopq.spark.train;

import io.lopq.math.Seeds;
import io.lopq.spark.common.VectorBlock;
import java.nio.charset.StandardCharsets;

/**
 * Sampling keys for rows, and the seeded sampling decision made from them, so that which rows a
 * training step samples depends only on the rows' ids and the seed, never on how the input is
 * partitioned or in which order tasks run.
 *
 * <pre>
 *   key(id)                  = derive(KEY_SEED, id)                (long id)
 *                            = derive(KEY_SEED, fnv1a64(utf8(id)))  (string id)
 *   sampled(key, s, f)       = u &lt; f,  u = top 53 bits of derive(s, key) / 2^53   (uniform in [0, 1))
 * </pre>
 *
 * where {@code derive} is {@link Seeds#derive(long, long)} (SplitMix64 mixing) and {@code s} is a
 * per-purpose stream seed derived from the training seed. The trainer's blocks carry each row's key
 * as its long id ({@link #keyed}): keys are computed once, and cached blocks hold no string ids.
 */
public final class RowKeys {
  /** Any fixed odd constant: keys must not depend on the training seed (it enters at sampling). */
  private static final long KEY_SEED = 0x5DEECE66DL;
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final int UNIFORM_BITS = 53;
  private static final double UNIFORM_SCALE = 0x1.0p-53;

  private RowKeys() {}

  /** The key of a row with a long id. */
  public static long ofLong(long id) {
    return Seeds.derive(KEY_SEED, id);
  }

  /** The key of a row with a string id. */
  public static long ofString(String id) {
    long hash = FNV_OFFSET;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return Seeds.derive(KEY_SEED, hash);
  }

  /** The key of an id that is a {@link Number} (as a long) or anything else (by its string form). */
  public static long of(Object id) {
    if (id instanceof Number number) {
      return ofLong(number.longValue());
    }
    return ofString(String.valueOf(id));
  }

  /**
   * Whether the row with {@code key} is in the sample of {@code fraction} of all rows drawn with
   * {@code streamSeed}: true for every row when {@code fraction >= 1}, none when {@code <= 0}.
   */
  public static boolean sampled(long key, long streamSeed, double fraction) {
    if (fraction >= 1) {
      return true;
    }
    return uniform(key, streamSeed) < fraction;
  }

  /** The row's uniform draw in [0, 1) for a stream. */
  static double uniform(long key, long streamSeed) {
    return (Seeds.derive(streamSeed, key) >>> (Long.SIZE - UNIFORM_BITS)) * UNIFORM_SCALE;
  }

  /** {@code block} with each row's key as its long id (the block itself keeps its ids). */
  public static VectorBlock keyed(VectorBlock block) {
    long[] keys = new long[block.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = block.hasStringIds() ? ofString(block.stringId(i)) : ofLong(block.id(i));
    }
    return block.withIds(keys);
  }

  /**
   * The rows of a {@link #keyed} block that {@link #sampled sampling} keeps for {@code streamSeed}
   * and {@code fraction}, as a new block (the block itself when all are kept).
   */
  public static VectorBlock sample(VectorBlock keyed, long streamSeed, double fraction) {
    if (fraction >= 1) {
      return keyed;
    }
    int size = keyed.size();
    int[] kept = new int[size];
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (sampled(keyed.id(i), streamSeed, fraction)) {
        kept[count++] = i;
      }
    }
    return count == size ? keyed : keyed.select(kept, count);
  }
}
