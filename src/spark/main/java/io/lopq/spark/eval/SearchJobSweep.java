package io.lopq.spark.eval;

import io.lopq.spark.search.SearchJob;

import static org.apache.spark.sql.functions.col;

import io.lopq.eval.CandidateCoverage;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.model.LopqModel;
import io.lopq.spark.search.SearchIndex;
import io.lopq.spark.search.SearchReport;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The {@link CandidateSweep.Search} of {@code lopq eval --sweep}: runs {@link SearchJob#search}
 * (nothing written) at each candidates value, with the other settings fixed, and hands its cached
 * results to the sweep. Throughput is the search job's own: queries per wall second of the search
 * proper (planning, ADC search, re-ranking), without reading the index and the queries. A
 * candidates value below {@code k} searches for that many neighbours (every candidate ranked is
 * returned), so small budgets of small bases can be swept too. Its {@link #coverage} walks each
 * query's multi-sequence to its true neighbour's cell ({@link CoverageJob}).
 */
public final class SearchJobSweep implements CandidateSweep.Search {
  /** The search job's work counter of candidates ranked per query. */
  static final String CANDIDATES_MEAN = "candidatesMean";

  private final SparkSession spark;
  private final LopqModel model;
  private final SearchIndex index;
  private final VectorDataset queries;
  private final VectorDataset raw;
  private final int k;
  private final int rerankDepth;

  /**
   * @param raw the raw base vectors for exact re-ranking, or null for none
   * @param k neighbours per query searched
   * @param rerankDepth candidates re-ranked exactly per query (0 with {@code raw == null})
   * @throws IllegalArgumentException if the queries do not have integer ids (eval needs them), or
   *     re-ranking is asked without raw vectors
   */
  public SearchJobSweep(SparkSession spark, LopqModel model, SearchIndex index, VectorDataset queries,
      VectorDataset raw, int k, int rerankDepth) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.model = Objects.requireNonNull(model, "model");
    this.index = Objects.requireNonNull(index, "index");
    this.queries = Objects.requireNonNull(queries, "queries");
    if (!queries.idType().equals(DataTypes.LongType)) {
      throw new IllegalArgumentException("eval matches query ids with the ground truth's, which are integers; the "
          + "queries have " + queries.idType().simpleString() + " ids");
    }
    if ((raw == null) != (rerankDepth == 0)) {
      throw new IllegalArgumentException("re-ranking needs both the raw vectors and a depth, got "
          + (raw == null ? "no raw vectors" : "raw vectors") + " and depth " + rerankDepth);
    }
    this.raw = raw;
    this.k = k;
    this.rerankDepth = rerankDepth;
  }

  @Override
  public CandidateSweep.Run search(int candidates) {
    int searched = Math.min(k, candidates);
    SearchJob.Params params = SearchJob.Params.builder().k(searched).candidates(candidates)
        .rerankDepth(rerankDepth).build();
    SearchJob.Outcome outcome = SearchJob.search(spark, model, index, queries, raw, params);
    SearchReport report = outcome.report();
    Dataset<Row> rows = outcome.rows(spark);
    Object ranked = report.work(CANDIDATES_MEAN);
    return new CandidateSweep.Run(normalized(rows), report.queries(), report.searchQueriesPerSecond(),
        ranked instanceof Number n ? n.doubleValue() : Double.NaN, outcome::release);
  }

  @Override
  public CandidateCoverage coverage(JavaPairRDD<Long, Long> nearest) {
    return CoverageJob.measure(spark, model, index, queries, nearest);
  }

  /** The search job's rows in the types {@link SearchResultsInput#SCHEMA} fixes. */
  private static Dataset<Row> normalized(Dataset<Row> rows) {
    StructField[] fields = SearchResultsInput.SCHEMA.fields();
    Column[] columns = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      columns[i] = col(fields[i].name()).cast(fields[i].dataType()).as(fields[i].name());
    }
    return rows.select(columns);
  }
}
