package io.lopq.spark.search;

import io.lopq.spark.common.ExecutorMemory;
import io.lopq.spark.common.ModelFit;
import io.lopq.spark.common.StageApi;

import io.lopq.spark.common.Errors;
import io.lopq.spark.common.SerializableModel;

import io.lopq.io.fs.AtomicCommit;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorSchema;
import io.lopq.model.LopqModel;
import io.lopq.param.Check;
import io.lopq.param.Param;
import io.lopq.search.SearchOptions;
import io.lopq.spark.search.AdcSearch;
import io.lopq.spark.search.BucketPlan;
import io.lopq.spark.search.ExactRerank;
import io.lopq.spark.search.IdDictionary;
import io.lopq.spark.search.IndexSummary;
import io.lopq.spark.search.QueryRow;
import io.lopq.spark.search.ResultWriter;
import io.lopq.spark.search.SearchIndex;
import io.lopq.spark.search.SearchReport;
import io.lopq.search.batch.CellBlock;
import io.lopq.search.batch.CellCounts;
import io.lopq.search.batch.PartialResult;
import io.lopq.spark.common.BlasReport;
import io.lopq.spark.common.Storage;
import io.lopq.spark.common.TaskTimes;
import io.lopq.spark.common.VectorBlocks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * {@code lopq search}: bulk k-nearest-neighbour search of a query set against an encoded index,
 * on Spark, with the results of {@link io.lopq.search.InMemorySearcher} (same cells, same
 * candidates, same (distance, id) order).
 *
 * <pre>
 *   index   -&gt; IndexSummary: model check, rows per cell (CellCounts, broadcast)
 *   queries -&gt; numbered (zipWithIndex), cached
 *   ADC     -&gt; broadcast plan (small index) or shuffle plan (cells in balanced buckets), see AdcSearch
 *   rerank  -&gt; optional: the best rerankDepth by ADC re-scored exactly on the raw vectors (ExactRerank)
 *   output  -&gt; (query_id, rank, neighbor_id, distance), atomically, with the report (ResultWriter)
 * </pre>
 *
 * Errors in the input (a query of another dimension, an index of another model, k &lt; 1,
 * candidates &lt; k) fail before anything is written, and nothing is left at the output.
 */
@StageApi
public final class SearchJob {
  /** A bucket's build takes at most this share (1 / n) of its task's memory; the rest is tables, queries, shuffle. */
  private static final int TASK_SHARE_PER_BUCKET = 2;
  /** The smallest bucket limit the executor memory imposes (a smaller --bucket-mb still holds). */
  private static final long MIN_BUCKET_BYTES = 1L << 20;
  /** How the ADC search meets the index. */
  public enum Plan {
    /** Broadcast if the index is at most {@link Params#broadcastBytes()} bytes, else shuffle. */
    AUTO,
    /** Collect and broadcast the whole index; search the queries where they are. */
    BROADCAST,
    /** Split the index into balanced buckets by cell and send the queries to them. */
    SHUFFLE
  }

  private SearchJob() {}

