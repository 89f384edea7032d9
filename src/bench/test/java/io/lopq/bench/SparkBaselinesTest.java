package io.lopq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.spark.eval.EvalTesting;
import io.lopq.spark.common.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SparkBaselinesTest {
  private static final int D = 6;
  private static final int BASE_ROWS = 240;
  private static final int QUERIES = 30;
  private static final int LIMIT = 12;

  @TempDir Path dir;

  @Test
  void exactBaselinesHaveFullRecallAndEveryMethodIsReported() throws Exception {
    SharedSpark.session();
    String base = EvalTesting.writeFvecs(dir.resolve("base.fvecs"), EvalTesting.corpus(D, 8, 0, BASE_ROWS), D);
    String queries = EvalTesting.writeFvecs(dir.resolve("queries.fvecs"),
        EvalTesting.corpus(D, 8, BASE_ROWS, QUERIES), D);
    Path report = dir.resolve("report");
    int code = new CommandLine(new SparkBaselines()).execute("--base", base, "--queries", queries,
        "--queries-limit", String.valueOf(LIMIT), "--cross-join", "udf,sql", "--lsh", "4:2",
        "--master", "local[" + SharedSpark.THREADS + "]", "--report", report.toString());
    assertEquals(0, code);

    List<String> rows = Files.readAllLines(report.resolve("baselines.csv"));
    assertEquals(5, rows.size(), String.join("\n", rows));
    // exact row: all queries; cross joins: the limited queries, with recall 1 (columns R@1, R@10, R@100, 10-recall@10).
    assertTrue(rows.get(1).startsWith("\"exact kNN"), rows.get(1));
    assertTrue(rows.get(1).contains("," + QUERIES + "," + QUERIES + ","), rows.get(1));
    for (int i = 1; i <= 3; i++) {
      assertTrue(rows.get(i).endsWith(",1.00000,1.00000,1.00000,1.00000"), rows.get(i));
    }
    assertTrue(rows.get(2).contains("," + LIMIT + "," + QUERIES + ","), rows.get(2));
    assertTrue(rows.get(4).startsWith("\"MLlib BucketedRandomProjectionLSH"), rows.get(4));
    String[] lsh = rows.get(4).split(",");
    for (int i = lsh.length - 4; i < lsh.length; i++) {
      double recall = Double.parseDouble(lsh[i]);
      assertTrue(recall >= 0 && recall <= 1, rows.get(4));
    }
    assertTrue(Files.readString(report.resolve("baselines.md")).contains("| exact cross join + window top-k |"));
  }
}
