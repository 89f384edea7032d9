package io.lopq.spark.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.spark.common.ExecutorMemory;
import io.lopq.cli.Failures;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.io.fs.FailingLocalFileSystem;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.search.AdcTables;
import io.lopq.search.ExactSearcher;
import io.lopq.search.InMemorySearcher;
import io.lopq.search.SearchOptions;
import io.lopq.search.SearchResult;
import io.lopq.search.TopK;
import io.lopq.search.batch.PartialResult;
import io.lopq.spark.common.SharedSpark;
import io.lopq.spark.search.SearchJob.Params;
import io.lopq.spark.search.SearchJob.Plan;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed search on local Spark against the in-memory searcher, exact search and bad input. */
class SearchJobTest {
  @Test
  void aBucketIsCappedByHalfATasksShareOfExecutorMemory() {
    Params params = Params.builder().build();
    long mib = 1L << 20;
    // 512 MiB heap, 2 tasks: (512 - 300) MiB x 0.6 = 127.2 MiB, 63.6 per task, half of it per bucket.
    long small = SearchJob.bucketLimit(params, new ExecutorMemory(512 * mib, 0.6, 2, "x"));
    assertEquals((long) ((512 - 300) * mib * 0.6) / 2 / 2, small);
    assertEquals(params.bucketBytes(), SearchJob.bucketLimit(params, new ExecutorMemory(8192 * mib, 0.6, 2, "x")));
    assertEquals(mib, SearchJob.bucketLimit(params, new ExecutorMemory(301 * mib, 0.6, 8, "x")), "at least 1 MiB");
    String why = SearchJob.bucketsBy(params, small, 4, 10, 300 * mib);
    assertTrue(why.contains("at most 31.8 MiB per bucket") && why.contains("--bucket-mb 64, capped"), why);
    assertFalse(SearchJob.bucketsBy(params, params.bucketBytes(), 4, 10, 300 * mib).contains("capped"));
  }

  private static final int N = 2000;
  private static final int QUERIES = 40;
  private static final int K = 10;
  private static final int CANDIDATES = 150;
  private static SearchFixtures data;
  private static SearchFixtures skewed;

  @TempDir File temp;

  @BeforeAll
  static void fixtures() {
    data = new SearchFixtures(1, N, QUERIES, false);
    skewed = new SearchFixtures(2, N, QUERIES, true);
  }

  private static SparkSession spark() {
    return SharedSpark.session();
  }

  private static Map<Long, PartialResult> search(SearchFixtures f, Params params) {
    SearchJob.Outcome outcome = SearchJob.search(spark(), f.model, f.index(spark()), f.queries(spark()),
        f.raw(spark()), params);
    try {
      return outcome.results().collectAsMap();
    } finally {
      outcome.release();
    }
  }

  private static void assertSameAs(SearchResult[] expected, Map<Long, PartialResult> actual, boolean bitExact) {
    assertEquals(expected.length, actual.size(), "one result per query");
    for (int q = 0; q < expected.length; q++) {
      PartialResult r = actual.get((long) q);
      assertEquals((long) q, r.queryId(), "query id of query " + q);
      assertArrayEquals(expected[q].ids(), r.ids(), "ids of query " + q);
      for (int i = 0; i < expected[q].size(); i++) {
        double tolerance = bitExact ? 0 : 1e-5 * Math.max(1, expected[q].distance(i));
        assertEquals(expected[q].distance(i), r.distances()[i], tolerance, "distance " + i + " of query " + q);
      }
    }
  }

  @Test
  void bothPlansGiveTheInMemorySearchersResults() {
    SearchResult[] expected = data.searcher().search(data.queries, QUERIES, SearchOptions.of(K, CANDIDATES));
    for (Plan plan : List.of(Plan.BROADCAST, Plan.SHUFFLE)) {
      Params exact = Params.builder().k(K).candidates(CANDIDATES).plan(plan).partitions(3).queryBlock(7)
          .exactTables(true).build();
      assertSameAs(expected, search(data, exact), true);
      Params batched = Params.builder().k(K).candidates(CANDIDATES).plan(plan).partitions(3).queryBlock(16).build();
      assertSameAs(expected, search(data, batched), false);
    }
  }