  /**
   * The job's parameters: the search settings ({@link SearchOptions}, shared with the in-memory
   * searcher) and how the job runs and writes; each declared once ({@link Param}). Immutable,
   * checked by {@link Builder#build()}.
   */
  public static final class Params {
    /** How the ADC search meets the index. */
    public static final Param<Plan> PLAN = Param.ofEnum("plan",
        "auto (broadcast an index of at most --broadcast-mb, else shuffle), broadcast or shuffle", Plan.class,
        Plan.AUTO);
    /** The largest index the auto plan broadcasts. */
    public static final Param<Long> BROADCAST_MB = Param.ofLong("broadcastMb",
        "Largest index (ids, cells, codes), in MiB, that the auto plan broadcasts", 64L, Check.atLeast(0));
    /** Buckets of the shuffle plan and shards of the re-ranking. */
    public static final Param<Integer> PARTITIONS = Param.ofInt("partitions",
        "Buckets of the shuffle plan and shards of the re-ranking (0: automatic, buckets by --bucket-mb)", 0,
        Check.atLeast(0)).defaultText("2 x Spark's parallelism");
    /**
     * The most memory one bucket of the shuffle plan may take while its task builds it, when the bucket
     * count is automatic. 64 MiB: the same bound as {@link #BROADCAST_MB}, the index every executor may hold
     * in the broadcast plan, so a task never holds more index in either plan; at M = 8 that is 2.4M rows
     * (28 B each at the build's peak) per bucket, so the minimum of 2 x parallelism still applies up to about
     * 9.5M visited rows on 2 cores. A small executor lowers it: at most half of a running task's share of
     * the executor's Spark memory ({@code SearchJob.bucketLimit}; 31 MiB for a 512 MiB heap on 2 cores).
     */
    public static final Param<Long> BUCKET_MB = Param.ofLong("bucketMb",
        "Most memory, in MiB, one bucket of the shuffle plan takes while built, when --partitions is 0 "
            + "(at most half a task's share of executor memory): the index rows the queries visit decide how "
            + "many buckets (at least 2 x Spark's parallelism)",
        64L, Check.atLeast(1));
    /** The results' format. */
    public static final Param<ResultWriter.Format> OUTPUT_FORMAT = Param.ofEnum("outputFormat",
        "parquet or csv (with header query_id,rank,neighbor_id,distance)", ResultWriter.Format.class,
        ResultWriter.Format.PARQUET).parser(ResultWriter.Format::of);
    /** Bytes per index row besides its codes: id and two coarse indices. */
    public static final int ROW_OVERHEAD_BYTES = Long.BYTES + 2 * Integer.BYTES;

    private final SearchOptions options;
    private final Plan plan;
    private final int partitions;
    private final long broadcastBytes;
    private final long bucketBytes;
    private final String output;
    private final ResultWriter.Format format;
    private final boolean overwrite;
    private final String report;

    private Params(Builder b, SearchOptions options) {
      this.options = options;
      this.plan = b.plan;
      this.partitions = b.partitions;
      this.broadcastBytes = b.broadcastBytes;
      this.bucketBytes = b.bucketBytes;
      this.output = b.output;
      this.format = b.format;
      this.overwrite = b.overwrite;
      this.report = b.report;
    }

    /** A builder with every default. */
    public static Builder builder() {
      return new Builder();
    }

    /** The search settings the tasks use. */
    public SearchOptions options() {
      return options;
    }

    /** Neighbours per query. */
    public int k() {
      return options.k();
    }

    /** Rows each query's cells cover at least ({@link Long#MAX_VALUE} with a cell budget: all). */
    public long candidates() {
      return options.candidates();
    }

    /** Cells each query visits at most ({@link SearchOptions#UNLIMITED_CELLS} for no budget). */
    public long maxCells() {
      return options.maxCells();
    }

    /** Rows re-ranked exactly per query; 0 for no re-ranking. */
    public int rerankDepth() {
      return options.rerankDepth();
    }

    /** True if re-ranking. */
    public boolean reranks() {
      return options.reranks();
    }

    public boolean excludeSelf() {
      return options.excludeSelf();
    }

    public Plan plan() {
      return plan;
    }

    /** Buckets of the shuffle plan and shards of the re-ranking; 0 for twice Spark's default parallelism. */
    public int partitions() {
      return partitions;
    }

    public int queryBlock() {
      return options.queryBlock();
    }

    public boolean exactTables() {
      return options.exactTables();
    }

    public long broadcastBytes() {
      return broadcastBytes;
    }

    /** The most bytes a bucket of the shuffle plan takes while built, when {@link #partitions()} is 0. */
    public long bucketBytes() {
      return bucketBytes;
    }

    /** Where results go; null when only searching (tests). */
    public String output() {
      return output;
    }

    public ResultWriter.Format format() {
      return format;
    }

    public boolean overwrite() {
      return overwrite;
    }

    /** An extra place for the JSON report (it is always written inside the output too); null for none. */
    public String report() {
      return report;
    }

