package io.lopq.spark.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExactRerankTest {
  @Test
  void hashShardsStayUnderTheirSizeAsRowsGrow() {
    // 1,000 rows of D = 128: far under one shard, the partitions asked for.
    assertEquals(4, ExactRerank.hashShards(1_000, 128, 4));
    // 10 M rows of D = 128 = 5.2 GB: 78 shards of 64 MiB (not 4 of 1.3 GB).
    int shards = ExactRerank.hashShards(10_000_000, 128, 4);
    assertEquals(78, shards);
    for (long rows : new long[] {1_000_000, 31_000_000, 1_000_000_000}) {
      int n = ExactRerank.hashShards(rows, 128, 4);
      assertTrue(rows * 520 / n <= ExactRerank.MAX_SHARD_BYTES, rows + " rows in " + n + " shards");
    }
  }
}