  @Test
  void candidatesCoveringTheCorpusGiveTheBruteForceAdcRanking() {
    AdcTables tables = new AdcTables(data.model);
    SearchResult[] expected = new SearchResult[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      tables.setQuery(data.query(q));
      TopK top = new TopK(K);
      for (int i = 0; i < N; i++) {
        top.offer(data.ids[i], tables.distance(data.codes.coarse(0, i), data.codes.coarse(1, i),
            data.codes.fineArray(), data.codes.fineOffset(i)));
      }
      expected[q] = top.drain();
    }
    Params params = Params.builder().k(K).candidates(N).plan(Plan.SHUFFLE).partitions(4).exactTables(true).build();
    assertSameAs(expected, search(data, params), true);
  }

  @Test
  void rerankingAtFullDepthGivesExactSearch() {
    SearchResult[] expected = new ExactSearcher(data.vectors, N, SearchFixtures.D, data.ids)
        .search(data.queries, QUERIES, K);
    for (Plan plan : List.of(Plan.BROADCAST, Plan.SHUFFLE)) {
      Params params = Params.builder().k(K).candidates(N).rerankDepth(N).plan(plan).partitions(3).build();
      Map<Long, PartialResult> results = search(data, params);
      for (int q = 0; q < QUERIES; q++) {
        PartialResult r = results.get((long) q);
        assertArrayEquals(expected[q].ids(), r.ids(), plan + ": ids of query " + q);
        for (int i = 0; i < K; i++) {
          assertEquals(expected[q].distance(i), r.distances()[i], 1e-9 * expected[q].distance(i));
        }
      }
    }
  }

  @Test
  void partialRerankingGivesTheInMemorySearchersResultsWithRawVectorsShuffledOrInPlace() {
    SearchOptions options = SearchOptions.of(K, CANDIDATES).withRerank(3 * K);
    SearchResult[] expected = data.searcher().search(data.queries, QUERIES, options);
    Params params = Params.builder().k(K).candidates(CANDIDATES).rerankDepth(3 * K).plan(Plan.SHUFFLE)
        .partitions(3).exactTables(true).build();
    assertSameAs(expected, search(data, params), true);
    SearchJob.Outcome outcome = SearchJob.search(spark(), data.model, data.index(spark()), data.queries(spark()),
        data.rawSortedById(spark()), params);
    try {
      assertSameAs(expected, outcome.results().collectAsMap(), true);
    } finally {
      outcome.release();
    }
  }

  @Test
  void aCellBudgetVisitsAsManyCellsAsTheInMemorySearcher() {
    SearchOptions options = SearchOptions.of(K, Integer.MAX_VALUE).withCellBudget(5);
    SearchResult[] expected = data.searcher().search(data.queries, QUERIES, options);
    Params params = Params.builder().k(K).cells(5).plan(Plan.BROADCAST).exactTables(true).build();
    assertSameAs(expected, search(data, params), true);
  }

  @Test
  void aSkewedIndexIsSplitAcrossTasksAndStillGivesTheSameResults() {
    SearchResult[] expected = skewed.searcher().search(skewed.queries, QUERIES, SearchOptions.of(K, 1200));
    Params params = Params.builder().k(K).candidates(1200).plan(Plan.SHUFFLE).partitions(4).exactTables(true)
        .build();
    SearchJob.Outcome outcome = SearchJob.search(spark(), skewed.model, skewed.index(spark()),
        skewed.queries(spark()), null, params);
    try {
      assertSameAs(expected, outcome.results().collectAsMap(), true);
      SearchReport report = outcome.report();
      assertTrue(((Number) report.work("splitCells")).intValue() >= 1, "the big cell was split: " + report.toMap());
      assertTrue(((Number) report.work("bucketCostMaxOverMean")).doubleValue() < 2.0,
          "buckets are balanced: " + report.toMap());
    } finally {
      outcome.release();
    }
  }

  @Test
  void theAutomaticBucketCountFollowsTheBucketLimitAndFewOrManyBucketsGiveTheSameResults() {
    for (SearchFixtures f : List.of(data, skewed)) {
      SearchResult[] expected = f.searcher().search(f.queries, QUERIES, SearchOptions.of(K, CANDIDATES));
      int minimum = 2 * spark().sparkContext().defaultParallelism();
      int previous = 0;
      // The default limit (one bucket's worth of a tiny index: the minimum), then limits of ~1/7 and ~1/40 of it.
      for (long bucketBytes : new long[] {Params.BUCKET_MB.defaultValue() << 20, 6_000, 1_000}) {
        Params params = Params.builder().k(K).candidates(CANDIDATES).plan(Plan.SHUFFLE).bucketBytes(bucketBytes)
            .exactTables(true).build();
        SearchJob.Outcome outcome = SearchJob.search(spark(), f.model, f.index(spark()), f.queries(spark()), null,
            params);
        try {
          assertSameAs(expected, outcome.results().collectAsMap(), true);
          SearchReport report = outcome.report();
          int buckets = ((Number) report.setting("buckets")).intValue();
          long visited = ((Number) report.work("visitedRows")).longValue();
          assertTrue(visited > 0 && visited <= N, "visited rows " + visited);
          assertTrue(buckets >= minimum, "at least 2 x parallelism: " + buckets);
          assertTrue(buckets > previous, "a smaller limit gives more buckets: " + buckets + " after " + previous);
          assertTrue(((Number) report.work("bucketBuildMb")).doubleValue() <= bucketBytes / (double) (1 << 20),
              report.toMap().toString());
          assertTrue(String.valueOf(report.setting("bucketsBy")).contains("MiB per bucket"), report.toMap().toString());
          previous = buckets;
        } finally {
          outcome.release();
        }
      }
      assertTrue(previous > 20, "many buckets at the smallest limit: " + previous);
    }
    assertThrows(IllegalArgumentException.class, () -> Params.builder().bucketBytes(0).build());
  }