    /** Builds {@link Params}; the search settings go to a {@link SearchOptions.Builder}. */
    public static final class Builder {
      private final SearchOptions.Builder options = SearchOptions.builder();
      private boolean cellBudget;
      private Plan plan = PLAN.defaultValue();
      private int partitions = PARTITIONS.defaultValue();
      private long broadcastBytes = BROADCAST_MB.defaultValue() << 20;
      private long bucketBytes = BUCKET_MB.defaultValue() << 20;
      private String output;
      private ResultWriter.Format format = OUTPUT_FORMAT.defaultValue();
      private boolean overwrite;
      private String report;

      private Builder() {}

      /** Neighbours per query, {@code >= 1}. */
      public Builder k(int value) {
        options.k(value);
        return this;
      }

      /** Rank at least this many candidates per query ({@code >= k}); clears a cell budget. */
      public Builder candidates(long value) {
        options.candidates(value).maxCells(SearchOptions.UNLIMITED_CELLS);
        cellBudget = false;
        return this;
      }

      /** Visit exactly this many cells per query (fewer if the index has fewer), instead of a candidate count. */
      public Builder cells(long value) {
        options.maxCells(value);
        cellBudget = true;
        return this;
      }

      /** Re-rank the best {@code depth >= k} by ADC exactly; 0 turns re-ranking off. */
      public Builder rerankDepth(int depth) {
        options.rerankDepth(depth);
        return this;
      }

      /** Leave each query's own id out of its results (self-join). */
      public Builder excludeSelf(boolean value) {
        options.excludeSelf(value);
        return this;
      }

      public Builder plan(Plan value) {
        this.plan = Objects.requireNonNull(value, "plan");
        return this;
      }

      /** Buckets / shards; 0 for the default. */
      public Builder partitions(int value) {
        this.partitions = value;
        return this;
      }

      public Builder queryBlock(int value) {
        options.queryBlock(value);
        return this;
      }

      /** Build ADC tables one query at a time, bit for bit as the in-memory searcher (slower). */
      public Builder exactTables(boolean value) {
        options.exactTables(value);
        return this;
      }

      public Builder broadcastBytes(long value) {
        this.broadcastBytes = value;
        return this;
      }

      /** The most bytes a bucket of the shuffle plan takes while built (automatic bucket count), {@code >= 1}. */
      public Builder bucketBytes(long value) {
        this.bucketBytes = value;
        return this;
      }

      /** Output path; null to only search. */
      public Builder output(String value) {
        this.output = value;
        return this;
      }

      public Builder format(ResultWriter.Format value) {
        this.format = Objects.requireNonNull(value, "format");
        return this;
      }

      public Builder overwrite(boolean value) {
        this.overwrite = value;
        return this;
      }

      /** Also write the JSON report at {@code path} (replaced only with overwrite); null for none. */
      public Builder report(String path) {
        this.report = path;
        return this;
      }

      /**
       * Checks every value and names the first bad one.
       *
       * @throws IllegalArgumentException for k &lt; 1, candidates &lt; k, a cell budget &lt; 1, a
       *     re-rank depth &lt; k, or a negative partition count or query block
       */
      public Params build() {
        if (cellBudget) {
          options.candidates(SearchOptions.UNLIMITED_CANDIDATES);
        }
        SearchOptions checked = options.build();
        if (!cellBudget && checked.candidates() < checked.k()) {
          throw new IllegalArgumentException("candidates must be >= k=" + checked.k() + ", got "
              + checked.candidates());
        }
        PARTITIONS.check(partitions);
        if (broadcastBytes < 0) {
          throw new IllegalArgumentException("broadcast threshold must be >= 0 bytes, got " + broadcastBytes);
        }
        if (bucketBytes < 1) {
          throw new IllegalArgumentException("bucket limit must be >= 1 byte, got " + bucketBytes);
        }
        return new Params(this, checked);
      }
    }
  }

