package io.lopq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lopq.io.encoded.EncodedDataset;
import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what the jobs wrote, through the project's own readers where there are some, into forms
 * that compare exactly: models by fingerprint, encoded data and search results as
 * {@link RowTexts} lines, eval reports as JSON without their timings.
 */
final class Outputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Report fields that measure time, not results. */
  private static final String SECONDS_SUFFIX = "seconds";
  private static final String BLAS_SECTION = "blas";

  private Outputs() {}

  static SparkSession spark() {
    return SharedSpark.session();
  }

  static LopqModel model(Path dir) {
    return model(dir.toString());
  }

  static LopqModel model(String uri) {
    try {
      return ModelStore.load(uri);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model at " + uri, e);
    }
  }

  /** The committed rows of an encoded dataset, as sorted lines. */
  static List<String> encodedRows(Path dir) {
    return encodedRows(dir.toString());
  }

  /** The same for a dataset at a Hadoop path (hdfs://..., file:...). */
  static List<String> encodedRows(String uri) {
    return RowTexts.of(encoded(uri));
  }

  static Dataset<Row> encoded(Path dir) {
    return encoded(dir.toString());
  }

  /**
   * The committed rows of an encoded dataset, read as every job reads them: through
   * {@link EncodedDataset} (only what the manifest lists).
   */
  static Dataset<Row> encoded(String uri) {
    return EncodedDataset.open(spark(), uri).rows();
  }

  /** Search results (Parquet folder, or CSV with a header if the path ends in .csv), as sorted lines. */
  static List<String> resultRows(Path path) {
    return resultRows(path.toString());
  }

  static List<String> resultRows(String uri) {
    return RowTexts.of(results(uri));
  }

  static Dataset<Row> results(String uri) {
    if (uri.endsWith(".csv")) {
      return spark().read().option("header", "true").option("inferSchema", "true").csv(uri);
    }
    return spark().read().parquet(uri);
  }

  /**
   * The eval report's JSON ({@code recall.json}) with every timing field removed, and the
   * {@value #BLAS_SECTION} section (which JVMs ran, so it differs between a cluster and local mode).
   */
  static JsonNode recallReport(Path reportDir) {
    Path file = reportDir.resolve("recall.json");
    try {
      JsonNode report = JSON.readTree(Files.readString(file));
      withoutTimings(report);
      ((ObjectNode) report).remove(BLAS_SECTION);
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the eval report " + file, e);
    }
  }

  /** What an eval report measured (recall at each cutoff, k-recall@k, queries, results per query), as JSON text. */
  static String measures(String reportJson) {
    try {
      JsonNode report = JSON.readTree(reportJson);
      ObjectNode measures = JSON.createObjectNode();
      for (String field : List.of("queries", "recall", "k", "kRecallAtK", "resultsPerQuery")) {
        measures.set(field, report.get(field));
      }
      return measures.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON report: " + reportJson, e);
    }
  }

  private static void withoutTimings(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> timings = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String key = field.getKey().toLowerCase(java.util.Locale.ROOT);
        if (key.endsWith(SECONDS_SUFFIX) || key.contains("time")) {
          timings.add(field.getKey());
        } else {
          withoutTimings(field.getValue());
        }
      }
      object.remove(timings);
    } else if (node != null && node.isArray()) {
      node.forEach(Outputs::withoutTimings);
    }
  }
}
