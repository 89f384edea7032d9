package io.lopq.spark.common;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * {@code reduceByKey} whose merges run in a fixed order: the partials of a key are combined in the
 * order of the map partitions that produced them, whatever order the shuffle fetches them in.
 *
 * <pre>
 *   map partition p emits (k, v)    -&gt;  ((k &lt;&lt; 32) | p, v)
 *   shuffle: partition by k, sort by the packed key within each reduce partition
 *   reduce: one pass over the sorted run of each k:  ((v_p0 + v_p1) + v_p2) + ...
 * </pre>
 *
 * Spark's {@code reduceByKey} merges partials in the order their map outputs arrive, which on a
 * cluster depends on timing: sums of floating-point moments then differ in their last bits from
 * run to run, and a seeded training is not reproducible. Here the order depends only on the input's
 * partitioning. Memory on the reduce side: one partial at a time (the input is read sorted, spilled
 * by Spark's sorter if large), not all of a key's partials.
 */
public final class OrderedReduction {
  private static final int PARTITION_BITS = Integer.SIZE;
  private static final long PARTITION_MASK = (1L << PARTITION_BITS) - 1;

  private OrderedReduction() {}

  /**
   * One value per key of {@code partials}: its values merged in the order of their map partitions, in
   * {@code partitions} reduce partitions. Each map partition must emit a key at most once (combine
   * within the partition first, as the callers' accumulators do): two values of one key from one
   * partition have no defined order.
   */
  public static <V> JavaPairRDD<Integer, V> reduceByKey(JavaPairRDD<Integer, V> partials, int partitions,
      Function2<V, V, V> merge) {
    JavaPairRDD<Long, V> tagged = JavaPairRDD.fromJavaRDD(partials.mapPartitionsWithIndex((index, it) ->
        new Iterator<Tuple2<Long, V>>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Tuple2<Long, V> next() {
            Tuple2<Integer, V> kv = it.next();
            return new Tuple2<>(pack(kv._1(), index), kv._2());
          }
        }, false));
    return tagged.repartitionAndSortWithinPartitions(new ByKey(partitions))
        .mapPartitionsToPair(sorted -> new Runs<>(sorted, merge), true);
  }

  static long pack(int key, int partition) {
    return ((long) key << PARTITION_BITS) | (partition & PARTITION_MASK);
  }

  static int keyOf(long packed) {
    return (int) (packed >> PARTITION_BITS);
  }

  /** Partitions packed keys by their key alone, so that all partials of a key meet in one task. */
  static final class ByKey extends FixedPartitioner {
    private static final long serialVersionUID = 1L;

    ByKey(int partitions) {
      super(partitions);
    }

    @Override
    public int getPartition(Object packed) {
      return Math.floorMod(Integer.hashCode(keyOf((Long) packed)), numPartitions());
    }
  }

  /** Merges each run of one key in a sorted stream of packed keys. */
  static final class Runs<V> implements Iterator<Tuple2<Integer, V>> {
    private final Iterator<Tuple2<Long, V>> sorted;
    private final Function2<V, V, V> merge;
    private Tuple2<Long, V> pending;

    Runs(Iterator<Tuple2<Long, V>> sorted, Function2<V, V, V> merge) {
      this.sorted = sorted;
      this.merge = merge;
      this.pending = sorted.hasNext() ? sorted.next() : null;
    }

    @Override
    public boolean hasNext() {
      return pending != null;
    }

    @Override
    public Tuple2<Integer, V> next() {
      if (pending == null) {
        throw new NoSuchElementException();
      }
      int key = keyOf(pending._1());
      V value = pending._2();
      pending = null;
      while (sorted.hasNext()) {
        Tuple2<Long, V> kv = sorted.next();
        if (keyOf(kv._1()) != key) {
          pending = kv;
          break;
        }
        try {
          value = merge.call(value, kv._2());
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("merging the partials of key " + key, e);
        }
      }
      return new Tuple2<>(key, value);
    }
  }
}
