package io.lopq.spark.search;

import io.lopq.io.vectors.VectorSchema;
import io.lopq.search.TopK;
import io.lopq.search.batch.PartialResult;
import io.lopq.search.batch.RawBlock;
import io.lopq.spark.common.VectorBlock;
import io.lopq.spark.common.VectorBlocks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Re-ranks each query's best rows by ADC with exact distances on the raw vectors, joined by id
 * without moving the candidates' vectors to the queries: the raw vectors are sharded by id
 * ({@link IdShards}: the input partitions themselves when their id ranges are disjoint, else a
 * hash shuffle into at least {@code --partitions} shards of at most {@link #MAX_SHARD_BYTES} each on
 * average) and each query visits the shards that hold its candidates.
 *
 * <pre>
 *   raw (id, vector) in VectorBlocks  -&gt; shard(id)                 as read, or partitionBy(KeyPartitioner)
 *   (query, ADC best) join queries    -&gt; (shard, RerankRequest)   one per (query, shard)
 *   zipPartitions: RawBlock per shard; exact(q, id) = sum_j (q_j - x_j)^2; best k per request
 *   reduceByKey(query): merge into the best k
 * </pre>
 */
public final class ExactRerank {
  /**
   * Largest hash shard, in bytes of raw vectors ({@code 4D + 8} per row): a shard's {@code RawBlock}
   * is held whole by its task, so with more rows there are more shards, never larger ones.
   */
  static final long MAX_SHARD_BYTES = 64L << 20;

  private ExactRerank() {}

  /**
   * Hash shards for {@code rows} raw vectors of dimension D: at least {@code partitions}, and
   * enough that none holds more than {@link #MAX_SHARD_BYTES} on average.
   */
  static int hashShards(long rows, int dimension, int partitions) {
    long bytes = rows * (4L * dimension + Long.BYTES);
    long needed = (bytes + MAX_SHARD_BYTES - 1) / MAX_SHARD_BYTES;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(partitions, needed));
  }

  /**
   * Re-ranks {@code adc} (each query's best by ADC) and keeps the best {@code k}.
   *
   * @param raw raw vectors in the normalized schema (long {@code id}, {@code vector})
   * @param shards the fewest shards when the raw vectors must be shuffled by hash
   */
  public static Reranked rerank(JavaPairRDD<Long, PartialResult> adc,
      JavaPairRDD<Long, QueryRow> queries, Dataset<Row> raw, int dimension, int k, int shards) {
    // Read twice, not cached: once for the id ranges (and the row count), once to re-rank (or to
    // shuffle by hash). A cache would hold a serialized copy of the whole raw input, in memory and
    // on disk, and map it into the process when read back: memory and disk that grow with N.
    JavaRDD<VectorBlock> rawBlocks = VectorBlocks.of(raw, VectorSchema.VECTOR, VectorSchema.ID, dimension)
        .blocks(VectorBlocks.DEFAULT_BLOCK_ROWS);
    IdShards sharding = IdShards.of(rawBlocks, rows -> hashShards(rows, dimension, shards));
    KeyPartitioner partitioner = new KeyPartitioner(sharding.shards());
    JavaRDD<VectorBlock> vectors = sharding.byInputPartition() ? rawBlocks
        : rawBlocks.flatMapToPair(block -> byShard(block, sharding)).partitionBy(partitioner).values();
    JavaPairRDD<Integer, RerankRequest> requests = adc.join(queries).flatMapToPair(q -> {
      long index = q._1();
      PartialResult best = q._2()._1();
      float[] vector = q._2()._2().vector();
      long[] ids = best.ids().clone();
      int[] shardOfId = new int[ids.length];
      Integer[] order = new Integer[ids.length];
      for (int i = 0; i < ids.length; i++) {
        shardOfId[i] = sharding.shardOf(ids[i]);
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Integer.compare(shardOfId[a], shardOfId[b]));
      List<Tuple2<Integer, RerankRequest>> out = new ArrayList<>();
      PartialResult counters = new PartialResult(best.queryId(), new long[0], new double[0], best.scanned(),
          best.cellsVisited());
      PartialResult idOnly = new PartialResult(best.queryId(), new long[0], new double[0], 0, 0);
      for (int start = 0; start < ids.length; ) {
        int shard = shardOfId[order[start]];
        int end = start;
        while (end < ids.length && shardOfId[order[end]] == shard) {
          end++;
        }
        long[] shardIds = new long[end - start];
        for (int j = start; j < end; j++) {
          shardIds[j - start] = ids[order[j]];
        }
        out.add(new Tuple2<>(shard, new RerankRequest(index, vector, shardIds, out.isEmpty() ? counters : idOnly)));
        start = end;
      }
      if (out.isEmpty()) {
        out.add(new Tuple2<>(0, new RerankRequest(index, vector, new long[0], counters)));
      }
      return out.iterator();
    }).partitionBy(partitioner);
    JavaRDD<Tuple2<Long, PartialResult>> reranked = vectors.zipPartitions(requests, (vectorIt, requestIt) -> {
      RawBlock.Builder builder = new RawBlock.Builder(dimension);
      while (vectorIt.hasNext()) {
        VectorBlock v = vectorIt.next();
        builder.addAll(v.ids(), v.vectors(), v.size());
      }
      RawBlock block = builder.build();
      TopK top = new TopK(k);
      List<Tuple2<Long, PartialResult>> out = new ArrayList<>();
      double[] exact = new double[0];
      while (requestIt.hasNext()) {
        RerankRequest r = requestIt.next()._2();
        long[] ids = r.ids();
        if (exact.length < ids.length) {
          exact = new double[ids.length];
        }
        block.distances(r.vector(), ids, exact);
        top.clear();
        for (int i = 0; i < ids.length; i++) {
          top.offer(ids[i], exact[i]);
        }
        PartialResult c = r.carrier();
        out.add(new Tuple2<>(r.queryIndex(), PartialResult.drain(c.queryId(), top, c.scanned(), c.cellsVisited())));
      }
      return out.iterator();
    });
    JavaPairRDD<Long, PartialResult> merged = JavaPairRDD.fromJavaRDD(reranked)
        .reduceByKey((a, b) -> PartialResult.merge(a, b, k), sharding.shards());
    return new Reranked(merged, sharding.byInputPartition());
  }

  /** The rows of {@code block} grouped by shard: one {@code (shard, rows of that shard)} pair per shard present. */
  private static Iterator<Tuple2<Integer, VectorBlock>> byShard(VectorBlock block, IdShards sharding) {
    int n = block.size();
    int[] shardOfRow = new int[n];
    int[] rowsPerShard = new int[sharding.shards() + 1];
    for (int i = 0; i < n; i++) {
      shardOfRow[i] = sharding.shardOf(block.id(i));
      rowsPerShard[shardOfRow[i] + 1]++;
    }
    for (int s = 0; s < sharding.shards(); s++) {
      rowsPerShard[s + 1] += rowsPerShard[s];
    }
    int[] start = rowsPerShard.clone();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[start[shardOfRow[i]]++] = i;
    }
    List<Tuple2<Integer, VectorBlock>> out = new ArrayList<>();
    for (int s = 0; s < sharding.shards(); s++) {
      int count = rowsPerShard[s + 1] - rowsPerShard[s];
      if (count > 0) {
        out.add(new Tuple2<>(s, block.select(Arrays.copyOfRange(order, rowsPerShard[s], rowsPerShard[s + 1]), count)));
      }
    }
    return out.iterator();
  }

  /** The re-ranked results, lazy. */
  public static final class Reranked {
    private final JavaPairRDD<Long, PartialResult> results;
    private final boolean inPlace;

    Reranked(JavaPairRDD<Long, PartialResult> results, boolean inPlace) {
      this.results = results;
      this.inPlace = inPlace;
    }

    /** Each query's best k by exact distance. */
    public JavaPairRDD<Long, PartialResult> results() {
      return results;
    }

    /** True if the raw vectors were used in their input partitions (no shuffle). */
    public boolean inPlace() {
      return inPlace;
    }
  }
}
