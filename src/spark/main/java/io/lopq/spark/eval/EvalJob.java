package io.lopq.spark.eval;

import io.lopq.spark.common.StageApi;

import static org.apache.spark.sql.functions.col;

import io.lopq.eval.EvalReport;
import io.lopq.eval.RecallTotals;
import io.lopq.eval.SweepPoint;
import io.lopq.io.fs.AtomicCommit;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import io.lopq.param.Check;
import io.lopq.param.Param;
import io.lopq.spark.common.BlasReport;
import io.lopq.spark.common.TaskTimes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * {@code lopq eval}: how well search results match the exact nearest neighbours.
 *
 * <pre>
 *   results (query_id, rank, neighbor_id, distance)  --group by query--+
 *                                                                      +-- cogroup --&gt; per query: QueryRecall
 *   ground truth (query_id -&gt; true ids, nearest first) ---------------+              --&gt; RecallTotals, summed
 *
 *   Recall@R   = share of queries whose true nearest neighbour is among their first R results
 *   k-recall@k = mean |first k results ∩ true top k| / k
 * </pre>
 *
 * The ground truth is read from an {@code .ivecs} file or computed from the base and the queries
 * (and optionally saved as {@code .ivecs}): by {@link StreamingGroundTruthJob}, one pass over the
 * base with memory flat in its size, when the queries can be broadcast, else by
 * {@link GroundTruthJob}. Every query of the results
 * must be in the ground truth; queries of the ground truth without results are not evaluated.
 * Each query's ranks must run 1..n without gaps or repeats, its neighbour ids must be distinct and,
 * when the base is known, exist in it (with only an {@code .ivecs} ground truth, whose ids are row
 * numbers, they must be non-negative). A candidate sweep ({@link CandidateSweep}) runs a search at
 * several candidates values and scores each run against the same ground truth. Outputs (the report
 * folder, the saved ground truth) appear only after every check passed, each all at once
 * ({@link AtomicCommit}).
 */
@StageApi
public final class EvalJob {
  /** The Recall@R cutoffs reported by default (and by a sweep). */
  private static final int[] DEFAULT_CUTOFFS = {1, 10, 100};
  /** Ground-truth depth when it is saved for reuse: enough for Recall@100 and k up to 100. */
  public static final int SAVED_GROUND_TRUTH_DEPTH = GroundTruthJob.Params.K.defaultValue();
  /** How many missing ids an error message lists. */
  private static final int MISSING_IDS_SHOWN = 5;
  /** Task-time labels of the two parts of a run: the ground truth (read or computed), the measures. */
  private static final String GROUND_TRUTH_STAGE = "groundTruth", EVAL_STAGE = "eval";

  private EvalJob() {}

  /** The Recall@R cutoffs reported by default and by a sweep: 1, 10, 100. */
  public static int[] defaultCutoffs() {
    return DEFAULT_CUTOFFS.clone();
  }

  /**
   * What to evaluate and where to write, the settings declared once ({@link Param}). Immutable;
   * build with {@link #builder()}, whose {@link Builder#build()} checks the combination.
   */
  public static final class Params {
    /** The k of k-recall@k. */
    public static final Param<Integer> K = Param.ofInt("k", "The k of k-recall@k", 10, Check.atLeast(1));
    /** Neighbours per query of a computed ground truth. */
    public static final Param<Integer> GROUND_TRUTH_DEPTH = Param.ofInt("groundTruthDepth",
        "Neighbours per query of a computed ground truth (0: automatic)", 0, Check.atLeast(0))
        .label("ground-truth depth")
        .defaultText("k, or max(k, " + SAVED_GROUND_TRUTH_DEPTH + ") when saved");

    private final String results;
    private final String resultsFormat;
    private final String groundTruthFile;
    private final GroundTruthJob.Params groundTruthJob;
    private final VectorInput base;
    private final int k;
    private final int[] cutoffs;
    private final int groundTruthDepth;
    private final String saveGroundTruth;
    private final String reportDir;
    private final boolean overwrite;
    private final CandidateSweep.Search sweepSearch;
    private final int[] sweepCandidates;

    private Params(Builder b, GroundTruthJob.Params groundTruthJob) {
      this.results = b.results;
      this.resultsFormat = b.resultsFormat;
      this.groundTruthFile = b.groundTruthFile;
      this.groundTruthJob = groundTruthJob;
      this.base = b.base;
      this.k = b.k;
      this.cutoffs = b.cutoffs.clone();
      this.groundTruthDepth = b.groundTruthDepth;
      this.saveGroundTruth = b.saveGroundTruth;
      this.reportDir = b.reportDir;
      this.overwrite = b.overwrite;
      this.sweepSearch = b.sweepSearch;
      this.sweepCandidates = b.sweepCandidates == null ? null : b.sweepCandidates.clone();
    }

