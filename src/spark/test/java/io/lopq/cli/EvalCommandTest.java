package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.spark.eval.EvalTesting;
import io.lopq.spark.common.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lopq eval} through the real command line: good runs and every kind of bad input. */
class EvalCommandTest {
  private static final int D = 6;
  private static final int BASE_ROWS = 50;
  private static final int QUERIES = 4;

  @TempDir static Path dir;
  private static String base;
  private static String queries;
  private static String truth;
  private static String goodResults;

  @BeforeAll
  static void data() throws Exception {
    SharedSpark.session();
    base = EvalTesting.writeFvecs(dir.resolve("base.fvecs"), EvalTesting.corpus(D, 4, 0, BASE_ROWS), D);
    queries = EvalTesting.writeFvecs(dir.resolve("queries.fvecs"), EvalTesting.corpus(D, 4, BASE_ROWS, QUERIES), D);
    truth = EvalTesting.writeIvecs(dir.resolve("gt.ivecs"),
        new int[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});
    goodResults = EvalTesting.writeResultsCsv(dir.resolve("good.csv"), new long[] {0, 1, 2, 3},
        new long[][] {{1, 2, 3}, {5, 4, 6}, {9, 8, 7}, {13, 10, 12}});
  }

  /** Exit code, stdout and stderr of one run. */
  private record Run(int code, String out, String err) {}

  private static Run eval(String... args) {
    CommandLine commandLine = LopqCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("eval", "--master", "local[" + SharedSpark.THREADS + "]"));
    all.addAll(List.of(args));
    int code = commandLine.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static void assertFails(Run run, int code, String message, Path report) {
    assertEquals(code, run.code(), run.err());
    assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
    assertFalse(Files.exists(report), "a report was left at " + report);
  }

  @Test
  void printsAndWritesRecallForGoodResults() throws Exception {
    Path report = dir.resolve("good-report");
    Run run = eval("--results", goodResults, "--ground-truth", truth, "--k", "2", "--report", report.toString());
    assertEquals(ExitCodes.OK, run.code(), run.err());
    // Recall@1: only q0 returns its true nearest first -> 1/4; Recall@10: every query has it somewhere -> 4/4.
    assertTrue(run.out().contains("Recall@1           0.2500"), run.out());
    assertTrue(run.out().contains("Recall@10          1.0000   (results hold at most 3 neighbours per query)"),
        run.out());
    // 2-recall@2: q0 2/2, q1 {5,4} vs {4,5} 2/2, q2 {9,8} vs {7,8} 1/2, q3 {13,10} vs {10,11} 1/2 -> 0.75.
    assertTrue(run.out().contains("2-recall@2         0.7500"), run.out());
    assertTrue(Files.exists(report.resolve("recall.json")));

    Run again = eval("--results", goodResults, "--ground-truth", truth, "--report", report.toString());
    assertEquals(ExitCodes.FAILED, again.code());
    assertTrue(again.err().contains("already exists"), again.err());
  }

  @Test
  void groundTruthWithFewerQueriesThanTheResults() throws Exception {
    String shortTruth = EvalTesting.writeIvecs(dir.resolve("short.ivecs"), new int[][] {{1, 2, 3}, {4, 5, 6}});
    Path report = dir.resolve("r-short");
    assertFails(eval("--results", goodResults, "--ground-truth", shortTruth, "--k", "2", "--report",
        report.toString()), ExitCodes.FAILED, "of the results is not in the ground truth, which has 2 queries", report);
  }

  @Test
  void queryIdsNotInTheComputedGroundTruth() throws Exception {
    String results = EvalTesting.writeResultsCsv(dir.resolve("q-out.csv"), new long[] {0, 7},
        new long[][] {{1, 2}, {3, 4}});
    Path report = dir.resolve("r-q-out");
    assertFails(eval("--results", results, "--base", base, "--queries", queries, "--k", "2", "--report",
        report.toString()), ExitCodes.FAILED, "query id 7 of the results is not in the ground truth", report);
  }

