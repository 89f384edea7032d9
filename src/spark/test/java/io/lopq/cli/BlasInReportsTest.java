package io.lopq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lopq.format.vectors.SyntheticCorpus;
import io.lopq.io.vectors.FvecsWriter;
import io.lopq.math.blas.BlasInfo;
import io.lopq.math.blas.BlasSetup;
import io.lopq.spark.common.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Each job's JSON report says which BLAS its driver used: here, as for users, the bundled OpenBLAS. */
class BlasInReportsTest {
  private static final int D = 8;
  private static final int ROWS = 800;

  @TempDir Path dir;

  @Test
  void trainEncodeAndSearchReportTheBundledOpenBlas() throws Exception {
    String base = fvecs("base.fvecs", 0, ROWS);
    String queries = fvecs("queries.fvecs", ROWS, 20);
    String model = dir.resolve("model").toString();
    String encoded = dir.resolve("encoded").toString();
    String results = dir.resolve("results").toString();
    run("train", "--input", base, "--output", model, "--coarse-clusters", "4", "--subquantizers", "2",
        "--subquantizer-clusters", "16", "--iterations", "3");
    run("encode", "--model", model, "--input", base, "--output", encoded);
    run("search", "--model", model, "--index", encoded, "--queries", queries, "--k", "5", "--output", results);

    String expected = BlasSetup.info().library();
    for (Path report : List.of(Path.of(model, "training-report.json"), Path.of(encoded, "_lopq_encode_report.json"),
        Path.of(results, "_lopq_search_report.json"))) {
      JsonNode driver = new ObjectMapper().readTree(report.toFile()).path("blas").path("driver");
      assertEquals(BlasInfo.OPENBLAS, driver.path("implementation").asText(), report + ": " + driver);
      assertTrue(driver.path("bundled").asBoolean(), report + ": " + driver);
      assertEquals(expected, driver.path("library").asText(), report.toString());
      assertEquals(1, driver.path("threads").asInt(), report.toString());
      assertTrue(driver.path("warning").isMissingNode(), report + ": " + driver);
    }
  }

  private static void run(String... args) {
    List<String> argv = new ArrayList<>(Arrays.asList(args));
    argv.addAll(List.of("--master", "local[2]"));
    CommandLine cli = LopqCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    assertEquals(ExitCodes.OK, cli.execute(argv.toArray(new String[0])), String.join(" ", args) + ": " + err);
  }

  private String fvecs(String name, int first, int n) {
    float[] data = new SyntheticCorpus(D, 4, 3).rows(first, n);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Arrays.copyOfRange(data, i * D, (i + 1) * D));
    }
    String path = dir.resolve(name).toString();
    FvecsWriter.writeFvecs(path, SharedSpark.session().sparkContext().hadoopConfiguration(), rows);
    return path;
  }
}
