package io.lopq.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;

import io.lopq.eval.RecallTotals;
import io.lopq.io.fs.AtomicCommit;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import io.lopq.io.vectors.VectorSchema;
import io.lopq.spark.eval.EvalJob;
import io.lopq.spark.eval.GroundTruth;
import io.lopq.spark.eval.GroundTruthJob;
import io.lopq.spark.eval.IvecsGroundTruth;
import io.lopq.spark.eval.SearchResultsInput;
import io.lopq.spark.common.Sessions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.ml.feature.BucketedRandomProjectionLSH;
import org.apache.spark.ml.feature.BucketedRandomProjectionLSHModel;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The nearest-neighbour searches a Spark user would reach for without this project, run on the
 * same data and scored against the same exact ground truth:
 *
 * <ol>
 *   <li><b>Exact cross join</b>: {@code queries.crossJoin(base)}, a squared-distance column
 *       (built-in array functions, or a UDF over ML vectors with {@code Vectors.sqdist}), then
 *       {@code row_number()} over a window per query ordered by distance, keeping the first k.
 *   <li><b>MLlib LSH</b>: {@link BucketedRandomProjectionLSH} fitted on the base, then
 *       {@code approxSimilarityJoin(base, queries, threshold)}, then the same window top-k.
 *       BRP hashes each vector to {@code floor(x.v / bucketLength)} for one random unit vector v
 *       per table; a pair is a candidate if it shares a bucket in any table.
 *   <li>For reference, this project's exact {@link GroundTruthJob} (blocked matrix products).
 * </ol>
 *
 * Both baselines compare every query with (a large share of) the base, so {@code --queries-limit}
 * runs them on the first N queries (by id); the report gives the measured time and the time scaled
 * linearly to all queries (their work is linear in the queries; the fixed costs are small next to
 * it). The exact ground truth is computed for all queries and not scaled. Recall@R counts a query
 * without any result as a miss.
 *
 * <p>Run through {@code scripts/dev/bench-baselines}.
 */