  @Test
  void neighbourIdsNotInTheBase() throws Exception {
    String results = EvalTesting.writeResultsCsv(dir.resolve("n-out.csv"), new long[] {0, 1, 2, 3},
        new long[][] {{1, 2}, {3, BASE_ROWS + 5}, {0, 1}, {2, 3}});
    Path report = dir.resolve("r-n-out");
    assertFails(eval("--results", results, "--base", base, "--queries", queries, "--k", "2", "--report",
        report.toString()), ExitCodes.FAILED, "neighbour ids that are not in the base", report);
    Run withFile = eval("--results", results, "--ground-truth", truth, "--base", base, "--k", "2");
    assertEquals(ExitCodes.FAILED, withFile.code());
    assertTrue(withFile.err().contains(": " + (BASE_ROWS + 5)), withFile.err());
    String negative = EvalTesting.writeResultsCsv(dir.resolve("neg.csv"), new long[] {0},
        new long[][] {{1, -3}});
    Run negativeRun = eval("--results", negative, "--ground-truth", truth, "--k", "1");
    assertEquals(ExitCodes.FAILED, negativeRun.code());
    assertTrue(negativeRun.err().contains("neighbour id -3"), negativeRun.err());
  }

  @Test
  void kBelowOneIsAUsageError() {
    Path report = dir.resolve("r-k");
    assertFails(eval("--results", goodResults, "--ground-truth", truth, "--k", "0", "--report", report.toString()),
        ExitCodes.USAGE, "--k must be >= 1, got 0", report);
  }

  @Test
  void kDeeperThanTheGroundTruth() {
    Path report = dir.resolve("r-deep");
    assertFails(eval("--results", goodResults, "--ground-truth", truth, "--k", "5", "--report", report.toString()),
        ExitCodes.FAILED, "row 0 has 3 neighbours, but k-recall@5 needs at least 5", report);
  }

  @Test
  void missingResultsPathAndMissingOption() {
    Path report = dir.resolve("r-missing");
    String missing = dir.resolve("nope.csv").toUri().toString();
    assertFails(eval("--results", missing, "--ground-truth", truth, "--report", report.toString()),
        ExitCodes.FAILED, "nope.csv does not exist", report);
    assertFails(eval("--ground-truth", truth, "--report", report.toString()), ExitCodes.USAGE,
        "--results is required", report);
    assertFails(eval("--results", goodResults, "--report", report.toString()), ExitCodes.USAGE,
        "give --ground-truth GT.ivecs, or --base and --queries", report);
  }

  @Test
  void resultsWithAWrongSchema() throws Exception {
    Path report = dir.resolve("r-schema");
    Path noRank = dir.resolve("no-rank.csv");
    Files.writeString(noRank, "query_id,neighbor_id,distance\n0,1,0.5\n");
    assertFails(eval("--results", noRank.toString(), "--ground-truth", truth, "--k", "1", "--report",
        report.toString()), ExitCodes.FAILED, "have no column 'rank'", report);

    Path noHeader = dir.resolve("no-header.csv");
    Files.writeString(noHeader, "0,1,1,0.5\n0,2,2,0.7\n");
    assertFails(eval("--results", noHeader.toString(), "--ground-truth", truth, "--k", "1", "--report",
        report.toString()), ExitCodes.FAILED, "have no column 'query_id'", report);

    Path text = dir.resolve("text.csv");
    Files.writeString(text, "query_id,rank,neighbor_id,distance\n0,first,1,0.5\n");
    assertFails(eval("--results", text.toString(), "--ground-truth", truth, "--k", "1", "--report",
        report.toString()), ExitCodes.FAILED, "has a missing or non-integer rank", report);

    // Vectors instead of results: a Parquet file with id and vector columns.
    String vectors = dir.resolve("vectors").toUri().toString();
    io.lopq.io.vectors.VectorInput.of(base).read(SharedSpark.session()).write().parquet(vectors);
    assertFails(eval("--results", vectors, "--ground-truth", truth, "--k", "1", "--report", report.toString()),
        ExitCodes.FAILED, "have no column 'query_id'", report);
  }