    /** A builder: give the results (or a sweep) and the ground truth (a file, or the base and queries). */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder starting from these parameters. */
    public Builder toBuilder() {
      Builder b = new Builder();
      b.results = results;
      b.resultsFormat = resultsFormat;
      b.groundTruthFile = groundTruthFile;
      if (groundTruthJob != null) {
        b.truthQueries = groundTruthJob.queries();
        b.groundTruthBlocks(groundTruthJob.queryBlockRows(), groundTruthJob.baseBlockRows());
      }
      b.base = base;
      b.k = k;
      b.cutoffs = cutoffs.clone();
      b.groundTruthDepth = groundTruthDepth;
      b.saveGroundTruth = saveGroundTruth;
      b.reportDir = reportDir;
      b.overwrite = overwrite;
      b.sweepSearch = sweepSearch;
      b.sweepCandidates = sweepCandidates;
      return b;
    }

    /** Builds {@link Params}; setters return {@code this}. */
    public static final class Builder {
      private String results;
      private String resultsFormat;
      private String groundTruthFile;
      private VectorInput truthQueries;
      private int queryBlockRows = GroundTruthJob.Params.QUERY_BLOCK_ROWS.defaultValue();
      private int baseBlockRows = GroundTruthJob.Params.BASE_BLOCK_ROWS.defaultValue();
      private VectorInput base;
      private int k = K.defaultValue();
      private int[] cutoffs = DEFAULT_CUTOFFS;
      private int groundTruthDepth = GROUND_TRUTH_DEPTH.defaultValue();
      private String saveGroundTruth;
      private String reportDir;
      private boolean overwrite;
      private CandidateSweep.Search sweepSearch;
      private int[] sweepCandidates;

      private Builder() {}

      /** The search results to evaluate; null if only sweeping or saving the ground truth. */
      public Builder results(String path) {
        this.results = path;
        return this;
      }

      /** The results' format: "parquet" or "csv" (null: from the path, ".csv" means CSV). */
      public Builder resultsFormat(String format) {
        this.resultsFormat = format;
        return this;
      }

      /** The {@code .ivecs} ground truth to evaluate against. */
      public Builder groundTruthFile(String path) {
        if (path == null || path.isBlank()) {
          throw new IllegalArgumentException("ground-truth path is empty");
        }
        this.groundTruthFile = path;
        return this;
      }

      /** Evaluates against the exact neighbours of {@code queries} in {@code base} ({@link GroundTruthJob}). */
      public Builder computeGroundTruth(VectorInput baseVectors, VectorInput queries) {
        this.base = Objects.requireNonNull(baseVectors, "base");
        this.truthQueries = Objects.requireNonNull(queries, "queries");
        return this;
      }

      /** The base the results were searched in, to check neighbour ids (implied when computing the truth). */
      public Builder base(VectorInput baseVectors) {
        this.base = baseVectors;
        return this;
      }

      /** The k of k-recall@k ({@link #K}). */
      public Builder k(int value) {
        this.k = value;
        return this;
      }

      /** The Recall@R cutoffs (default 1, 10, 100). */
      public Builder cutoffs(int... values) {
        this.cutoffs = values.clone();
        return this;
      }

      /** Neighbours per query of a computed ground truth ({@link #GROUND_TRUTH_DEPTH}; 0: automatic). */
      public Builder groundTruthDepth(int depth) {
        this.groundTruthDepth = depth;
        return this;
      }

      /** Also writes the computed ground truth as {@code .ivecs} at {@code path}. */
      public Builder saveGroundTruth(String path) {
        this.saveGroundTruth = path;
        return this;
      }

      /** Writes the report ({@value EvalReport#FILE_NAME}) into the folder {@code dir}. */
      public Builder reportDir(String dir) {
        this.reportDir = dir;
        return this;
      }

      /** Whether existing outputs (a previous report folder, a ground-truth file) may be replaced. */
      public Builder overwrite(boolean value) {
        this.overwrite = value;
        return this;
      }

      /** Block sizes of the exact search that computes the ground truth. */
      public Builder groundTruthBlocks(int queryRows, int baseRows) {
        this.queryBlockRows = queryRows;
        this.baseBlockRows = baseRows;
        return this;
      }

      /**
       * Also runs {@code search} at each of {@code candidates} and scores every run against the same
       * ground truth (a candidate sweep: tables and charts in the report folder).
       */
      public Builder sweep(CandidateSweep.Search search, int... candidates) {
        this.sweepSearch = Objects.requireNonNull(search, "search");
        this.sweepCandidates = candidates.clone();
        return this;
      }