  @Test
  void selfJoinLeavesEachItemOutOfItsOwnNeighbours() {
    int selfQueries = 30;
    float[] corpusQueries = java.util.Arrays.copyOf(data.vectors, selfQueries * SearchFixtures.D);
    long[] queryIds = java.util.Arrays.copyOf(data.ids, selfQueries);
    VectorDataset queries = SearchFixtures.vectors(spark(), corpusQueries, queryIds, selfQueries, SearchFixtures.D);
    InMemorySearcher searcher = data.searcher();
    for (Plan plan : List.of(Plan.BROADCAST, Plan.SHUFFLE)) {
      Params params = Params.builder().k(K).candidates(CANDIDATES).excludeSelf(true).plan(plan).partitions(3)
          .exactTables(true).build();
      SearchJob.Outcome outcome = SearchJob.search(spark(), data.model, data.index(spark()), queries, null, params);
      Map<Long, PartialResult> results = outcome.results().collectAsMap();
      outcome.release();
      for (int q = 0; q < selfQueries; q++) {
        SearchResult withSelf = searcher.search(java.util.Arrays.copyOfRange(corpusQueries, q * SearchFixtures.D,
            (q + 1) * SearchFixtures.D), SearchOptions.of(K + 1, CANDIDATES));
        long self = queryIds[q];
        long[] expected = java.util.Arrays.stream(withSelf.ids()).filter(id -> id != self).limit(K).toArray();
        PartialResult r = results.get((long) q);
        assertEquals(self, r.queryId());
        assertArrayEquals(expected, r.ids(), plan + ": query " + q);
        assertFalse(java.util.Arrays.stream(r.ids()).anyMatch(id -> id == self));
      }
    }
  }

  @Test
  void stringIdsRankTiesByIdAndComeBackInTheOutputAlsoInASelfJoinWithReRanking() {
    // Long keys in string order: the in-memory searcher over them is the reference.
    String[] names = new String[N];
    for (int i = 0; i < N; i++) {
      names[i] = SearchFixtures.name(data.ids[i]);
    }
    String[] sorted = names.clone();
    java.util.Arrays.sort(sorted);
    long[] keys = new long[N];
    for (int i = 0; i < N; i++) {
      keys[i] = java.util.Arrays.binarySearch(sorted, names[i]);
    }
    InMemorySearcher byKey = new InMemorySearcher(data.model, keys, data.codes, data.vectors);
    int selfQueries = 20;
    float[] corpusQueries = java.util.Arrays.copyOf(data.vectors, selfQueries * SearchFixtures.D);
    String[] queryNames = java.util.Arrays.copyOf(names, selfQueries);
    VectorDataset queries = SearchFixtures.namedVectors(spark(), corpusQueries, queryNames, selfQueries,
        SearchFixtures.D);
    VectorDataset raw = SearchFixtures.namedVectors(spark(), data.vectors, names, N, SearchFixtures.D);
    Params params = Params.builder().k(K).candidates(CANDIDATES).rerankDepth(2 * K).excludeSelf(true)
        .plan(Plan.SHUFFLE).partitions(3).exactTables(true).build();
    SearchJob.Outcome outcome = SearchJob.search(spark(), data.model, data.indexWithStringIds(spark()), queries, raw,
        params);
    List<Row> rows;
    try {
      rows = outcome.rows(spark()).collectAsList();
    } finally {
      outcome.release();
    }
    assertEquals(selfQueries * K, rows.size());
    for (int q = 0; q < selfQueries; q++) {
      SearchResult withSelf = byKey.search(java.util.Arrays.copyOfRange(corpusQueries, q * SearchFixtures.D,
          (q + 1) * SearchFixtures.D), SearchOptions.of(K + 1, CANDIDATES).withRerank(2 * K + 1));
      long self = keys[q];
      long[] expected = java.util.Arrays.stream(withSelf.ids()).filter(id -> id != self).limit(K).toArray();
      for (int i = 0; i < K; i++) {
        Row row = rows.get(q * K + i);
        assertEquals(queryNames[q], row.getString(0), "rows ordered by query");
        assertEquals(i + 1, row.getInt(1));
        assertEquals(sorted[(int) expected[i]], row.getString(2), "query " + q + " rank " + (i + 1));
      }
    }
  }