  /** The results of {@link #search}: cached per query number; {@link #release()} when done. */
  public static final class Outcome {
    private final JavaPairRDD<Long, PartialResult> results;
    private final JavaPairRDD<Long, QueryRow> queries;
    private final DataType queryIdType;
    private final SearchReport report;
    private final TaskTimes times;
    private final IdDictionary dictionary;

    Outcome(JavaPairRDD<Long, PartialResult> results, JavaPairRDD<Long, QueryRow> queries, DataType queryIdType,
        SearchReport report, TaskTimes times, IdDictionary dictionary) {
      this.results = results;
      this.queries = queries;
      this.queryIdType = queryIdType;
      this.report = report;
      this.times = times;
      this.dictionary = dictionary;
    }

    /**
     * The results as output rows ({@code query_id, rank, neighbor_id, distance}), ordered by query
     * then rank, with the index's own ids (strings mapped back from their keys).
     */
    public Dataset<Row> rows(SparkSession spark) {
      return ResultWriter.toRows(spark, results, queryIdType, dictionary);
    }

    /**
     * Each query's neighbours (and id and counters), keyed by the query's 0-based number in the
     * input. Neighbour ids are the index's long ids, or for string ids their {@link IdDictionary}
     * keys (use {@link #rows}).
     */
    public JavaPairRDD<Long, PartialResult> results() {
      return results;
    }

    /** The type of the query ids (long or string). */
    public DataType queryIdType() {
      return queryIdType;
    }

    public SearchReport report() {
      return report;
    }

    /** Drops the cached data. */
    public void release() {
      results.unpersist(false);
      queries.unpersist(false);
      times.close();
      if (dictionary != null) {
        dictionary.release();
      }
    }
  }

  /**
   * Searches and writes the results to {@link Params#output()}.
   *
   * @param raw the raw vectors of the index (long ids), for re-ranking; null without re-ranking
   * @return the report (also printed by the command and written with the results)
   * @throws IllegalArgumentException (or {@link InvalidInputException}) for bad input or parameters
   * @throws IOException if the output exists (without overwrite) or cannot be written
   */
  public static SearchReport run(SparkSession spark, LopqModel model, SearchIndex index, VectorDataset queries,
      VectorDataset raw, Params params) throws IOException {
    if (params.output() == null) {
      throw new IllegalArgumentException("no output path given");
    }
    Path output = new Path(params.output());
    FileSystem fs = output.getFileSystem(spark.sparkContext().hadoopConfiguration());
    ResultWriter.checkTarget(fs, output, params.overwrite());
    Path extraReport = params.report() == null ? null : new Path(params.report());
    FileSystem reportFs = extraReport == null ? null : extraReport.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (extraReport != null && reportFs.exists(extraReport) && !params.overwrite()) {
      throw new FileAlreadyExistsException("report " + extraReport + " already exists (use --overwrite to replace it)");
    }
    Outcome outcome = search(spark, model, index, queries, raw, params);
    try {
      SearchReport report = outcome.report();
      report.setting("output", fs.makeQualified(output).toString()).setting("format", params.format().name());
      TaskTimes.Stages clock = outcome.times.stages(report::stage);
      clock.begin(SearchReport.WRITE);
      ResultWriter.write(outcome.rows(spark), fs, output,
          params.format(), params.overwrite(), report.toJson());
      clock.end();
      try (OutputStream out = fs.create(new Path(output, ResultWriter.REPORT_FILE), true)) {
        out.write(report.toJson().getBytes(StandardCharsets.UTF_8));
      }
      if (extraReport != null) {
        AtomicCommit.commit(reportFs, extraReport, params.overwrite(), AtomicCommit.ANY, (f, temporary) -> {
          try (OutputStream out = f.create(temporary, false)) {
            out.write(report.toJson().getBytes(StandardCharsets.UTF_8));
          }
        });
      }
      return report;
    } finally {
      outcome.release();
    }
  }