      /**
       * The parameters.
       *
       * @throws IllegalArgumentException naming what is missing, bad or does not go together
       */
      public Params build() {
        if (results != null && results.isBlank()) {
          throw new IllegalArgumentException("results path is empty");
        }
        if (sweepSearch != null) {
          CandidateSweep.requireCandidates(sweepCandidates);
        }
        if ((groundTruthFile == null) == (truthQueries == null)) {
          throw new IllegalArgumentException(
              "give either a ground-truth file or the base and queries to compute it from");
        }
        K.check(k);
        if (cutoffs.length == 0 || Arrays.stream(cutoffs).anyMatch(r -> r < 1)) {
          throw new IllegalArgumentException("Recall@R cutoffs must be >= 1, got " + Arrays.toString(cutoffs));
        }
        GROUND_TRUTH_DEPTH.check(groundTruthDepth);
        if (groundTruthDepth != 0 && groundTruthDepth < k) {
          throw new IllegalArgumentException("ground-truth depth " + groundTruthDepth + " is below k = " + k
              + "; k-recall@k needs the true top k");
        }
        if (saveGroundTruth != null && truthQueries == null) {
          throw new IllegalArgumentException("the ground truth can only be saved when it is computed (from the "
              + "base and queries), not when it is read from " + groundTruthFile);
        }
        GroundTruthJob.Params truth = null;
        if (truthQueries != null) {
          truth = GroundTruthJob.Params.builder(base, truthQueries).blockRows(queryBlockRows, baseBlockRows).build();
        }
        return new Params(this, truth);
      }
    }

    /** True if a candidate sweep is asked for. */
    public boolean sweeps() {
      return sweepSearch != null;
    }

    public String results() {
      return results;
    }

    public int k() {
      return k;
    }

    public int[] cutoffs() {
      return cutoffs.clone();
    }

    public String reportDir() {
      return reportDir;
    }

    public String saveGroundTruth() {
      return saveGroundTruth;
    }

    /** The depth a computed ground truth gets. */
    int effectiveGroundTruthDepth() {
      if (groundTruthDepth != 0) {
        return groundTruthDepth;
      }
      return saveGroundTruth != null ? Math.max(k, SAVED_GROUND_TRUTH_DEPTH) : k;
    }
  }

  /** A ground truth as eval uses it: ids per query, and where it came from. */
  private record Truth(JavaPairRDD<Long, long[]> ids, long queries, int depth, String source, boolean computed,
      GroundTruth computedTruth) {}

