package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.FvecsWriter;
import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import io.lopq.spark.common.SharedSpark;
import io.lopq.spark.encode.EncodeJob;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lopq sql}: the example, end to end, and statement splitting. */
class SqlCommandTest {
  @TempDir
  Path tmp;

  @Test
  void theReadmeExampleWritesTheNeighboursOfEveryQuery() throws Exception {
    SparkSession spark = SharedSpark.session();
    Random random = new Random(3);
    LopqModel model = RandomModels.create(random, 16, 8, 4, 32, 2.0, 1.0);
    float[] base = RandomModels.clusteredVectors(random, model, 500, 1.0);
    float[] queries = RandomModels.clusteredVectors(random, model, 12, 1.0);
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    FvecsWriter.writeFvecs(path("base.fvecs"), conf, rows(base, 16));
    FvecsWriter.writeFvecs(path("queries.fvecs"), conf, rows(queries, 16));
    ModelStore.save(model, path("model"), false);
    EncodeJob.run(spark, EncodeJob.Params.builder().model(model).input(path("base.fvecs")).output(path("encoded"))
        .build());
    String views = "\n"
        + "  CREATE TEMPORARY VIEW corpus USING lopq OPTIONS (path '" + path("base.fvecs") + "', model '"
        + path("model") + "', index '" + path("encoded") + "');\n"
        + "  CREATE TEMPORARY VIEW queries USING lopq OPTIONS (path '" + path("queries.fvecs") + "');\n";
    String sql = views
        + "  INSERT OVERWRITE DIRECTORY '" + path("results") + "' USING csv OPTIONS (header 'true')\n"
        + "  SELECT q.id AS query_id, c.id AS neighbor_id, vector_l2_distance(q.vector, c.vector) AS distance\n"
        + "  FROM queries q JOIN corpus c APPROX NEAREST 10 BY DISTANCE vector_l2_distance(q.vector, c.vector)";
    Result r = run("sql", "-e", sql);
    assertEquals(0, r.code, r.err);
    assertEquals("", r.out.strip());
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(tmp.resolve("results"))) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
        List<String> content = Files.readAllLines(f, StandardCharsets.UTF_8);
        assertEquals("query_id,neighbor_id,distance", content.get(0));
        lines.addAll(content.subList(1, content.size()));
      }
    }
    assertEquals(12 * 10, lines.size());

    Result shown = run("sql", "-e", views + "SELECT count(*) AS n, count(DISTINCT q.id) AS queries FROM queries q "
        + "JOIN corpus c APPROX NEAREST 3 BY DISTANCE vector_l2_distance(q.vector, c.vector)");
    assertEquals(0, shown.code, shown.err);
    assertEquals("n\tqueries\n36\t12", shown.out.strip());

    // A table above its maxTableBytes: refused when planned, before the header is printed.
    Result tooBig = run("sql", "-e", views.replace("index '" + path("encoded") + "'",
        "index '" + path("encoded") + "', maxTableBytes '1k'") + "SELECT q.id, c.id FROM queries q "
        + "JOIN corpus c APPROX NEAREST 3 BY DISTANCE vector_l2_distance(q.vector, c.vector)");
    assertEquals(ExitCodes.FAILED, tooBig.code, tooBig.err);
    assertEquals("", tooBig.out.strip());
    assertTrue(tooBig.err.contains("(500 rows x 116 bytes), more than the limit of 1.0 KiB"), tooBig.err);
  }

  @Test
  void aFailingStatementExitsNonZeroWithItsMessage() throws Exception {
    Result r = run("sql", "-e", "CREATE TEMPORARY VIEW broken USING lopq OPTIONS (path '" + path("missing.fvecs")
        + "')");
    assertEquals(ExitCodes.FAILED, r.code);
    assertTrue(r.err.contains("missing.fvecs"), r.err);
  }

  @Test
  void aFileOfStatementsPrintsTheLastResult() throws Exception {
    Path file = tmp.resolve("statements.sql");
    Files.writeString(file, "-- two statements\nSELECT 1 AS one;\nSELECT 2 AS two, 'a;b' AS text;\n");
    Result r = run("sql", "--file", file.toString());
    assertEquals(0, r.code, r.err);
    assertEquals("two\ttext\n2\ta;b", r.out.strip());
    assertEquals(ExitCodes.USAGE, run("sql").code);
  }

  @Test
  void statementsSplitAtSemicolonsOutsideQuotesAndComments() {
    assertEquals(List.of("SELECT 'a;b'", "SELECT \"c;\"", "SELECT `d;e`"),
        SqlStatements.split("SELECT 'a;b'; SELECT \"c;\" -- x\n;\n SELECT `d;e`; -- done;\n"));
    assertEquals(List.of("SELECT 1", "SELECT   2"), SqlStatements.split("SELECT 1;; /* ; */\nSELECT /*x*/ 2"));
  }

  private String path(String name) {
    return new File(tmp.toFile(), name).getAbsolutePath();
  }

  private static List<float[]> rows(float[] flat, int d) {
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < flat.length / d; i++) {
      rows.add(Arrays.copyOfRange(flat, i * d, (i + 1) * d));
    }
    return rows;
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cli = LopqCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
