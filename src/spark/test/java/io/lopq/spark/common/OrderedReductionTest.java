package io.lopq.spark.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

class OrderedReductionTest {
  private static final int MAP_PARTITIONS = 6;
  private static JavaSparkContext jsc;

  @BeforeAll
  static void session() {
    jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
  }

  /** Keys -3 and 0..19; partition p holds key k unless (k + p) % 3 == 0, in a shuffled order. */
  private static List<Integer> keysOf(int partition) {
    List<Integer> keys = new ArrayList<>();
    for (int k = -3; k < 20; k++) {
      if (k >= 0 || k == -3) {
        if (Math.floorMod(k + partition, 3) != 0) {
          keys.add(k);
        }
      }
    }
    Collections.shuffle(keys, new Random(partition));
    return keys;
  }

  @Test
  void partialsMergeInTheOrderOfTheirMapPartitions() {
    // String concatenation does not commute: the result spells out the order of the merges.
    JavaPairRDD<Integer, String> partials = jsc.parallelize(IntStream.range(0, MAP_PARTITIONS).boxed().toList(),
        MAP_PARTITIONS).flatMapToPair(p -> keysOf(p).stream().map(k -> new Tuple2<>(k, "p" + p + ";")).iterator());
    Map<Integer, String> expected = new TreeMap<>();
    for (int p = 0; p < MAP_PARTITIONS; p++) {
      for (int k : keysOf(p)) {
        expected.merge(k, "p" + p + ";", String::concat);
      }
    }
    for (int reducers : new int[] {1, 4}) {
      JavaPairRDD<Integer, String> reduced = OrderedReduction.reduceByKey(partials, reducers, String::concat);
      assertEquals(reducers, reduced.getNumPartitions());
      List<Tuple2<Integer, String>> rows = reduced.collect();
      assertEquals(expected.size(), rows.size(), "one value per key");
      assertEquals(expected, new TreeMap<>(reduced.collectAsMap()));
    }
  }

  @Test
  void keysAndPartitionsPackIntoOneSortableLong() {
    assertEquals(-3, OrderedReduction.keyOf(OrderedReduction.pack(-3, 5)));
    assertEquals(Integer.MAX_VALUE, OrderedReduction.keyOf(OrderedReduction.pack(Integer.MAX_VALUE, 7)));
    // Sorted by key first, then by partition.
    assertEquals(-1, Long.signum(OrderedReduction.pack(-3, 9) - OrderedReduction.pack(0, 0)));
    assertEquals(-1, Long.signum(OrderedReduction.pack(4, 1) - OrderedReduction.pack(4, 2)));
    assertEquals(-1, Long.signum(OrderedReduction.pack(4, Integer.MAX_VALUE) - OrderedReduction.pack(5, 0)));
    assertThrows(IllegalArgumentException.class, () -> new OrderedReduction.ByKey(0));
  }
}