  /**
   * Evaluates the results and writes the outputs asked for.
   *
   * @throws InvalidInputException for missing or malformed results or ground truth, ids that are
   *     not in the ground truth or the base, or bad ranks
   * @throws FileAlreadyExistsException if an output exists and overwrite is off
   */
  public static EvalReport run(SparkSession spark, Params params) throws IOException {
    Objects.requireNonNull(params, "params");
    if (params.results == null && !params.sweeps() && params.saveGroundTruth == null) {
      throw new IllegalArgumentException("nothing to do: give search results, a candidate sweep, or a path to save "
          + "the computed ground truth at");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    checkOutputFree(params.reportDir, params.overwrite, conf, "report folder", REPORTS_ONLY);
    checkOutputFree(params.saveGroundTruth, params.overwrite, conf, "ground truth output", GroundTruth.FILES_ONLY);
    Dataset<Row> results = params.results == null ? null
        : SearchResultsInput.read(spark, params.results, params.resultsFormat);
    TaskTimes times = TaskTimes.register(spark.sparkContext());
    TaskTimes.Span truthSpan = times.start(GROUND_TRUTH_STAGE);
    Truth truth;
    try {
      truth = groundTruth(spark, params);
    } catch (Exception | Error e) { // also the checked SparkException, thrown undeclared
      times.close();
      throw e;
    }
    double truthSeconds = truthSpan.end().seconds();
    try {
      TaskTimes.Span evalSpan = times.start(EVAL_STAGE);
      RecallTotals totals = null;
      if (results != null) {
        totals = evaluate(results, truth.ids(), truth.queries(), params.cutoffs, params.k, params.base == null);
        if (totals.queries() == 0) {
          throw new InvalidInputException("results " + params.results + " have no rows");
        }
        if (params.base != null) {
          requireNeighborsInBase(spark, results, params.base);
        }
      }
      double evalSeconds = evalSpan.end().seconds();
      List<SweepPoint> sweep = params.sweeps()
          ? CandidateSweep.run(params.sweepSearch, params.sweepCandidates, truth.ids(), truth.queries(), params.k)
          : List.of();
      if (params.saveGroundTruth != null) {
        truth.computedTruth().saveIvecs(params.saveGroundTruth, params.overwrite, conf);
      }
      EvalReport report = new EvalReport(params.results, truth.source(), truth.computed(), truth.queries(),
          truth.depth(), truthSeconds, totals, evalSeconds, sweep, params.k).blas(BlasReport.section(spark.sparkContext()));
      if (params.reportDir != null) {
        List<ReportFile> files = new ArrayList<>();
        files.add(new ReportFile(EvalReport.FILE_NAME, report.toJsonText().getBytes(StandardCharsets.UTF_8)));
        if (!sweep.isEmpty()) {
          files.addAll(CandidateSweep.reportFiles(sweep, params.k));
        }
        writeReport(params.reportDir, params.overwrite, conf, files);
      }
      return report;
    } finally {
      times.close();
      if (truth.computedTruth() != null) {
        truth.computedTruth().release();
      }
    }
  }

  private static Truth groundTruth(SparkSession spark, Params params) {
    if (params.groundTruthFile != null) {
      IvecsGroundTruth file = IvecsGroundTruth.read(spark, params.groundTruthFile, params.k);
      return new Truth(file.ids(), file.queries(), file.depth(), params.groundTruthFile, false, null);
    }
    GroundTruthJob.Params job = params.groundTruthJob.toBuilder().k(params.effectiveGroundTruthDepth()).build();
    // Streaming reads the base once and caches none of it, so memory does not grow with the base;
    // query sets too large to broadcast take the cartesian job, which caches (spillable) base blocks.
    GroundTruth computed = StreamingGroundTruthJob.canBroadcast(spark, job.queries())
        ? StreamingGroundTruthJob.run(spark, job.base(), job.queries(), job.k(), 0,
            StreamingGroundTruthJob.BASE_BLOCK_ROWS.defaultValue())
        : GroundTruthJob.run(spark, job);
    String source = "exact search of queries " + job.queries().path() + " in base " + job.base().path();
    return new Truth(computed.ids(), computed.queries(), computed.depth(), source, true, computed);
  }

  /**
   * The summed per-query measures of {@code results} (normalized by {@link SearchResultsInput})
   * against {@code truth}, computed per query inside Spark.
   *
   * @param truthQueries the number of ground-truth queries (for messages)
   * @param rowNumberIds whether neighbour ids are row numbers, which must be non-negative
   */
  public static RecallTotals evaluate(Dataset<Row> results, JavaPairRDD<Long, long[]> truth, long truthQueries,
      int[] cutoffs, int k, boolean rowNumberIds) {
    int[] r = cutoffs.clone();
    JavaPairRDD<Long, RankedNeighbor> ranked = results.javaRDD().mapToPair(EvalJob::toRanked);
    return ranked.cogroup(truth)
        .mapPartitions(queries -> {
          RecallTotals totals = new RecallTotals(r, k);
          while (queries.hasNext()) {
            Tuple2<Long, Tuple2<Iterable<RankedNeighbor>, Iterable<long[]>>> q = queries.next();
            addQuery(totals, q._1(), q._2()._1(), q._2()._2(), truthQueries, rowNumberIds);
          }
          return List.of(totals).iterator();
        })
        .reduce(RecallTotals::merge);
  }

  /** One returned neighbour of a query. */
  static final class RankedNeighbor implements Serializable {
    private static final long serialVersionUID = 1L;
    final int rank;
    final long id;

    RankedNeighbor(int rank, long id) {
      this.rank = rank;
      this.id = id;
    }
  }

  private static Tuple2<Long, RankedNeighbor> toRanked(Row row) {
    for (int i = 0; i < 3; i++) {
      if (row.isNullAt(i)) {
        throw new InvalidInputException("results row " + row + " has a missing or non-integer "
            + SearchResultsInput.COLUMNS.get(i));
      }
    }
    return new Tuple2<>(row.getLong(0), new RankedNeighbor(row.getInt(1), row.getLong(2)));
  }

  private static void addQuery(RecallTotals totals, long query, Iterable<RankedNeighbor> found,
      Iterable<long[]> truths, long truthQueries, boolean rowNumberIds) {
    Iterator<RankedNeighbor> it = found.iterator();
    if (!it.hasNext()) {
      return;
    }
    Iterator<long[]> truthIt = truths.iterator();
    if (!truthIt.hasNext()) {
      throw new InvalidInputException("query id " + query + " of the results is not in the ground truth, which has "
          + truthQueries + " queries");
    }
    long[] truth = truthIt.next();
    if (truthIt.hasNext()) {
      throw new InvalidInputException("query id " + query + " appears more than once in the ground truth");
    }
    List<RankedNeighbor> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    list.sort((a, b) -> Integer.compare(a.rank, b.rank));
    long[] returned = new long[list.size()];
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < returned.length; i++) {
      RankedNeighbor n = list.get(i);
      if (n.rank != i + 1) {
        throw new InvalidInputException("query id " + query + " of the results has ranks " + ranks(list)
            + "; expected 1.." + list.size() + ", each once");
      }
      if (rowNumberIds && n.id < 0) {
        throw new InvalidInputException("query id " + query + " of the results has neighbour id " + n.id
            + " at rank " + n.rank + "; base ids are row numbers >= 0");
      }
      if (!seen.add(n.id)) {
        throw new InvalidInputException("query id " + query + " of the results lists neighbour id " + n.id
            + " more than once");
      }
      returned[i] = n.id;
    }
    totals.add(returned, truth);
  }