  @Test
  void ranksWithAGapOrARepeatedNeighbour() throws Exception {
    Path report = dir.resolve("r-ranks");
    Path gap = dir.resolve("gap.csv");
    Files.writeString(gap, "query_id,rank,neighbor_id,distance\n0,1,1,0.5\n0,3,2,0.7\n");
    assertFails(eval("--results", gap.toString(), "--ground-truth", truth, "--k", "1", "--report",
        report.toString()), ExitCodes.FAILED, "query id 0 of the results has ranks 1,3; expected 1..2", report);
    String repeated = EvalTesting.writeResultsCsv(dir.resolve("rep.csv"), new long[] {1}, new long[][] {{4, 4}});
    assertFails(eval("--results", repeated, "--ground-truth", truth, "--k", "1", "--report", report.toString()),
        ExitCodes.FAILED, "lists neighbour id 4 more than once", report);
  }

  @Test
  void computesAndSavesTheGroundTruthAloneForReuse() throws Exception {
    Path saved = dir.resolve("saved-gt.ivecs");
    Run run = eval("--base", base, "--queries", queries, "--save-ground-truth", saved.toString(),
        "--ground-truth-depth", "10");
    assertEquals(ExitCodes.OK, run.code(), run.err());
    List<int[]> rows = io.lopq.io.vectors.IvecsReader.readAll(saved.toUri().toString(), new org.apache.hadoop.conf.Configuration());
    io.lopq.search.SearchResult[] exact = new io.lopq.search.ExactSearcher(EvalTesting.corpus(D, 4, 0, BASE_ROWS),
        BASE_ROWS, D).search(EvalTesting.corpus(D, 4, BASE_ROWS, QUERIES), QUERIES, 10);
    assertEquals(QUERIES, rows.size());
    for (int q = 0; q < QUERIES; q++) {
      for (int i = 0; i < 10; i++) {
        assertEquals(exact[q].id(i), rows.get(q)[i], "query " + q + " rank " + (i + 1));
      }
    }
    // Reused: the saved file now serves as --ground-truth.
    Run reuse = eval("--results", goodResults, "--ground-truth", saved.toString(), "--k", "1");
    assertEquals(ExitCodes.OK, reuse.code(), reuse.err());
  }

  @Test
  void savingNeedsAComputedGroundTruth() {
    Path report = dir.resolve("r-save");
    assertFails(eval("--results", goodResults, "--ground-truth", truth, "--save-ground-truth",
        dir.resolve("x.ivecs").toString(), "--report", report.toString()), ExitCodes.USAGE,
        "--save-ground-truth needs the ground truth computed", report);
  }

  @Test
  void readsItsVectorsWithTheInputOptionsOfEveryCommand() throws Exception {
    // The same base and queries as CSV files with a header: an id column and the vector in column "emb".
    Path csvBase = csvWithHeader("base.csv", EvalTesting.corpus(D, 4, 0, BASE_ROWS), BASE_ROWS, 0);
    Path csvQueries = csvWithHeader("queries.csv", EvalTesting.corpus(D, 4, BASE_ROWS, QUERIES), QUERIES, 0);
    Path fromCsv = dir.resolve("csv-gt.ivecs");
    Run run = eval("--base", csvBase.toString(), "--queries", csvQueries.toString(), "--header", "--vector-col",
        "emb", "--id-col", "key", "--min-partitions", "2", "--save-ground-truth", fromCsv.toString(),
        "--ground-truth-depth", "5", "--k", "5");
    assertEquals(ExitCodes.OK, run.code(), run.err());
    Path fromFvecs = dir.resolve("fvecs-gt.ivecs");
    assertEquals(ExitCodes.OK, eval("--base", base, "--queries", queries, "--save-ground-truth",
        fromFvecs.toString(), "--ground-truth-depth", "5", "--k", "5").code());
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(fromFvecs), Files.readAllBytes(fromCsv)),
        "the same ground truth from CSV with a header as from .fvecs");
  }

  /** {@code rows} vectors as CSV: a header "key,emb", then the row number and the values, space-separated. */
  private static Path csvWithHeader(String name, float[] values, int rows, int firstId) throws Exception {
    StringBuilder csv = new StringBuilder("key,emb\n");
    for (int r = 0; r < rows; r++) {
      csv.append(firstId + r).append(',');
      for (int j = 0; j < D; j++) {
        csv.append(j == 0 ? "" : " ").append(values[r * D + j]);
      }
      csv.append('\n');
    }
    return Files.writeString(dir.resolve(name), csv);
  }
}
