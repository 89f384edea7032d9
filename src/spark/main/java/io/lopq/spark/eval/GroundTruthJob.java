package io.lopq.spark.eval;

import io.lopq.spark.common.StageApi;

import io.lopq.spark.common.VectorBlock;
import io.lopq.spark.common.VectorBlocks;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import io.lopq.param.Check;
import io.lopq.param.Param;
import io.lopq.search.ExactSearcher;
import io.lopq.search.SearchResult;
import io.lopq.spark.common.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Exact k nearest neighbours of every query in a base, by squared L2, computed by Spark with
 * blocked matrix products (never a row-by-row cross join): the ground truth for recall.
 *
 * <pre>
 *   queries -&gt; blocks Q_1..Q_a (QUERY_BLOCK rows)      base -&gt; blocks B_1..B_b (BASE_BLOCK rows), cached
 *   every pair (Q_i, B_j) of the cartesian product:
 *       ||q - x||^2 = ||q||^2 + ||x||^2 - 2 q.x  via one gemm per sub-block   ({@link ExactSearcher})
 *       -&gt; (query id, top k of q in B_j)
 *   reduceByKey(query id): merge the partial top-k lists   ({@link NeighborList#merge})
 * </pre>
 *
 * Ties go to the smaller id, as in {@link ExactSearcher}, so the result equals a single-machine
 * exact search over the same data whatever the partitioning. Query and base ids must be integers,
 * unique within each input.
 */
@StageApi
public final class GroundTruthJob {

  private GroundTruthJob() {}

  /**
   * What to compute, each setting declared once ({@link Param}). Immutable; build with
   * {@link #builder}, whose {@link Builder#build()} checks the values.
   */
  public static final class Params {
    /** Neighbours per query: by default enough for Recall@100 and k-recall@k up to 100. */
    public static final Param<Integer> K = Param.ofInt("k", "Neighbours per query of the exact ground truth", 100,
        Check.atLeast(1));
    /** Queries per block: each base block is multiplied with this many queries at a time. */
    public static final Param<Integer> QUERY_BLOCK_ROWS = Param.ofInt("queryBlockRows",
        "Queries multiplied with a base block at a time", 1024, Check.atLeast(1));
    /** Base rows per block (a 784-dimensional block of this size is about 50 MB). */
    public static final Param<Integer> BASE_BLOCK_ROWS = Param.ofInt("baseBlockRows", "Base rows per block",
        16_384, Check.atLeast(1));

    private final VectorInput base;
    private final VectorInput queries;
    private final int k;
    private final int queryBlockRows;
    private final int baseBlockRows;

    private Params(Builder b) {
      this.base = b.base;
      this.queries = b.queries;
      this.k = b.k;
      this.queryBlockRows = b.queryBlockRows;
      this.baseBlockRows = b.baseBlockRows;
    }

    /** The {@link #K} nearest base vectors of every query, with default block sizes unless told otherwise. */
    public static Builder builder(VectorInput base, VectorInput queries) {
      return new Builder(base, queries);
    }

    /** A builder starting from these parameters. */
    public Builder toBuilder() {
      return builder(base, queries).k(k).blockRows(queryBlockRows, baseBlockRows);
    }

    /** Builds {@link Params}. */
    public static final class Builder {
      private final VectorInput base;
      private final VectorInput queries;
      private int k = K.defaultValue();
      private int queryBlockRows = QUERY_BLOCK_ROWS.defaultValue();
      private int baseBlockRows = BASE_BLOCK_ROWS.defaultValue();

      private Builder(VectorInput base, VectorInput queries) {
        this.base = base;
        this.queries = queries;
      }

      /** Neighbours per query (at least 1). */
      public Builder k(int value) {
        this.k = value;
        return this;
      }

      /** Rows per query block and per base block. */
      public Builder blockRows(int queryRows, int baseRows) {
        this.queryBlockRows = queryRows;
        this.baseBlockRows = baseRows;
        return this;
      }

      /**
       * The parameters.
       *
       * @throws IllegalArgumentException for a missing input, k &lt; 1 or a block size &lt; 1
       */
      public Params build() {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(queries, "queries");
        K.check(k);
        if (!QUERY_BLOCK_ROWS.isValid(queryBlockRows) || !BASE_BLOCK_ROWS.isValid(baseBlockRows)) {
          throw new IllegalArgumentException("block sizes must be >= 1, got " + queryBlockRows + " query rows and "
              + baseBlockRows + " base rows");
        }
        return new Params(this);
      }
    }

    public VectorInput base() {
      return base;
    }

    public VectorInput queries() {
      return queries;
    }

    public int k() {
      return k;
    }

    public int queryBlockRows() {
      return queryBlockRows;
    }

    public int baseBlockRows() {
      return baseBlockRows;
    }
  }

  /**
   * Computes the ground truth. The returned neighbour lists are cached and counted (the work is
   * done when this returns); {@link GroundTruth#release()} frees them.
   *
   * @throws IllegalArgumentException if the inputs differ in dimension, have string or repeated
   *     ids, or the base has fewer than k rows ({@link io.lopq.format.vectors.InvalidInputException} for
   *     unreadable inputs or bad rows)
   */
  public static GroundTruth run(SparkSession spark, Params params) {
    long started = System.nanoTime();
    VectorDataset base = params.base().load(spark);
    VectorDataset queries = params.queries().load(spark);
    return compute(spark, base, params.base().path(), queries, params.queries().path(), params, started);
  }

  /**
   * Computes the ground truth of already loaded vectors (e.g. a subset of the queries); the
   * inputs of {@code params} only name them in messages.
   */
  public static GroundTruth run(SparkSession spark, VectorDataset base, VectorDataset queries, Params params) {
    return compute(spark, base, params.base().path(), queries, params.queries().path(), params, System.nanoTime());
  }

  private static GroundTruth compute(SparkSession spark, VectorDataset base, String baseName, VectorDataset queries,
      String queriesName, Params params, long started) {
    requireLongIds(base, "base", baseName);
    requireLongIds(queries, "queries", queriesName);
    int dimension = base.dimension();
    if (queries.dimension() != dimension) {
      throw new IllegalArgumentException("queries " + queriesName + " have dimension "
          + queries.dimension() + ", but the base " + baseName + " has dimension " + dimension);
    }
    JavaRDD<VectorBlock> baseBlocks = VectorBlocks.of(base).blocks(params.baseBlockRows())
        .persist(Storage.SPILLABLE);
    JavaRDD<VectorBlock> queryBlocks = null;
    JavaPairRDD<Long, NeighborList> truth = null;
    try {
      long baseRows = countRows(baseBlocks);
      if (baseRows < params.k()) {
        throw new IllegalArgumentException("k = " + params.k() + " exceeds the " + baseRows + " rows of the base "
            + baseName);
      }
      requireUniqueIds(baseBlocks, baseRows, "base", baseName);
      queryBlocks = spread(VectorBlocks.of(queries).blocks(params.queryBlockRows()), baseBlocks.getNumPartitions(),
          spark.sparkContext().defaultParallelism()).persist(Storage.SPILLABLE);
      long queryRows = countRows(queryBlocks);
      int k = params.k();
      truth = queryBlocks.cartesian(baseBlocks)
          .flatMapToPair(pair -> searchPair(pair._1(), pair._2(), k).iterator())
          .reduceByKey((a, b) -> a.merge(b, k))
          .persist(StorageLevel.MEMORY_AND_DISK());
      long truthRows = truth.count();
      if (truthRows != queryRows) {
        throw new IllegalArgumentException("queries " + queriesName + " have " + queryRows
            + " rows but only " + truthRows + " distinct ids; each query needs its own id");
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      return new GroundTruth(truth, queryRows, baseRows, k, dimension, seconds);
    } catch (RuntimeException e) {
      if (truth != null) {
        truth.unpersist(false);
      }
      throw e;
    } finally {
      baseBlocks.unpersist(false);
      if (queryBlocks != null) {
        queryBlocks.unpersist(false);
      }
    }
  }

  /** The exact top k of each query of a query block within one base block. */
  static List<Tuple2<Long, NeighborList>> searchPair(VectorBlock queries, VectorBlock base, int k) {
    ExactSearcher searcher = new ExactSearcher(base.vectors(), base.size(), base.dimension(), base.ids());
    SearchResult[] found = searcher.search(queries.vectors(), queries.size(), Math.min(k, base.size()));
    List<Tuple2<Long, NeighborList>> out = new ArrayList<>(found.length);
    long[] ids = queries.ids();
    for (int i = 0; i < found.length; i++) {
      out.add(new Tuple2<>(ids[i], NeighborList.of(found[i])));
    }
    return out;
  }

  /**
   * Query blocks spread over enough partitions that the cartesian product with the base has at
   * least one task per core.
   */
  static JavaRDD<VectorBlock> spread(JavaRDD<VectorBlock> queryBlocks, int basePartitions, int parallelism) {
    int wanted = Math.max(1, (parallelism + basePartitions - 1) / Math.max(1, basePartitions));
    return queryBlocks.getNumPartitions() < wanted ? queryBlocks.repartition(wanted) : queryBlocks;
  }

  private static long countRows(JavaRDD<VectorBlock> blocks) {
    return blocks.map(b -> (long) b.size()).fold(0L, Long::sum);
  }

  private static void requireLongIds(VectorDataset data, String what, String name) {
    if (!data.idType().equals(DataTypes.LongType)) {
      throw new IllegalArgumentException(what + " " + name + " has ids of type "
          + data.idType().simpleString() + "; exact search needs integer ids");
    }
  }

  private static void requireUniqueIds(JavaRDD<VectorBlock> blocks, long rows, String what, String name) {
    long distinct = blocks.flatMap(b -> new LongArrayIterator(b.ids())).distinct().count();
    if (distinct != rows) {
      throw new IllegalArgumentException(what + " " + name + " has " + rows + " rows but only " + distinct
          + " distinct ids; ids must be unique");
    }
  }

  /** Boxes a long array's values one at a time (for flatMap). */
  private static final class LongArrayIterator implements java.util.Iterator<Long> {
    private final long[] values;
    private int next;

    LongArrayIterator(long[] values) {
      this.values = values;
    }

    @Override
    public boolean hasNext() {
      return next < values.length;
    }

    @Override
    public Long next() {
      if (next >= values.length) {
        throw new java.util.NoSuchElementException();
      }
      return values[next++];
    }
  }
}