  private static String ranks(List<RankedNeighbor> sorted) {
    int shown = Math.min(sorted.size(), 2 * MISSING_IDS_SHOWN);
    String head = sorted.subList(0, shown).stream().map(n -> String.valueOf(n.rank)).collect(Collectors.joining(","));
    return shown < sorted.size() ? head + ",..." : head;
  }

  /** Fails if a neighbour id of the results is not an id of the base. */
  private static void requireNeighborsInBase(SparkSession spark, Dataset<Row> results, VectorInput base) {
    VectorDataset data = base.load(spark);
    if (!data.idType().equals(DataTypes.LongType)) {
      throw new InvalidInputException("base " + base.path() + " has ids of type " + data.idType().simpleString()
          + ", but result neighbour ids are integers");
    }
    Dataset<Row> neighbors = results.select(col(SearchResultsInput.NEIGHBOR_ID)).distinct();
    Dataset<Row> baseIds = data.rows().select(col(io.lopq.io.vectors.VectorSchema.ID));
    List<Row> missing = neighbors
        .join(baseIds, neighbors.col(SearchResultsInput.NEIGHBOR_ID).equalTo(baseIds.col(io.lopq.io.vectors.VectorSchema.ID)),
            "left_anti")
        .orderBy(col(SearchResultsInput.NEIGHBOR_ID))
        .limit(MISSING_IDS_SHOWN)
        .collectAsList();
    if (!missing.isEmpty()) {
      String ids = missing.stream().map(row -> String.valueOf(row.get(0))).collect(Collectors.joining(", "));
      throw new InvalidInputException("results have neighbour ids that are not in the base " + base.path() + ": "
          + ids + (missing.size() == MISSING_IDS_SHOWN ? ", ..." : ""));
    }
  }

  /** Lets only a report folder (one holding {@value EvalReport#FILE_NAME}) be replaced. */
  private static final AtomicCommit.ReplaceGuard REPORTS_ONLY = (fs, existing) -> {
    if (!existing.isDirectory() || !fs.exists(new Path(existing.getPath(), EvalReport.FILE_NAME))) {
      throw new IOException("refusing to replace " + existing.getPath() + ": it is not a report folder (no "
          + EvalReport.FILE_NAME + " inside)");
    }
  };

  /** One file of a report folder. */
  public record ReportFile(String name, byte[] content) {}

  /**
   * Writes {@code files} into the folder {@code dir}, all at once. An existing folder is replaced
   * only with {@code overwrite}, and only if it looks like a report (holds {@value EvalReport#FILE_NAME}).
   */
  public static void writeReport(String dir, boolean overwrite, Configuration conf, List<ReportFile> files)
      throws IOException {
    Path target = new Path(dir);
    FileSystem fs = target.getFileSystem(conf);
    AtomicCommit.commit(fs, target, overwrite, REPORTS_ONLY, (f, temporary) -> {
      if (!f.mkdirs(temporary)) {
        throw new IOException("could not create " + temporary);
      }
      for (ReportFile file : files) {
        try (OutputStream out = f.create(new Path(temporary, file.name()), false)) {
          out.write(file.content());
        }
      }
    });
  }

  /** Fails early (before any expensive work) if an output could not be written at the end. */
  private static void checkOutputFree(String path, boolean overwrite, Configuration conf, String what,
      AtomicCommit.ReplaceGuard guard) throws IOException {
    if (path == null) {
      return;
    }
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      return;
    }
    if (!overwrite) {
      throw new FileAlreadyExistsException(what + " " + path + " already exists (use --overwrite to replace it)");
    }
    guard.check(fs, fs.getFileStatus(p));
  }
}