@Command(name = "bench-baselines", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Spark's exact cross join and MLlib's BucketedRandomProjectionLSH, timed and scored.")
public final class SparkBaselines implements Callable<Integer> {
  /** The Recall@R cutoffs reported. */
  static final int[] CUTOFFS = {1, 10, 100};
  /** The k of k-recall@k reported. */
  static final int RECALL_K = 10;
  /** Name of the distance column of the baselines. */
  private static final String DISTANCE = SearchResultsInput.DISTANCE;
  private static final String QUERY_VECTOR = "query_vector";
  private static final String BASE_VECTOR = "base_vector";
  private static final String FEATURES = "features";
  private static final String HASHES = "hashes";
  private static final double NANOS_PER_SECOND = 1e9;

  @Option(names = "--base", required = true, paramLabel = "PATH", description = "Base vectors (e.g. .fvecs).")
  String base;

  @Option(names = "--queries", required = true, paramLabel = "PATH", description = "Query vectors.")
  String queries;

  @Option(names = "--queries-limit", defaultValue = "1000", paramLabel = "N",
      description = "Run the baselines on the first N queries by id; 0 = all (default ${DEFAULT-VALUE}). The exact "
          + "ground truth always covers all queries.")
  int queriesLimit;

  @Option(names = "--k", defaultValue = "100", paramLabel = "K",
      description = "Neighbours returned per query (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--ground-truth", paramLabel = "GT.ivecs",
      description = "Exact neighbours (row q = query q); default: computed by GroundTruthJob (and timed).")
  String groundTruth;

  @Option(names = "--cross-join", split = ",", defaultValue = "udf", paramLabel = "DISTANCE",
      description = "Cross-join variants to run: udf (Vectors.sqdist on ML vectors), sql (aggregate(zip_with(...))),"
          + " none (default ${DEFAULT-VALUE}).")
  List<String> crossJoin;

  @Option(names = "--cross-join-queries", defaultValue = "0", paramLabel = "N",
      description = "Run the cross join on only the first N of the baseline queries (0: all of them).")
  int crossJoinQueries;

  @Option(names = "--lsh", split = ",", defaultValue = "20:2,40:3", paramLabel = "LENGTH:TABLES",
      description = "BucketedRandomProjectionLSH settings bucketLength:numHashTables, or none (default ${DEFAULT-VALUE}).")
  List<String> lsh;

  @Option(names = "--lsh-queries", defaultValue = "0", paramLabel = "N",
      description = "Run LSH on only the first N of the baseline queries (0: all of them).")
  int lshQueries;

  @Option(names = "--lsh-threshold", defaultValue = "Infinity", paramLabel = "DIST",
      description = "Distance threshold of approxSimilarityJoin (default: none, the top k decides).")
  double lshThreshold;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "LSH seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
  String master;

  @Option(names = "--report", paramLabel = "DIR", description = "Folder to write baselines.md and baselines.csv to.")
  String report;

  @Option(names = "--overwrite", description = "Replace an existing report folder.")
  boolean overwrite;

  /** One measured method. */
  record Measurement(String method, String setting, long queries, long allQueries, double seconds,
      double candidatesPerQuery, RecallTotals recall) {
    double scaledSeconds() {
      return seconds * allQueries / Math.max(1, queries);
    }

    double queriesPerSecond() {
      return queries / seconds;
    }
  }

  /** Entry point: {@code SparkBaselines --base B --queries Q [options]}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new SparkBaselines()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (k < CUTOFFS[CUTOFFS.length - 1]) {
      throw new IllegalArgumentException("--k must be at least " + CUTOFFS[CUTOFFS.length - 1] + " for Recall@"
          + CUTOFFS[CUTOFFS.length - 1] + ", got " + k);
    }
    SparkSession spark = Sessions.builder(master, "lopq bench-baselines")
        .config("spark.ui.showConsoleProgress", false).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    VectorDataset baseData = VectorInput.of(base).load(spark);
    VectorDataset queryData = VectorInput.of(queries).load(spark);
    Dataset<Row> baseRows = baseData.rows().select(col(VectorSchema.ID), col(VectorSchema.VECTOR)).cache();
    Dataset<Row> allQueries = queryData.rows().select(col(VectorSchema.ID), col(VectorSchema.VECTOR)).cache();
    long baseCount = baseRows.count();
    long allQueryCount = allQueries.count();
    Dataset<Row> queryRows = limitRows(allQueries, queriesLimit);
    long queryCount = queryRows.count();
    System.out.printf(Locale.ROOT, "base %d x %d, queries %d (baselines run on %d), k %d, %s, %d cores%n", baseCount,
        baseData.dimension(), allQueryCount, queryCount, k, spark.sparkContext().master(),
        spark.sparkContext().defaultParallelism());

    List<Measurement> measured = new ArrayList<>();
    JavaPairRDD<Long, long[]> truth;
    long truthQueries;
    if (groundTruth != null) {
      IvecsGroundTruth file = IvecsGroundTruth.read(spark, groundTruth, RECALL_K);
      truth = file.ids();
      truthQueries = file.queries();
    } else {
      // All queries: the blocked exact search is fast enough, and its cost is not linear in the
      // queries (reading and blocking the base is a fixed cost), so it is not scaled.
      GroundTruthJob.Params params = GroundTruthJob.Params.builder(VectorInput.of(base), VectorInput.of(queries)).k(k)
          .build();
      GroundTruth computed = GroundTruthJob.run(spark, new VectorDataset(baseRows, baseData.dimension(), null),
          new VectorDataset(allQueries, queryData.dimension(), null), params);
      truth = computed.ids().cache();
      truthQueries = computed.queries();
      measured.add(new Measurement("exact kNN, blocked gemm (this project's GroundTruthJob)", "k=" + k,
          computed.queries(), computed.queries(), computed.seconds(), baseCount, perfect(computed)));
      print(measured.get(measured.size() - 1));
    }

    for (String variant : crossJoin) {
      if (variant.equalsIgnoreCase("none")) {
        continue;
      }
      Dataset<Row> q = limitRows(queryRows, crossJoinQueries);
      long n = q.count();
      long started = System.nanoTime();
      Dataset<Row> top = topK(crossJoinPairs(q, baseRows, variant)).cache();
      top.count();
      double seconds = (System.nanoTime() - started) / NANOS_PER_SECOND;
      RecallTotals recall = score(top, truth, truthQueries, n);
      top.unpersist();
      measured.add(new Measurement("exact cross join + window top-k", "distance: " + describe(variant), n,
          allQueryCount, seconds, baseCount, recall));
      print(measured.get(measured.size() - 1));
    }

    for (String setting : lsh) {
      if (setting.equalsIgnoreCase("none")) {
        continue;
      }
      String[] parts = setting.split(":");
      if (parts.length != 2) {
        throw new IllegalArgumentException("--lsh setting '" + setting + "' is not bucketLength:numHashTables");
      }
      double bucketLength = Double.parseDouble(parts[0]);
      int tables = Integer.parseInt(parts[1]);
      Dataset<Row> q = limitRows(queryRows, lshQueries);
      long n = q.count();
      long started = System.nanoTime();
      Dataset<Row> pairs = lshPairs(baseRows, q, bucketLength, tables).cache();
      long candidates = pairs.count();
      Dataset<Row> top = topK(pairs).cache();
      top.count();
      double seconds = (System.nanoTime() - started) / NANOS_PER_SECOND;
      RecallTotals recall = score(top, truth, truthQueries, n);
      top.unpersist();
      pairs.unpersist();
      measured.add(new Measurement("MLlib BucketedRandomProjectionLSH.approxSimilarityJoin + window top-k",
          String.format(Locale.ROOT, "bucketLength=%s, numHashTables=%d", parts[0], tables), n, allQueryCount,
          seconds, (double) candidates / n, recall));
      print(measured.get(measured.size() - 1));
    }

    String markdown = markdown(measured);
    System.out.println();
    System.out.print(markdown);
    if (report != null) {
      writeReport(spark, markdown, csv(measured));
    }
    return 0;
  }

  /** Recall of the exact ground truth against itself: 1 by definition, computed for the table's sake. */
  private static RecallTotals perfect(GroundTruth truth) {
    return truth.ids().values().map(ids -> {
      RecallTotals t = new RecallTotals(CUTOFFS, RECALL_K);
      t.add(ids, ids);
      return t;
    }).reduce(RecallTotals::merge);
  }

  private static Dataset<Row> limitRows(Dataset<Row> rows, int limit) {
    return limit <= 0 ? rows : rows.orderBy(col(VectorSchema.ID)).limit(limit).cache();
  }

  /**
   * All (query, base) pairs with their squared distance, the way a Spark user writes it: a cross
   * join and a distance column.
   */
  static Dataset<Row> crossJoinPairs(Dataset<Row> queries, Dataset<Row> base, String variant) {
    Dataset<Row> q = queries.select(col(VectorSchema.ID).as(SearchResultsInput.QUERY_ID),
        col(VectorSchema.VECTOR).as(QUERY_VECTOR));
    Dataset<Row> b = base.select(col(VectorSchema.ID).as(SearchResultsInput.NEIGHBOR_ID),
        col(VectorSchema.VECTOR).as(BASE_VECTOR));
    Column distance;
    switch (variant.toLowerCase(Locale.ROOT)) {
      case "sql" -> distance = expr("aggregate(zip_with(" + QUERY_VECTOR + ", " + BASE_VECTOR
          + ", (x, y) -> (x - y) * (x - y)), 0D, (acc, v) -> acc + v)");
      case "udf" -> {
        UserDefinedFunction sqdist = udf((UDF2<Vector, Vector, Double>) Vectors::sqdist, DataTypes.DoubleType);
        q = q.withColumn(QUERY_VECTOR, functions.array_to_vector(col(QUERY_VECTOR)));
        b = b.withColumn(BASE_VECTOR, functions.array_to_vector(col(BASE_VECTOR)));
        distance = sqdist.apply(col(QUERY_VECTOR), col(BASE_VECTOR));
      }
      default -> throw new IllegalArgumentException("unknown cross-join distance '" + variant
          + "', expected udf, sql or none");
    }
    return q.crossJoin(b).select(col(SearchResultsInput.QUERY_ID), col(SearchResultsInput.NEIGHBOR_ID),
        distance.as(DISTANCE));
  }

  /**
   * Candidate pairs of MLlib's LSH similarity join, as (query_id, neighbor_id, distance) with the
   * Euclidean distance squared (to match the other methods; the order is the same).
   */
  Dataset<Row> lshPairs(Dataset<Row> base, Dataset<Row> queries, double bucketLength, int tables) {
    Dataset<Row> b = base.select(col(VectorSchema.ID), functions.array_to_vector(col(VectorSchema.VECTOR)).as(FEATURES));
    Dataset<Row> q = queries.select(col(VectorSchema.ID),
        functions.array_to_vector(col(VectorSchema.VECTOR)).as(FEATURES));
    BucketedRandomProjectionLSHModel model = new BucketedRandomProjectionLSH()
        .setInputCol(FEATURES).setOutputCol(HASHES)
        .setBucketLength(bucketLength).setNumHashTables(tables).setSeed(seed)
        .fit(b);
    return model.approxSimilarityJoin(b, q, lshThreshold, DISTANCE)
        .select(col("datasetB." + VectorSchema.ID).as(SearchResultsInput.QUERY_ID),
            col("datasetA." + VectorSchema.ID).as(SearchResultsInput.NEIGHBOR_ID),
            col(DISTANCE).multiply(col(DISTANCE)).as(DISTANCE));
  }

  /** The first k pairs per query by distance (ties by id), ranked from 1: a window per query. */
  Dataset<Row> topK(Dataset<Row> pairs) {
    WindowSpec byDistance = Window.partitionBy(col(SearchResultsInput.QUERY_ID))
        .orderBy(col(DISTANCE), col(SearchResultsInput.NEIGHBOR_ID));
    return pairs.withColumn(SearchResultsInput.RANK, row_number().over(byDistance))
        .where(col(SearchResultsInput.RANK).leq(k))
        .select(col(SearchResultsInput.QUERY_ID), col(SearchResultsInput.RANK).cast(DataTypes.IntegerType)
            .as(SearchResultsInput.RANK), col(SearchResultsInput.NEIGHBOR_ID), col(DISTANCE));
  }

  /** Recall of {@code top} over {@code queries} queries: those without any result count as misses. */
  private static RecallTotals score(Dataset<Row> top, JavaPairRDD<Long, long[]> truth, long truthQueries,
      long queries) {
    RecallTotals totals = EvalJob.evaluate(top, truth, truthQueries, CUTOFFS, RECALL_K, false);
    totals.addEmpty(queries - totals.queries());
    return totals;
  }

  private static String describe(String variant) {
    return variant.equalsIgnoreCase("sql") ? "aggregate(zip_with(q, b, (x, y) -> (x-y)*(x-y)), 0D, +)"
        : "UDF Vectors.sqdist on array_to_vector columns";
  }

  private static void print(Measurement m) {
    System.out.printf(Locale.ROOT, "%s [%s]: %d queries in %.1f s (%.1f queries/s; %.0f s scaled to %d queries); "
        + "candidates/query %.0f; R@1 %.4f R@10 %.4f R@100 %.4f %d-recall@%d %.4f%n",
        m.method(), m.setting(), m.queries(), m.seconds(), m.queriesPerSecond(), m.scaledSeconds(), m.allQueries(),
        m.candidatesPerQuery(), m.recall().recallAt(0), m.recall().recallAt(1), m.recall().recallAt(2), RECALL_K,
        RECALL_K, m.recall().kRecall());
  }

  static String markdown(List<Measurement> measured) {
    StringBuilder sb = new StringBuilder();
    sb.append("| method | setting | queries run | wall s | queries/s | wall s scaled to all queries | candidates/query "
        + "| R@1 | R@10 | R@100 | " + RECALL_K + "-recall@" + RECALL_K + " |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Measurement m : measured) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.0f (%d queries) | %.0f | %.4f | %.4f | %.4f "
          + "| %.4f |%n",
          m.method(), m.setting(), m.queries(), m.seconds(), m.queriesPerSecond(), m.scaledSeconds(), m.allQueries(),
          m.candidatesPerQuery(), m.recall().recallAt(0), m.recall().recallAt(1), m.recall().recallAt(2),
          m.recall().kRecall()));
    }
    return sb.toString();
  }

  static String csv(List<Measurement> measured) {
    StringBuilder sb = new StringBuilder("method,setting,queries,all_queries,seconds,scaled_seconds,queries_per_second,"
        + "candidates_per_query,recall_at_1,recall_at_10,recall_at_100,k_recall_at_" + RECALL_K + "\n");
    for (Measurement m : measured) {
      sb.append(String.format(Locale.ROOT, "\"%s\",\"%s\",%d,%d,%.3f,%.1f,%.3f,%.1f,%.5f,%.5f,%.5f,%.5f%n",
          m.method(), m.setting(), m.queries(), m.allQueries(), m.seconds(), m.scaledSeconds(), m.queriesPerSecond(),
          m.candidatesPerQuery(), m.recall().recallAt(0), m.recall().recallAt(1), m.recall().recallAt(2),
          m.recall().kRecall()));
    }
    return sb.toString();
  }

  private void writeReport(SparkSession spark, String markdown, String csv) throws java.io.IOException {
    Path target = new Path(report);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    AtomicCommit.commit(fs, target, overwrite, AtomicCommit.ANY, (f, temporary) -> {
      f.mkdirs(temporary);
      try (OutputStream out = f.create(new Path(temporary, "baselines.md"), false)) {
        out.write(markdown.getBytes(StandardCharsets.UTF_8));
      }
      try (OutputStream out = f.create(new Path(temporary, "baselines.csv"), false)) {
        out.write(csv.getBytes(StandardCharsets.UTF_8));
      }
    });
    System.out.println("report written to " + report);
  }
}
