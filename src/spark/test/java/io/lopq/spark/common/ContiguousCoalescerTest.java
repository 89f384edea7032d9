package io.lopq.spark.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContiguousCoalescerTest {
  private static JavaSparkContext jsc;

  @BeforeAll
  static void session() {
    jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
  }

  @Test
  void groupsAreContiguousRangesOfAboutEqualCount() {
    JavaRDD<Integer> rdd = jsc.parallelize(IntStream.range(0, 70).boxed().toList(), 7);
    PartitionGroup[] groups = new ContiguousCoalescer().coalesce(3, rdd.rdd());
    assertEquals(3, groups.length);
    List<List<Integer>> indices = new ArrayList<>();
    for (PartitionGroup group : groups) {
      List<Integer> members = new ArrayList<>();
      group.partitions().foreach(p -> members.add(p.index()));
      indices.add(members);
    }
    assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4, 5, 6)), indices);
  }

  @Test
  void aCachedParentKeepsItsOrderWhereSparksCoalesceGroupsByLocation() {
    JavaRDD<Integer> cached = jsc.parallelize(IntStream.range(0, 80).boxed().toList(), 8)
        .persist(StorageLevel.MEMORY_ONLY());
    try {
      cached.count();
      JavaRDD<Integer> merged = ContiguousCoalescer.coalesce(cached, 3);
      assertEquals(3, merged.getNumPartitions());
      // Rows in the input's order, in groups of whole partitions: 2, 3 and 3 partitions of 10 rows.
      List<List<Integer>> parts = merged.glom().collect();
      assertEquals(IntStream.range(0, 20).boxed().toList(), parts.get(0));
      assertEquals(IntStream.range(20, 50).boxed().toList(), parts.get(1));
      assertEquals(IntStream.range(50, 80).boxed().toList(), parts.get(2));
    } finally {
      cached.unpersist(true);
    }
  }

  @Test
  void asManyPartitionsAsAskedOrMoreLeavesTheRddAsItIs() {
    JavaRDD<Integer> rdd = jsc.parallelize(List.of(1, 2, 3), 3);
    assertSame(rdd, ContiguousCoalescer.coalesce(rdd, 3));
    assertSame(rdd, ContiguousCoalescer.coalesce(rdd, 5));
  }
}