  @Test
  void writesCsvWithHeaderAndParquetAtomicallyAndRefusesAnExistingOutput() throws IOException {
    SearchResult[] expected = data.searcher().search(data.queries, QUERIES, SearchOptions.of(K, CANDIDATES));
    File csv = new File(temp, "results.csv");
    Params params = Params.builder().k(K).candidates(CANDIDATES).exactTables(true).output(csv.getPath())
        .format(ResultWriter.Format.CSV).build();
    SearchReport report = SearchJob.run(spark(), data.model, data.index(spark()), data.queries(spark()), null, params);
    assertEquals(QUERIES, report.queries());
    assertTrue(report.searchQueriesPerSecond() > 0);
    File[] parts = csv.listFiles((dir, name) -> name.startsWith("part-") && name.endsWith(".csv"));
    List<String> lines = Files.readAllLines(parts[0].toPath());
    assertEquals("query_id,rank,neighbor_id,distance", lines.get(0));
    assertTrue(new File(csv, ResultWriter.REPORT_FILE).isFile(), "report written with the results");
    String json = Files.readString(new File(csv, ResultWriter.REPORT_FILE).toPath());
    assertTrue(json.contains("\"searchQueriesPerSecond\"") && json.contains("\"write\""), json);

    assertThrows(FileAlreadyExistsException.class,
        () -> SearchJob.run(spark(), data.model, data.index(spark()), data.queries(spark()), null, params));

    File parquet = new File(temp, "results.parquet");
    Params toParquet = Params.builder().k(K).candidates(CANDIDATES).exactTables(true).output(parquet.getPath())
        .build();
    SearchJob.run(spark(), data.model, data.index(spark()), data.queries(spark()), null, toParquet);
    List<Row> rows = spark().read().parquet(parquet.getPath()).collectAsList();
    assertEquals(QUERIES * K, rows.size());
    Map<Long, List<Row>> byQuery = rows.stream().collect(Collectors.groupingBy(r -> r.getLong(0)));
    for (int q = 0; q < QUERIES; q++) {
      List<Row> rowsOfQuery = byQuery.get((long) q);
      rowsOfQuery.sort((a, b) -> Integer.compare(a.getInt(1), b.getInt(1)));
      for (int i = 0; i < K; i++) {
        assertEquals(i + 1, rowsOfQuery.get(i).getInt(1));
        assertEquals(expected[q].id(i), rowsOfQuery.get(i).getLong(2));
        assertEquals(expected[q].distance(i), rowsOfQuery.get(i).getDouble(3));
      }
    }
    // Overwrite replaces results, but not a folder that holds something else.
    SearchJob.run(spark(), data.model, data.index(spark()), data.queries(spark()), null,
        Params.builder().k(1).candidates(CANDIDATES).output(parquet.getPath()).overwrite(true).build());
    assertEquals(QUERIES, spark().read().parquet(parquet.getPath()).count());
    File other = new File(temp, "not-results");
    assertTrue(other.mkdir());
    IOException refused = assertThrows(IOException.class, () -> SearchJob.run(spark(), data.model,
        data.index(spark()), data.queries(spark()), null,
        Params.builder().k(1).candidates(CANDIDATES).output(other.getPath()).overwrite(true).build()));
    assertTrue(refused.getMessage().contains("does not hold lopq search results"), refused.getMessage());
  }

