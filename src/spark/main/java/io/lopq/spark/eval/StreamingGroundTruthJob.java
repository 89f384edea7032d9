package io.lopq.spark.eval;

import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import io.lopq.param.Check;
import io.lopq.param.Param;
import io.lopq.search.ExactSearcher;
import io.lopq.search.SearchResult;
import io.lopq.search.TopK;
import io.lopq.spark.common.StageApi;
import io.lopq.spark.common.VectorBlock;
import io.lopq.spark.common.VectorBlocks;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Exact k nearest neighbours of a query set (up to some hundred thousand queries) in a base of
 * any size, in one streaming pass over the base: the queries are broadcast, every task reads its
 * split of the base block by block and keeps only the best k of every query, and the per-task
 * lists are merged. Nothing of the base is cached, shuffled or collected, so memory does not
 * grow with the base.
 *
 * <pre>
 *   Q (all queries, broadcast)         base split p -&gt; blocks B_p1, B_p2, ... (BASE_BLOCK_ROWS rows, read once;
 *                                      splits coalesced to at most TASKS_PER_CORE per core, no shuffle)
 *   task p:   for each block B:  top_p[q] &lt;- best k of top_p[q] ∪ exact top k of q in B   ({@link ExactSearcher}, gemm)
 *             emit (q, top_p[q]) for every q                    shuffle: tasks x queries x k entries, not growing with N
 *   reduceByKey(q): merge the partial lists ({@link NeighborList#merge})
 * </pre>
 *
 * Ties go to the smaller id, as in {@link ExactSearcher}, so the result equals a single-machine
 * exact search whatever the partitioning. Ids must be integers; unlike {@link GroundTruthJob}
 * (for many queries) base ids are not checked for uniqueness, which would need a shuffle of
 * every base id. The base row count comes from an accumulator (a retried task would count its
 * rows twice; it only serves the k-versus-rows check and the report).
 */
@StageApi
public final class StreamingGroundTruthJob {
  /** Base rows per block multiplied with all the queries at once. */
  public static final Param<Integer> BASE_BLOCK_ROWS = Param.ofInt("streamingBaseBlockRows",
      "Base rows per block multiplied with all queries at once", 8192, Check.atLeast(1));
  /**
   * Tasks per core that read the base: input splits are coalesced (without a shuffle) to at most
   * this many per core, so the partial lists shuffled (tasks x queries x k) do not grow with N.
   */
  public static final int TASKS_PER_CORE = 4;
  /** The most query values (queries x dimension) broadcast: 64 Mi floats, 256 MB. */
  public static final long MAX_QUERY_VALUES = 64L << 20;

  private StreamingGroundTruthJob() {}

  /**
   * Whether {@code queries} are few enough to broadcast ({@link #MAX_QUERY_VALUES}), i.e. whether
   * this job can serve them; reads the query input once to count its rows.
   */
  public static boolean canBroadcast(SparkSession spark, VectorInput queries) {
    VectorDataset data = queries.load(spark);
    return data.rows().count() * data.dimension() <= MAX_QUERY_VALUES;
  }

  /**
   * Computes the ground truth of the first {@code queryLimit} queries (all if 0 or less). The
   * returned lists are cached and counted; {@link GroundTruth#release()} frees them.
   *
   * @throws IllegalArgumentException if the inputs differ in dimension, have string ids, the
   *     queries are too many to broadcast, or the base has fewer than k rows
   */
  public static GroundTruth run(SparkSession spark, VectorInput base, VectorInput queries, int k, int queryLimit,
      int baseBlockRows) {
    long started = System.nanoTime();
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(queries, "queries");
    GroundTruthJob.Params.K.check(k);
    BASE_BLOCK_ROWS.check(baseBlockRows);
    VectorDataset baseData = base.load(spark);
    VectorDataset queryData = queries.load(spark);
    requireLongIds(baseData, "base", base.path());
    requireLongIds(queryData, "queries", queries.path());
    int dimension = baseData.dimension();
    if (queryData.dimension() != dimension) {
      throw new IllegalArgumentException("queries " + queries.path() + " have dimension " + queryData.dimension()
          + ", but the base " + base.path() + " has dimension " + dimension);
    }
    QuerySet querySet = QuerySet.collect(VectorBlocks.of(queryData).blocks(VectorBlocks.DEFAULT_BLOCK_ROWS),
        queryLimit, dimension, queries.path());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<QuerySet> shared = jsc.broadcast(querySet);
    LongAccumulator baseRows = spark.sparkContext().longAccumulator("ground truth base rows");
    JavaPairRDD<Long, NeighborList> truth = null;
    try {
      int partitions = Math.max(1, Math.min(jsc.defaultParallelism(), (querySet.size() + 1023) / 1024));
      JavaRDD<VectorBlock> baseBlocks = VectorBlocks.of(baseData).blocks(baseBlockRows);
      int tasks = TASKS_PER_CORE * jsc.defaultParallelism();
      if (baseBlocks.getNumPartitions() > tasks) {
        baseBlocks = baseBlocks.coalesce(tasks);
      }
      truth = baseBlocks.mapPartitionsToPair(blocks -> searchPartition(blocks, shared.value(), k, baseRows).iterator())
          .reduceByKey((a, b) -> a.merge(b, k), partitions)
          .persist(StorageLevel.MEMORY_AND_DISK());
      long found = truth.count();
      if (baseRows.value() < k) {
        throw new IllegalArgumentException("k = " + k + " exceeds the " + baseRows.value() + " rows of the base "
            + base.path());
      }
      if (found != querySet.size()) {
        throw new IllegalArgumentException("queries " + queries.path() + " have " + querySet.size()
            + " rows but only " + found + " distinct ids; each query needs its own id");
      }
      return new GroundTruth(truth, querySet.size(), baseRows.value(), k, dimension,
          (System.nanoTime() - started) / 1e9);
    } catch (RuntimeException e) {
      if (truth != null) {
        truth.unpersist(false);
      }
      throw e;
    } finally {
      shared.destroy();
    }
  }

  /** The best k of every query within the blocks of one base split (one list per query, even if empty). */
  static List<Tuple2<Long, NeighborList>> searchPartition(Iterator<VectorBlock> blocks, QuerySet queries, int k,
      LongAccumulator baseRows) {
    int q = queries.size();
    TopK[] tops = new TopK[q];
    for (int i = 0; i < q; i++) {
      tops[i] = new TopK(k);
    }
    long rows = 0;
    while (blocks.hasNext()) {
      VectorBlock block = blocks.next();
      if (block.size() == 0) {
        continue;
      }
      rows += block.size();
      ExactSearcher searcher = new ExactSearcher(block.vectors(), block.size(), block.dimension(), block.ids());
      SearchResult[] found = searcher.search(queries.vectors, q, Math.min(k, block.size()));
      for (int i = 0; i < q; i++) {
        tops[i].offerAll(found[i]);
      }
    }
    baseRows.add(rows);
    List<Tuple2<Long, NeighborList>> out = new ArrayList<>(q);
    for (int i = 0; i < q; i++) {
      out.add(new Tuple2<>(queries.ids[i], NeighborList.of(tops[i].drain())));
    }
    return out;
  }

  private static void requireLongIds(VectorDataset data, String what, String name) {
    if (!data.idType().equals(DataTypes.LongType)) {
      throw new IllegalArgumentException(what + " " + name + " has ids of type "
          + data.idType().simpleString() + "; exact search needs integer ids");
    }
  }

  /** The queries, row-major, with their ids: what every task searches for. */
  static final class QuerySet implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    final long[] ids;
    final float[] vectors;

    QuerySet(long[] ids, float[] vectors) {
      this.ids = ids;
      this.vectors = vectors;
    }

    int size() {
      return ids.length;
    }

    /** The first {@code limit} queries in file order (all if limit &lt;= 0), on the driver. */
    static QuerySet collect(JavaRDD<VectorBlock> blocks, int limit, int dimension,
        String name) {
      List<VectorBlock> parts = new ArrayList<>();
      long total = 0;
      Iterator<VectorBlock> it = blocks.toLocalIterator();
      while (it.hasNext() && (limit <= 0 || total < limit)) {
        VectorBlock block = it.next();
        parts.add(block);
        total += block.size();
        if (limit <= 0 && total * dimension > MAX_QUERY_VALUES) {
          break;
        }
      }
      long wanted = limit <= 0 ? total : Math.min(total, limit);
      if (wanted * dimension > MAX_QUERY_VALUES) {
        throw new IllegalArgumentException("queries " + name + ": " + (limit <= 0 ? "more than " : "") + wanted
            + " queries of dimension " + dimension + " exceed the " + MAX_QUERY_VALUES
            + " values the streaming ground truth broadcasts; ask for fewer queries");
      }
      if (wanted == 0) {
        throw new IllegalArgumentException("queries " + name + " has no rows");
      }
      long[] ids = new long[(int) wanted];
      float[] vectors = new float[(int) wanted * dimension];
      int filled = 0;
      for (VectorBlock block : parts) {
        int n = (int) Math.min(block.size(), wanted - filled);
        System.arraycopy(block.ids(), 0, ids, filled, n);
        System.arraycopy(block.vectors(), 0, vectors, filled * dimension, n * dimension);
        filled += n;
        if (filled == wanted) {
          break;
        }
      }
      return new QuerySet(ids, vectors);
    }
  }
}
