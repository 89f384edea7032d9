package io.lopq.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.spark.common.SharedSpark;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code APPROX NEAREST BY} joins against a {@code lopq} table, planned by {@link LopqExtensions}. */
class NearestByJoinTest {
  static final int N = 2000;
  static final int QUERIES = 40;
  static SparkSession spark;
  static SqlFixtures world;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void setUp() throws Exception {
    spark = SharedSpark.session();
    world = new SqlFixtures(spark, tmp.toFile(), 7, N, QUERIES);
    world.createViews(spark, "corpus", "queries");
  }

  private static String join(String how, int k) {
    return "SELECT q.id AS query_id, c.id AS neighbor_id, vector_l2_distance(q.vector, c.vector) AS distance "
        + "FROM queries q " + how + " corpus c APPROX NEAREST " + k
        + " BY DISTANCE vector_l2_distance(q.vector, c.vector)";
  }

  private static String explain(Dataset<Row> df) {
    String all = df.queryExecution().explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$);
    return all.substring(all.indexOf("== Physical Plan =="));
  }

  @Test
  void approxJoinIsPlannedByTheIndexAndRanksExactly() {
    Dataset<Row> df = spark.sql(join("JOIN", 10));
    String plan = explain(df);
    assertTrue(plan.contains("IndexedNearestBy INNER APPROX NEAREST 10"), plan);
    assertFalse(plan.contains("BroadcastNestedLoopJoin"), plan);
    List<Row> rows = df.collectAsList();
    Map<Long, Set<Long>> found = new HashMap<>();
    for (Row r : rows) {
      long q = r.getLong(0);
      long id = r.getLong(1);
      float distance = r.getFloat(2);
      assertEquals(SqlFixtures.l2(world.queries[(int) q], world.base[(int) id]), distance, 1e-3);
      found.computeIfAbsent(q, x -> new HashSet<>()).add(id);
    }
    assertEquals(QUERIES, found.size());
    int hits = 0;
    for (int q = 0; q < QUERIES; q++) {
      assertEquals(10, found.get((long) q).size());
      for (int id : world.exact(world.queries[q], 10)) {
        hits += found.get((long) q).contains((long) id) ? 1 : 0;
      }
    }
    double recall = hits / (10.0 * QUERIES);
    assertTrue(recall >= 0.9, "10-recall@10 " + recall);
    // The same bound against Spark's own EXACT join (its plan, not ours).
    Dataset<Row> exact = spark.sql(join("JOIN", 10).replace("APPROX", "EXACT"));
    assertTrue(explain(exact).contains("LOPQ index not used: EXACT"), explain(exact));
    long sparkHits = exact.collectAsList().stream()
        .filter(r -> found.get(r.getLong(0)).contains(r.getLong(1))).count();
    assertTrue(sparkHits >= 0.9 * 10 * QUERIES, "10-recall@10 against Spark's EXACT " + sparkHits / (10.0 * QUERIES));
  }

  @Test
  void innerDropsAndLeftOuterKeepsQueryRowsWithoutCandidates() {
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW holes AS "
        + "SELECT id, CASE WHEN id = 0 THEN NULL ELSE vector END AS vector FROM queries");
    String ranking = " APPROX NEAREST 3 BY DISTANCE vector_l2_distance(q.vector, c.vector)";
    Dataset<Row> inner = spark.sql("SELECT q.id, c.id FROM holes q JOIN corpus c" + ranking);
    Dataset<Row> outer = spark.sql("SELECT q.id, c.id FROM holes q LEFT OUTER JOIN corpus c" + ranking);
    assertTrue(explain(outer).contains("IndexedNearestBy LEFT OUTER APPROX NEAREST 3"), explain(outer));
    List<Row> innerRows = inner.collectAsList();
    List<Row> outerRows = outer.collectAsList();
    assertEquals(3 * (QUERIES - 1), innerRows.size());
    assertTrue(innerRows.stream().noneMatch(r -> r.getLong(0) == 0));
    assertEquals(3 * (QUERIES - 1) + 1, outerRows.size());
    List<Row> kept = outerRows.stream().filter(r -> r.getLong(0) == 0).toList();
    assertEquals(1, kept.size());
    assertTrue(kept.get(0).isNullAt(1));
  }

  @Test
  void compositeRankingIsEvaluatedExactlyOnTheCandidates() {
    // Odd ids pay a penalty far above any distance here: the best 5 by the expression are even ids.
    List<Row> rows = spark.sql("SELECT q.id, c.id, vector_l2_distance(q.vector, c.vector) + (c.id % 2) * 1000 AS r "
        + "FROM queries q JOIN corpus c APPROX NEAREST 5 BY DISTANCE "
        + "vector_l2_distance(q.vector, c.vector) + (c.id % 2) * 1000").collectAsList();
    assertEquals(5 * QUERIES, rows.size());
    for (Row r : rows) {
      assertEquals(0, r.getLong(1) % 2, "query " + r.getLong(0) + " got odd id " + r.getLong(1));
    }
  }

  @Test
  void exactJoinsAndJoinsTheIndexCannotServeKeepSparksPlanAndSayWhy() {
    Map<String, String> cases = Map.of(
        "FROM queries q JOIN corpus c EXACT NEAREST 2 BY DISTANCE vector_l2_distance(q.vector, c.vector)",
        "LOPQ index not used: EXACT NEAREST BY",
        "FROM queries q JOIN corpus c APPROX NEAREST 2 BY SIMILARITY vector_inner_product(q.vector, c.vector)",
        "LOPQ index not used: BY SIMILARITY",
        "FROM queries q JOIN corpus c APPROX NEAREST 2 BY DISTANCE -vector_cosine_similarity(q.vector, c.vector)",
        "LOPQ index not used: the ranking expression has no vector_l2_distance",
        "FROM corpus q JOIN queries c APPROX NEAREST 2 BY DISTANCE vector_l2_distance(q.vector, c.vector)",
        "LOPQ index not used: the right side is not a lopq table with the options model and index",
        "FROM queries q JOIN (SELECT * FROM corpus WHERE id > 5) c APPROX NEAREST 2 BY DISTANCE "
            + "vector_l2_distance(q.vector, c.vector)",
        "LOPQ index not used: the right side is not a plain scan of a lopq table (Filter in between");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      Dataset<Row> df = spark.sql("SELECT q.id, c.id " + e.getKey());
      String plan = explain(df);
      assertTrue(plan.contains(e.getValue()), e.getKey() + "\n" + plan);
      assertFalse(plan.contains("IndexedNearestBy"), plan);
      assertTrue(df.count() >= 2L * QUERIES, e.getKey());
    }
  }

  @Test
  void datasetApiIsPlannedByTheIndexToo() {
    Dataset<Row> q = spark.table("queries").as("q");
    Dataset<Row> c = spark.table("corpus").as("c");
    Dataset<Row> df = q.nearestByJoin(c, org.apache.spark.sql.functions.expr("vector_l2_distance(q.vector, c.vector)"),
        4, "approx", "distance", "inner");
    assertTrue(explain(df).contains("IndexedNearestBy INNER APPROX NEAREST 4"), explain(df));
    assertEquals(4L * QUERIES, df.count());
  }

  @Test
  void kLargerThanTheTableGivesEveryRowAndEqualsTheExactJoin() throws Exception {
    SqlFixtures small = new SqlFixtures(spark, tmp.resolve("small").toFile(), 11, 30, 8);
    small.createViews(spark, "small", "small_queries");
    String select = "SELECT q.id, c.id FROM small_queries q JOIN small c ";
    String by = " NEAREST 50 BY DISTANCE vector_l2_distance(q.vector, c.vector)";
    Dataset<Row> approx = spark.sql(select + "APPROX" + by);
    assertTrue(explain(approx).contains("IndexedNearestBy"), explain(approx));
    List<Row> approxRows = approx.collectAsList();
    assertEquals(8 * 30, approxRows.size());
    assertEquals(new HashSet<>(spark.sql(select + "EXACT" + by).collectAsList()), new HashSet<>(approxRows));
    // With every row a candidate, APPROX equals EXACT at any k (here 5: the same 5 nearest).
    String by5 = " NEAREST 5 BY DISTANCE vector_l2_distance(q.vector, c.vector)";
    assertEquals(new HashSet<>(spark.sql(select + "EXACT" + by5).collectAsList()),
        new HashSet<>(spark.sql(select + "APPROX" + by5).collectAsList()));
  }

  @Test
  void anEmptyCorpusGivesNoRowsInnerAndEveryQueryRowOnceLeftOuterAsSparksExactPlan() throws Exception {
    // An empty .fvecs file, encoded (lopq encode writes an empty index for it).
    SqlFixtures none = new SqlFixtures(spark, tmp.resolve("empty").toFile(), 13, 0, 8);
    none.createViews(spark, "empty_corpus", "empty_queries");
    assertEmptyCorpusJoins("empty_queries", "empty_corpus", 8);

    // An empty Parquet file with the table's schema (string ids), encoded too.
    String parquet = tmp.resolve("empty-named.parquet").toString();
    org.apache.spark.sql.types.StructType schema = io.lopq.io.vectors.VectorSchema.of(
        org.apache.spark.sql.types.DataTypes.StringType, List.of());
    spark.createDataFrame(List.<Row>of(), schema).write().parquet(parquet);
    String encoded = tmp.resolve("empty-named-encoded").toString();
    io.lopq.spark.encode.EncodeJob.run(spark, io.lopq.spark.encode.EncodeJob.Params.builder().model(none.model)
        .input(parquet).output(encoded).build());
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW empty_named USING lopq OPTIONS (path '" + parquet + "', model '"
        + none.path("model") + "', index '" + encoded + "')");
    assertEquals(0L, spark.table("empty_named").count());
    assertEquals("string", spark.table("empty_named").schema().apply("id").dataType().simpleString());
    assertEmptyCorpusJoins("empty_queries", "empty_named", 8);
  }

  /** INNER gives no row, LEFT OUTER each query row once with nulls; both as Spark's EXACT plan. */
  private static void assertEmptyCorpusJoins(String queries, String corpus, int queryRows) {
    String select = "SELECT q.id, c.id, c.vector FROM " + queries + " q ";
    String by = " " + corpus + " c APPROX NEAREST 3 BY DISTANCE vector_l2_distance(q.vector, c.vector)";
    Dataset<Row> inner = spark.sql(select + "JOIN" + by);
    Dataset<Row> outer = spark.sql(select + "LEFT OUTER JOIN" + by);
    assertTrue(explain(inner).contains("IndexedNearestBy INNER APPROX NEAREST 3"), explain(inner));
    assertTrue(explain(outer).contains("IndexedNearestBy LEFT OUTER APPROX NEAREST 3"), explain(outer));
    assertEquals(List.of(), inner.collectAsList());
    List<Row> outerRows = outer.collectAsList();
    assertEquals(queryRows, outerRows.size());
    assertEquals(queryRows, outerRows.stream().map(r -> r.getLong(0)).distinct().count());
    assertTrue(outerRows.stream().allMatch(r -> r.isNullAt(1) && r.isNullAt(2)), outerRows.toString());
    for (Dataset<Row> approx : List.of(inner, outer)) {
      String sql = (approx == inner ? select + "JOIN" : select + "LEFT OUTER JOIN") + by;
      Dataset<Row> exact = spark.sql(sql.replace("APPROX", "EXACT"));
      assertEquals(new HashSet<>(exact.collectAsList()), new HashSet<>(approx.collectAsList()), sql);
    }
  }

  @Test
  void anEmptyQuerySideGivesNoRowsAsSparksExactPlan() throws Exception {
    String empty = tmp.resolve("no-queries.fvecs").toString();
    io.lopq.io.vectors.FvecsWriter.writeFvecs(empty, spark.sparkContext().hadoopConfiguration(), List.of());
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW no_queries USING lopq OPTIONS (path '" + empty + "')");
    for (String how : List.of("JOIN", "LEFT OUTER JOIN")) {
      String sql = "SELECT q.id, c.id FROM no_queries q " + how + " corpus c APPROX NEAREST 5 BY DISTANCE "
          + "vector_l2_distance(q.vector, c.vector)";
      Dataset<Row> approx = spark.sql(sql);
      assertTrue(explain(approx).contains("IndexedNearestBy"), explain(approx));
      assertEquals(List.of(), approx.collectAsList(), how);
      assertEquals(List.of(), spark.sql(sql.replace("APPROX", "EXACT")).collectAsList(), how);
    }
  }

  @Test
  void aTableLargerThanMaxTableBytesIsRefusedBeforeAnyJobRuns() throws Exception {
    String query = "SELECT q.id, c.id FROM queries q JOIN corpus c APPROX NEAREST 3 BY DISTANCE "
        + "vector_l2_distance(q.vector, c.vector)";
    assertTrue(explain(spark.sql(query)).contains("table ~226.6 KiB, maxTableBytes=1.0 GiB"),
        explain(spark.sql(query)));
    String key = JoinSettings.CONF_PREFIX + JoinSettings.MAX_TABLE_BYTES.name();
    spark.conf().set(key, "100k");
    try {
      // 2000 rows of (id, 16 floats): 24 + 80 bytes as unsafe rows, + 12 for id and offset.
      // Refused while the physical plan is made: no job has run.
      assertMessage("lopq table " + world.path("base.fvecs") + ": APPROX NEAREST BY collects the table's rows on "
          + "the driver and broadcasts them, about 226.6 KiB (2000 rows x 116 bytes), more than the limit of "
          + "100.0 KiB (" + key + ", or the table option maxTableBytes)",
          () -> spark.sql(query).queryExecution().sparkPlan());
      // A table's option wins over the session's setting; an empty table always fits.
      spark.sql("CREATE OR REPLACE TEMPORARY VIEW roomy USING lopq OPTIONS (" + world.corpusOptions()
          + ", maxTableBytes '1m')");
      assertEquals(3L * QUERIES, spark.sql(query.replace("corpus c", "roomy c")).count());
      spark.conf().set(key, "0");
      new SqlFixtures(spark, tmp.resolve("empty-limit").toFile(), 17, 0, 4).createViews(spark, "nothing", null);
      assertEquals(0L, spark.sql("SELECT q.id, c.id FROM queries q JOIN nothing c APPROX NEAREST 3 BY DISTANCE "
          + "vector_l2_distance(q.vector, c.vector)").count());
      spark.conf().set(key, "lots");
      assertMessage("SQL setting " + key + ": ", () -> spark.sql(query).collectAsList());
    } finally {
      spark.conf().unset(key);
    }
  }

  @Test
  void aStaleIndexIsRefusedUnlessAllowed() throws Exception {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    String part = tmp.resolve("part.fvecs").toString();
    io.lopq.io.vectors.FvecsWriter.writeFvecs(part, conf, java.util.Arrays.asList(world.base).subList(0, N - 10));
    String options = "path '" + part + "', model '" + world.path("model") + "', index '" + world.path("encoded") + "'";
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW stale USING lopq OPTIONS (" + options + ")");
    String query = "SELECT q.id, c.id FROM queries q JOIN stale c APPROX NEAREST 10 BY DISTANCE "
        + "vector_l2_distance(q.vector, c.vector)";
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> spark.sql(query).collectAsList());
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append('\n');
    }
    String message = chain.toString();
    assertTrue(message.contains("has " + (N - 10) + " rows, but the index") && message.contains("is stale")
        && message.contains("allowStaleIndex"), message);
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW stale USING lopq OPTIONS (" + options + ", allowStaleIndex 'true')");
    List<Row> rows = spark.sql(query).collectAsList();
    assertEquals(10 * QUERIES, rows.size());
    assertTrue(rows.stream().allMatch(r -> r.getLong(1) < N - 10));
  }

  @Test
  void aCatalogTableWithLopqPropertiesIsServedByItsIndex() {
    spark.sql("DROP TABLE IF EXISTS corpus_table");
    spark.sql("CREATE TABLE corpus_table USING parquet TBLPROPERTIES ('lopq.model' = '" + world.path("model")
        + "', 'lopq.index' = '" + world.path("encoded") + "', 'lopq.rerankDepth' = '50') AS SELECT * FROM corpus");
    try {
      String by = " c APPROX NEAREST 5 BY DISTANCE vector_l2_distance(q.vector, c.vector)";
      Dataset<Row> df = spark.sql("SELECT q.id, c.id FROM queries q JOIN corpus_table" + by);
      String plan = explain(df);
      assertTrue(plan.contains("IndexedNearestBy INNER APPROX NEAREST 5") && plan.contains("rerankDepth=50")
          && plan.contains("table spark_catalog.default.corpus_table"), plan);
      spark.sql("CREATE OR REPLACE TEMPORARY VIEW corpus50 USING lopq OPTIONS (" + world.corpusOptions()
          + ", rerankDepth '50')");
      assertEquals(new HashSet<>(spark.sql("SELECT q.id, c.id FROM queries q JOIN corpus50" + by).collectAsList()),
          new HashSet<>(df.collectAsList()));
    } finally {
      spark.sql("DROP TABLE IF EXISTS corpus_table");
    }
  }

  @Test
  void resultsEqualTheSearchStageWithExactReRanking() throws Exception {
    io.lopq.io.encoded.EncodedDataset encoded = io.lopq.io.encoded.EncodedDataset.open(spark, world.path("encoded"));
    io.lopq.spark.search.SearchIndex index = new io.lopq.spark.search.SearchIndex(encoded.rows(),
        encoded.modelFingerprint(), encoded.path());
    io.lopq.spark.search.SearchJob.Params params = io.lopq.spark.search.SearchJob.Params.builder().k(10)
        .candidates(JoinSettings.CANDIDATES.defaultValue()).rerankDepth(JoinSettings.RERANK_DEPTH.defaultValue())
        .build();
    io.lopq.spark.search.SearchJob.Outcome outcome = io.lopq.spark.search.SearchJob.search(spark, world.model, index,
        io.lopq.io.vectors.VectorInput.of(world.path("queries.fvecs")).load(spark),
        io.lopq.io.vectors.VectorInput.of(world.path("base.fvecs")).load(spark), params);
    Set<Row> searched;
    try {
      searched = new HashSet<>(outcome.rows(spark).select("query_id", "neighbor_id").collectAsList());
    } finally {
      outcome.release();
    }
    Set<Row> joined = new HashSet<>(spark.sql("SELECT q.id, c.id FROM queries q JOIN corpus c APPROX NEAREST 10 "
        + "BY DISTANCE vector_l2_distance(q.vector, c.vector)").collectAsList());
    assertEquals(10 * QUERIES, searched.size());
    assertEquals(searched, joined);
  }

  @Test
  void badTablesAndJoinsAreRefusedNamingTheTableColumnOrFile() throws Exception {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    String narrow = tmp.resolve("narrow.fvecs").toString();
    io.lopq.io.vectors.FvecsWriter.writeFvecs(narrow, conf, List.of(new float[8], new float[8]));
    String model = world.path("model");
    String encoded = world.path("encoded");
    assertMessage("column vector has dimension 8, the model " + model + " expects D=16",
        () -> spark.sql("CREATE OR REPLACE TEMPORARY VIEW bad USING lopq OPTIONS (path '" + narrow + "', model '"
            + model + "', index '" + encoded + "')"));
    String missing = tmp.resolve("no-index").toString();
    assertMessage("no encoded dataset at file:" + missing,
        () -> spark.sql("CREATE OR REPLACE TEMPORARY VIEW bad USING lopq OPTIONS (path '" + world.path("base.fvecs")
            + "', model '" + model + "', index '" + missing + "')"));
    assertMessage("the options 'model' and 'index' go together",
        () -> spark.sql("CREATE OR REPLACE TEMPORARY VIEW bad USING lopq OPTIONS (path '" + world.path("base.fvecs")
            + "', model '" + model + "')"));
    assertMessage("candidates must be >= 1",
        () -> spark.sql("CREATE OR REPLACE TEMPORARY VIEW bad USING lopq OPTIONS (path '" + world.path("base.fvecs")
            + "', model '" + model + "', index '" + encoded + "', candidates '0')"));
    // Query vectors of another dimension than the index's.
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW short_queries AS SELECT id, slice(vector, 1, 8) AS vector FROM queries");
    assertMessage("has dimension 8, the index of lopq table " + world.path("base.fvecs") + " expects D=16",
        () -> spark.sql("SELECT q.id, c.id FROM short_queries q JOIN corpus c APPROX NEAREST 3 BY DISTANCE "
            + "vector_l2_distance(q.vector, c.vector)").collectAsList());
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable run) {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, run);
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append('\n');
    }
    assertTrue(chain.toString().contains(expected), chain.toString());
  }

  @Test
  void aSelfJoinFindsEachRowFirst() {
    List<Row> rows = spark.sql("SELECT a.id, b.id, vector_l2_distance(a.vector, b.vector) FROM "
        + "(SELECT * FROM corpus WHERE id < 20) a JOIN corpus b APPROX NEAREST 1 BY DISTANCE "
        + "vector_l2_distance(a.vector, b.vector)").collectAsList();
    assertEquals(20, rows.size());
    for (Row r : rows) {
      assertEquals(r.getLong(0), r.getLong(1));
      assertEquals(0f, r.getFloat(2));
    }
  }

  @Test
  void stringIdsAreServedAndCheckedToo() throws Exception {
    List<Row> named = new java.util.ArrayList<>();
    for (int i = 0; i < N; i++) {
      named.add(org.apache.spark.sql.RowFactory.create("doc-" + i, world.base[i]));
    }
    org.apache.spark.sql.types.StructType schema = org.apache.spark.sql.types.DataTypes.createStructType(List.of(
        org.apache.spark.sql.types.DataTypes.createStructField("id", org.apache.spark.sql.types.DataTypes.StringType,
            false),
        org.apache.spark.sql.types.DataTypes.createStructField("vector",
            io.lopq.io.vectors.VectorSchema.VECTOR_TYPE, false)));
    String parquet = tmp.resolve("named.parquet").toString();
    spark.createDataFrame(named, schema).repartition(3).write().parquet(parquet);
    String encoded = tmp.resolve("named-encoded").toString();
    io.lopq.spark.encode.EncodeJob.run(spark, io.lopq.spark.encode.EncodeJob.Params.builder().model(world.model)
        .input(parquet).output(encoded).build());
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW named USING lopq OPTIONS (path '" + parquet + "', model '"
        + world.path("model") + "', index '" + encoded + "')");
    Set<Row> byName = new HashSet<>(spark.sql("SELECT q.id, c.id FROM queries q JOIN named c APPROX NEAREST 5 "
        + "BY DISTANCE vector_l2_distance(q.vector, c.vector)").collectAsList());
    Set<Row> byNumber = new HashSet<>();
    for (Row r : spark.sql("SELECT q.id, c.id FROM queries q JOIN corpus c APPROX NEAREST 5 BY DISTANCE "
        + "vector_l2_distance(q.vector, c.vector)").collectAsList()) {
      byNumber.add(org.apache.spark.sql.RowFactory.create(r.getLong(0), "doc-" + r.getLong(1)));
    }
    assertEquals(byNumber, byName);
  }
}
