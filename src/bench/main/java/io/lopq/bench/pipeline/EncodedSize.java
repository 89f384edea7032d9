package io.lopq.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lopq.spark.encode.EncodeJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The size on disk of an encoded dataset, from the report {@code lopq encode} leaves in it
 * ({@value EncodeJob#DEFAULT_REPORT_NAME}): rows and bytes of every committed file (codes, ids,
 * coarse indices, Parquet footers).
 *
 * <pre>
 *   bytes per vector = datasetBytes / datasetRows
 * </pre>
 *
 * @param rows rows of the dataset
 * @param bytes bytes of its data files
 */
public record EncodedSize(long rows, long bytes) {

  /**
   * Reads the encode report of dataset {@code encodedDir}.
   *
   * @throws IllegalArgumentException if there is no report or it lacks the dataset's rows and bytes
   */
  public static EncodedSize read(Path encodedDir) throws IOException {
    Path file = encodedDir.resolve(EncodeJob.DEFAULT_REPORT_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no encode report at " + file);
    }
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    JsonNode rows = root.path("datasetRows");
    JsonNode bytes = root.path("datasetBytes");
    if (!rows.canConvertToLong() || !bytes.canConvertToLong() || rows.longValue() <= 0) {
      throw new IllegalArgumentException(file + " lacks \"datasetRows\" (> 0) or \"datasetBytes\"");
    }
    return new EncodedSize(rows.longValue(), bytes.longValue());
  }

  /** Bytes on disk per encoded vector. */
  public double bytesPerVector() {
    return (double) bytes / rows;
  }
}