  /**
   * Searches without writing: the results stay cached in the returned outcome.
   *
   * @see #run
   */
  public static Outcome search(SparkSession spark, LopqModel model, SearchIndex index, VectorDataset queries,
      VectorDataset raw, Params params) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(queries, "queries");
    DataType indexIdType = index.rows().schema().apply(SearchIndex.ID).dataType();
    boolean stringIds = indexIdType.equals(DataTypes.StringType);
    checkInputs(model, indexIdType, queries, raw, params);
    ModelFit.check(spark.sparkContext(), model, "of fingerprint " + model.fingerprint());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = params.partitions() > 0 ? params.partitions() : 2 * jsc.defaultParallelism();
    SearchReport report = new SearchReport()
        .blas(BlasReport.section(spark.sparkContext()))
        .setting("k", params.k())
        .setting("candidates", params.candidates() == Long.MAX_VALUE ? "all" : params.candidates())
        .setting("cells", params.maxCells() == SearchOptions.UNLIMITED_CELLS ? "unlimited" : params.maxCells())
        .setting("rerankDepth", params.rerankDepth())
        .setting("excludeSelf", params.excludeSelf())
        .setting("tables", params.exactTables() ? "per-query" : "batched")
        .setting("queryBlock", params.queryBlock())
        .setting("model", model.fingerprint())
        .setting("shape", List.of(model.dimension(), model.coarseClusters(), model.subquantizers(),
            model.subquantizerClusters()));

