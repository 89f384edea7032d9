package io.lopq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pipeline with executors of {@value #EXECUTOR_MEMORY} on a corpus larger than an executor's
 * whole heap (by default {@value #DEFAULT_FILES} files x {@value #DEFAULT_ROWS_PER_FILE} rows x
 * {@value #D} floats, about 1 GB; {@code -Dlopq.it.lowmem.files=N} changes it): every step must
 * finish (spilling or streaming, not failing with an OutOfMemoryError or a lost executor), and the
 * outputs must be complete: every base row encoded exactly once, k results per query, a recall
 * that shows the search works.
 */
@ExtendWith(ClusterExtension.class)
class LowMemoryIT {
  static final String EXECUTOR_MEMORY = "512m";
  static final int D = 32;
  static final int DEFAULT_FILES = 16;
  static final int DEFAULT_ROWS_PER_FILE = 500_000;
  private static final int QUERIES = 200;
  private static final int K = 10;
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(15);
  /** Recall@10 of re-ranked search on clustered data is near 1; far below means the search broke. */
  private static final double MIN_RECALL_AT_10 = 0.8;

  private static int rows;
  private static List<SparkJob.Outcome> outcomes;

  @BeforeAll
  static void runWithSmallExecutors(LocalCluster cluster) {
    int files = Integer.getInteger("lopq.it.lowmem.files", DEFAULT_FILES);
    rows = files * DEFAULT_ROWS_PER_FILE;
    Corpus corpus = new Corpus(D, 32, 99);
    Path base = corpus.writeFvecsFolder(Project.workDir("corpus-large").resolve("base-" + files + ".fvecs"), files,
        DEFAULT_ROWS_PER_FILE);
    Path queries = corpus.writeFvecs(Project.workDir("corpus-large").resolve("queries.fvecs"), 100_000_000L, QUERIES);
    Path dir = Project.cleanDir("low-memory");
    SparkJob train = cluster.job("train").label("lowmem-train")
        .env("LOPQ_TRAIN_INPUT", base).env("LOPQ_MODEL", dir.resolve("model"))
        .env("LOPQ_COARSE_CLUSTERS", "32").env("LOPQ_SUBQUANTIZERS", "8").env("LOPQ_SEED", "5");
    SparkJob encode = cluster.job("encode").label("lowmem-encode")
        .env("LOPQ_MODEL", dir.resolve("model")).env("LOPQ_BASE", base).env("LOPQ_ENCODED", dir.resolve("encoded"));
    SparkJob search = cluster.job("search").label("lowmem-search")
        .env("LOPQ_MODEL", dir.resolve("model")).env("LOPQ_ENCODED", dir.resolve("encoded"))
        .env("LOPQ_QUERIES", queries).env("LOPQ_K", Integer.toString(K)).env("LOPQ_CANDIDATES", "2000")
        .env("LOPQ_RERANK", base).env("LOPQ_RESULTS", dir.resolve("results"));
    SparkJob eval = cluster.job("eval").label("lowmem-eval")
        .env("LOPQ_RESULTS", dir.resolve("results")).env("LOPQ_BASE", base).env("LOPQ_QUERIES", queries)
        .env("LOPQ_REPORT", dir.resolve("report"));
    outcomes = Stream.of(train, encode, search, eval)
        .map(job -> job.env("LOPQ_EXECUTOR_MEMORY", EXECUTOR_MEMORY).timeout(STEP_TIMEOUT).runSuccessfully())
        .toList();
    LowMemoryIT.dir = dir;
  }

  private static Path dir;

  @Test
  void everyStepFinishedWithSmallExecutors() {
    for (SparkJob.Outcome outcome : outcomes) {
      assertEquals("FINISHED", outcome.app().orElseThrow().state(), outcome.label());
      EventLog log = outcome.eventLog();
      System.out.printf("[it] %s with %s executors: %d s, %s, spilled %d MB%n", outcome.label(), EXECUTOR_MEMORY,
          outcome.elapsed().toSeconds(), log, log.spilledBytes >> 20);
      assertEquals(0, log.failedTasks, outcome.label() + ": tasks failed (out of memory?): " + log);
    }
  }

  @Test
  void everyRowEncodedOnce() {
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> encoded = Outputs.encoded(dir.resolve("encoded"));
    assertEquals(rows, encoded.count(), "encoded rows");
    assertEquals(rows, encoded.select("id").distinct().count(), "distinct encoded ids");
  }

  @Test
  void kResultsPerQueryAndAWorkingSearch() {
    assertEquals((long) QUERIES * K, Outputs.results(dir.resolve("results").toString()).count(), "result rows");
    JsonNode report = Outputs.recallReport(dir.resolve("report"));
    double recall = report.path("recall").path("R@10").asDouble(-1);
    assertTrue(recall >= MIN_RECALL_AT_10, "Recall@10 " + recall + " in " + report);
  }
}