  @Test
  void aDiskThatFillsUpWhileResultsAreWrittenFailsClearlyAndLeavesNoResults() throws IOException {
    Configuration hadoop = spark().sparkContext().hadoopConfiguration();
    // Every part file of the results fails after 1 KB: the disk is full.
    FailingLocalFileSystem.install(hadoop, "part-", 1024);
    try {
      String output = FailingLocalFileSystem.path(new File(temp, "full").toPath()).toString();
      Exception full = assertThrows(Exception.class, () -> SearchJob.run(spark(), data.model, data.index(spark()),
          data.queries(spark()), null, Params.builder().k(K).candidates(CANDIDATES).output(output).build()));
      assertTrue(Failures.userMessage(full).contains("no space left"), Failures.userMessage(full));
    } finally {
      FailingLocalFileSystem.uninstall(hadoop);
    }
    try (var left = Files.walk(temp.toPath())) {
      assertEquals(List.of(), left.filter(f -> !f.equals(temp.toPath())).map(f -> temp.toPath().relativize(f).toString()).toList(),
          "no results and nothing staged after the failed write");
    }
  }

  @Test
  void anIndexRowWithBadCodesOrNoIdOrCellIsRefusedNamingTheIndexInBothPlans() {
    SearchIndex good = data.index(spark());
    Dataset<Row> rows = good.rows();
    long victim = data.ids[N / 2];
    Column isVictim = functions.col(SearchIndex.ID).equalTo(victim);
    Column shortCodes = functions.when(isVictim, functions.substring(functions.col(SearchIndex.CODES), 1, 3))
        .otherwise(functions.col(SearchIndex.CODES));
    Map<String, Dataset<Row>> bad = Map.of(
        "whose codes are not 4 bytes (the model's M=4): the row of id " + victim + " has 3 bytes",
        rows.withColumn(SearchIndex.CODES, shortCodes),
        "has rows with a null id",
        rows.withColumn(SearchIndex.ID, functions.when(isVictim, functions.lit(null)).otherwise(
            functions.col(SearchIndex.ID))),
        "has rows without a cell",
        rows.withColumn(SearchIndex.COARSE1, functions.when(isVictim, functions.lit(null)).otherwise(
            functions.col(SearchIndex.COARSE1))),
        "outside [0, 8)^2",
        rows.withColumn(SearchIndex.COARSE0, functions.when(isVictim, functions.lit(SearchFixtures.V)).otherwise(
            functions.col(SearchIndex.COARSE0))));
    for (Map.Entry<String, Dataset<Row>> e : bad.entrySet()) {
      SearchIndex index = new SearchIndex(e.getValue(), data.model.fingerprint(), "bad-index");
      for (Plan plan : new Plan[] {Plan.BROADCAST, Plan.SHUFFLE}) {
        File out = new File(temp, "bad-rows-" + plan);
        // Every row is a candidate, so the search reads the victim's codes whichever cell it is in.
        Params params = Params.builder().k(K).candidates(N).plan(plan).output(out.getPath()).build();
        Exception failure = assertThrows(Exception.class,
            () -> SearchJob.run(spark(), data.model, index, data.queries(spark()), null, params));
        String message = Failures.userMessage(failure);
        assertTrue(message.startsWith("the encoded index bad-index ") && message.contains(e.getKey()),
            plan + ": " + message);
        assertFalse(out.exists(), "nothing written");
      }
    }
  }

  @Test
  void badInputFailsClearlyAndLeavesNoOutput() {
    File out = new File(temp, "bad");
    Params params = Params.builder().k(K).candidates(CANDIDATES).output(out.getPath()).build();
    // Queries of another dimension.
    VectorDataset narrow = SearchFixtures.vectors(spark(), new float[8 * 3], new long[] {0, 1, 2}, 3, 8);
    Exception e = assertThrows(InvalidInputException.class,
        () -> SearchJob.run(spark(), data.model, data.index(spark()), narrow, null, params));
    assertTrue(Failures.userMessage(e).contains("dimension 8"), e.getMessage());
    // An index encoded by another model.
    SearchIndex foreign = new SearchIndex(data.index(spark()).rows(), skewed.model.fingerprint(), "other-index");
    e = assertThrows(IllegalArgumentException.class,
        () -> SearchJob.run(spark(), data.model, foreign, data.queries(spark()), null, params));
    assertTrue(e.getMessage().contains(skewed.model.fingerprint()) && e.getMessage().contains(
        data.model.fingerprint()), e.getMessage());
    // Parameters.
    e = assertThrows(IllegalArgumentException.class, () -> Params.builder().k(0).build());
    assertTrue(e.getMessage().contains("k must be >= 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Params.builder().k(10).candidates(5).build());
    assertTrue(e.getMessage().contains("candidates must be >= k=10"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Params.builder().k(10).rerankDepth(5).build());
    assertTrue(e.getMessage().contains("rerank depth"), e.getMessage());
    assertFalse(out.exists(), "nothing written");
    assertEquals(0, temp.listFiles((dir, name) -> name.startsWith(".")).length, "no temporary left");
  }
}