    TaskTimes times = TaskTimes.register(spark.sparkContext());
    TaskTimes.Stages clock = times.stages(report::stage);
    JavaPairRDD<Long, QueryRow> numbered = null;
    JavaPairRDD<Long, RoutedQuery> routed = null;
    IdDictionary dictionary = null;
    List<Broadcast<?>> broadcasts = new ArrayList<>();
    try {
      clock.begin(SearchReport.INDEX);
      CellCounts counts = IndexSummary.summarize(index, model);
      report.indexFact("rows", counts.totalRows())
          .indexFact("cells", counts.cells())
          .indexFact("largestCell", counts.maxCount())
          .indexFact("idType", indexIdType.simpleString());
      Dataset<Row> indexRows = index.rows().select(SearchIndex.ID, SearchIndex.COARSE0, SearchIndex.COARSE1,
          SearchIndex.CODES);
      Dataset<Row> rawRows = raw == null ? null : raw.rows().select(VectorSchema.ID, VectorSchema.VECTOR);
      if (stringIds) {
        dictionary = IdDictionary.of(spark, indexRows);
        indexRows = dictionary.toKeys(indexRows);
        rawRows = rawRows == null ? null : dictionary.toKeys(rawRows);
      }

      clock.begin(SearchReport.QUERIES);
      numbered = number(queries, jsc.defaultParallelism(), params.excludeSelf() ? dictionary : null);
      long queryCount = numbered.count();
      report.queries(queryCount);

      clock.begin(SearchReport.PLAN);
      Broadcast<SerializableModel> sharedModel = remember(broadcasts, jsc.broadcast(new SerializableModel(model)));
      Broadcast<CellCounts> sharedCounts = remember(broadcasts, jsc.broadcast(counts));
      SearchOptions settings = params.options();
      LongAccumulator tables = jsc.sc().longAccumulator("lopq search tables built");
      long indexBytes = counts.totalRows() * (model.subquantizers() + Params.ROW_OVERHEAD_BYTES);
      Plan plan = params.plan() != Plan.AUTO ? params.plan()
          : indexBytes <= params.broadcastBytes() ? Plan.BROADCAST : Plan.SHUFFLE;
      report.setting("plan", plan.name()).indexFact("bytes", indexBytes);
      JavaPairRDD<Long, PartialResult> adc;
      if (plan == Plan.BROADCAST) {
        CellBlock block = AdcSearch.collectIndex(indexRows, counts, model.subquantizers(), index.description());
        Broadcast<CellBlock> sharedIndex = remember(broadcasts, jsc.broadcast(block));
        clock.begin(SearchReport.SEARCH);
        adc = AdcSearch.broadcast(numbered, sharedModel, sharedCounts, sharedIndex, settings, tables);
      } else {
        // Serialized: a few compact arrays per query for Kryo, where a deserialized cache has Spark estimate
        // the size of every query's objects (SizeEstimator, a visible share of planning at 10,000 queries).
        routed = AdcSearch.route(numbered, sharedModel, sharedCounts, settings)
            .persist(Storage.SPILLABLE);
        long[] requests = AdcSearch.requestCounts(routed, counts.cells());
        long shippedBytes = BucketPlan.shippedBytes(counts, requests, model.subquantizers());
        long bucketLimit = bucketLimit(params, ExecutorMemory.of(spark.sparkContext()));
        int bucketCount = params.partitions() > 0 ? params.partitions()
            : BucketPlan.bucketsFor(counts, requests, model.subquantizers(), bucketLimit, partitions);
        BucketPlan buckets = BucketPlan.create(counts, requests, bucketCount);
        report.setting("buckets", bucketCount)
            .setting("bucketsBy", bucketsBy(params, bucketLimit, partitions, bucketCount, shippedBytes))
            .workFact("visitedRows", BucketPlan.visitedRows(counts, requests))
            .workFact("bucketBuildMb", shippedBytes / (double) (1 << 20) / bucketCount)
            .workFact("units", buckets.units())
            .workFact("splitCells", buckets.splitCells())
            .workFact("bucketCostMaxOverMean", maxOverMean(buckets.bucketCosts()));
        Broadcast<BucketPlan> sharedPlan = remember(broadcasts, jsc.broadcast(buckets));
        clock.begin(SearchReport.SEARCH);
        adc = AdcSearch.shuffle(routed, indexRows, index.description(), sharedModel, sharedCounts, sharedPlan,
            settings, tables);
      }
      adc = adc.persist(StorageLevel.MEMORY_AND_DISK());
      adc.count();
      if (routed != null) {
        routed.unpersist(false);
        routed = null;
      }
      JavaPairRDD<Long, PartialResult> results = adc;
      if (params.reranks()) {
        clock.begin(SearchReport.RERANK);
        ExactRerank.Reranked reranked = ExactRerank.rerank(adc, numbered, rawRows, model.dimension(), params.k(),
            partitions);
        results = reranked.results().persist(StorageLevel.MEMORY_AND_DISK());
        results.count();
        adc.unpersist(false);
        report.setting("rerankRawVectors", reranked.inPlace() ? "in place (disjoint id ranges)" : "shuffled by id");
      }
      clock.end();
      summarizeWork(results, queryCount, tables.value(), report);
      return new Outcome(results, numbered, queries.idType(), report, times, dictionary);
    } catch (Exception | Error e) { // also the checked SparkException, thrown undeclared
      clock.end();
      times.close();
      if (numbered != null) {
        numbered.unpersist(false);
      }
      if (routed != null) {
        routed.unpersist(false);
      }
      if (dictionary != null) {
        dictionary.release();
      }
      throw e;
    } finally {
      for (Broadcast<?> b : broadcasts) {
        b.unpersist(false);
      }
    }
  }

  private static void checkInputs(LopqModel model, DataType indexIdType, VectorDataset queries, VectorDataset raw,
      Params params) {
    if (queries.dimension() != model.dimension()) {
      throw new InvalidInputException("the queries have dimension " + queries.dimension() + ", the model expects D="
          + model.dimension());
    }
    if (params.excludeSelf() && !queries.idType().equals(indexIdType)) {
      throw new IllegalArgumentException("--exclude-self compares query ids with index ids, which are "
          + indexIdType.simpleString() + "s; the queries have " + queries.idType().simpleString() + " ids");
    }
    if (params.reranks()) {
      if (raw == null) {
        throw new IllegalArgumentException("re-ranking needs the raw vectors of the index");
      }
      if (raw.dimension() != model.dimension()) {
        throw new InvalidInputException("the raw vectors have dimension " + raw.dimension()
            + ", the model expects D=" + model.dimension());
      }
      if (!raw.idType().equals(indexIdType)) {
        throw new IllegalArgumentException("the raw vectors must have " + indexIdType.simpleString()
            + " ids as the index, got " + raw.idType().simpleString());
      }
    }
  }

  /**
   * The queries keyed by their 0-based number in the input, spread over at least
   * {@code parallelism} partitions; with a dictionary, string ids get their index keys (for
   * self-joins).
   */
  private static JavaPairRDD<Long, QueryRow> number(VectorDataset queries, int parallelism, IdDictionary dictionary) {
    JavaPairRDD<Long, QueryRow> numbered = VectorBlocks.of(queries).vectors()
        .zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), new QueryRow(t._1()._1(), t._1()._2())));
    if (dictionary != null && queries.idType().equals(DataTypes.StringType)) {
      numbered = numbered.mapToPair(q -> new Tuple2<>((String) q._2().id(), q))
          .leftOuterJoin(dictionary.pairs())
          .mapToPair(j -> new Tuple2<>(j._2()._1()._1(), j._2()._1()._2().withSelfKey(j._2()._2().orElse(null))));
    }
    if (numbered.getNumPartitions() < parallelism) {
      numbered = numbered.repartition(parallelism);
    }
    return numbered.persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static void summarizeWork(JavaPairRDD<Long, PartialResult> results, long queryCount, long tablesBuilt,
      SearchReport report) {
    long[] totals = results.values().map(r -> new long[] {r.scanned(), r.scanned(), r.cellsVisited(),
        r.cellsVisited(), r.size()})
        .fold(new long[5], (a, b) -> new long[] {a[0] + b[0], Math.max(a[1], b[1]), a[2] + b[2],
            Math.max(a[3], b[3]), a[4] + b[4]});
    double n = Math.max(1, queryCount);
    report.workFact("candidatesMean", totals[0] / n)
        .workFact("candidatesMax", totals[1])
        .workFact("cellsVisitedMean", totals[2] / n)
        .workFact("cellsVisitedMax", totals[3])
        .workFact("tablesBuilt", tablesBuilt)
        .workFact("tablesPerQuery", tablesBuilt / n)
        .workFact("neighboursReturned", totals[4]);
  }

  /**
   * The most one bucket of the shuffle plan may take while built: {@code --bucket-mb}, but at most
   * half of a running task's share of an executor's Spark memory, so that a small heap gets more,
   * smaller buckets instead of an {@code OutOfMemoryError} while a bucket is built.
   *
   * <pre>
   *   limit = min(--bucket-mb, max(1 MiB, ExecutorMemory#perTaskBytes / 2))
   * </pre>
   */
  static long bucketLimit(Params params, ExecutorMemory memory) {
    return Math.min(params.bucketBytes(), Math.max(MIN_BUCKET_BYTES, memory.perTaskBytes() / TASK_SHARE_PER_BUCKET));
  }

  /** Why the shuffle plan has this many buckets (for the report). */
  static String bucketsBy(Params params, long bucketLimit, int minimum, int buckets, long shippedBytes) {
    if (params.partitions() > 0) {
      return "--partitions";
    }
    String need = String.format(Locale.ROOT, "visited rows take %.1f MiB while built, at most %.1f MiB per bucket",
        shippedBytes / (double) (1 << 20), bucketLimit / (double) (1 << 20));
    if (bucketLimit < params.bucketBytes()) {
      need += String.format(Locale.ROOT, " (--bucket-mb %.0f, capped at half a task's share of executor memory)",
          params.bucketBytes() / (double) (1 << 20));
    }
    return buckets > minimum ? need : "2 x parallelism (" + minimum + "); " + need;
  }

  private static double maxOverMean(long[] values) {
    long max = 0;
    double sum = 0;
    for (long v : values) {
      max = Math.max(max, v);
      sum += v;
    }
    return sum > 0 ? max / (sum / values.length) : 0;
  }

  private static <T> Broadcast<T> remember(List<Broadcast<?>> broadcasts, Broadcast<T> b) {
    broadcasts.add(b);
    return b;
  }

}
