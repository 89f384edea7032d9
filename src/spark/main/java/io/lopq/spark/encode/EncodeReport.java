package io.lopq.spark.encode;

import io.lopq.spark.common.StageApi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of {@link EncodeJob} did: the partitions it encoded (rows, skipped rows, files,
 * bytes, time), those it left alone (already committed, or not ready), and totals.
 *
 * <p>Throughput is measured inside the job, from the moment {@link EncodeJob#run} starts (the
 * Spark session already exists) to the last commit, in wall time and in the CPU time of the
 * tasks ({@link io.lopq.spark.common.TaskTimes}: the encode and write stages' task CPU, and the
 * encoder's share of it; the per-core figures, which a busy machine does not distort):
 * <pre>
 *   vectorsPerSecond           = rowsEncoded / jobSeconds                       (wall, whole job)
 *   vectorsPerSecondPerCore    = vectorsPerSecond / cores                       (cores = default parallelism)
 *   vectorsPerCpuSecond        = rowsEncoded / CPU seconds of all encode and write tasks
 *   encoderVectorsPerCpuSecond = rowsEncoded / CPU seconds inside BatchEncoder.encode
 *   bytesPerVector             = bytes of the files written / rowsEncoded
 * </pre>
 */
@StageApi
public final class EncodeReport {
  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final double NANOS = 1e9;

  /** One encoded partition. */
  public static final class PartitionReport {
    private final String name;
    private final long rows;
    private final long skippedRows;
    private final int files;
    private final long bytes;
    private final double encodeSeconds;
    private final double writeSeconds;
    private final double seconds;

    PartitionReport(String name, long rows, long skippedRows, int files, long bytes, double encodeSeconds,
        double writeSeconds, double seconds) {
      this.name = name;
      this.rows = rows;
      this.skippedRows = skippedRows;
      this.files = files;
      this.bytes = bytes;
      this.encodeSeconds = encodeSeconds;
      this.writeSeconds = writeSeconds;
      this.seconds = seconds;
    }

    public String name() {
      return name;
    }

    public long rows() {
      return rows;
    }

    public long skippedRows() {
      return skippedRows;
    }

    public int files() {
      return files;
    }

    public long bytes() {
      return bytes;
    }

    /** Seconds of the encode stage (read, check, encode). */
    public double encodeSeconds() {
      return encodeSeconds;
    }

    /** Seconds of the write stage (gather by cell range, sort, write Parquet). */
    public double writeSeconds() {
      return writeSeconds;
    }

    /** Seconds from reading the input to the committed manifest. */
    public double seconds() {
      return seconds;
    }

    /** The log line of a finished partition. */
    public String logLine() {
      return String.format(Locale.ROOT,
          "committed %s: %d rows (%d skipped), %d files, %d bytes (%.2f bytes/vector), %.1f s (%.0f vectors/s)",
          name, rows, skippedRows, files, bytes, ratio(bytes, rows), seconds, ratio(rows, seconds));
    }

    ObjectNode toJson() {
      ObjectNode node = JSON.createObjectNode();
      node.put("name", name);
      node.put("rows", rows);
      node.put("skippedRows", skippedRows);
      node.put("files", files);
      node.put("bytes", bytes);
      node.put("bytesPerVector", ratio(bytes, rows));
      node.put("encodeSeconds", encodeSeconds);
      node.put("writeSeconds", writeSeconds);
      node.put("seconds", seconds);
      node.put("vectorsPerSecond", ratio(rows, seconds));
      return node;
    }
  }

  private final String output;
  private final String modelFingerprint;
  private final List<PartitionReport> encoded;
  private final List<String> upToDate;
  private final List<String> notReady;
  private final List<String> removedLeftovers;
  private final long datasetRows;
  private final long datasetBytes;
  private final double jobSeconds;
  private final long encoderCpuNanos;
  private final long encodeStageCpuNanos;
  private final long writeStageCpuNanos;
  private final int cores;
  private Map<String, Object> blas;

  EncodeReport(String output, String modelFingerprint, List<PartitionReport> encoded, List<String> upToDate,
      List<String> notReady, List<String> removedLeftovers, long datasetRows, long datasetBytes, double jobSeconds,
      long encoderCpuNanos, long encodeStageCpuNanos, long writeStageCpuNanos, int cores) {
    this.output = output;
    this.modelFingerprint = modelFingerprint;
    this.encoded = List.copyOf(encoded);
    this.upToDate = List.copyOf(upToDate);
    this.notReady = List.copyOf(notReady);
    this.removedLeftovers = List.copyOf(removedLeftovers);
    this.datasetRows = datasetRows;
    this.datasetBytes = datasetBytes;
    this.jobSeconds = jobSeconds;
    this.encoderCpuNanos = encoderCpuNanos;
    this.encodeStageCpuNanos = encodeStageCpuNanos;
    this.writeStageCpuNanos = writeStageCpuNanos;
    this.cores = cores;
  }

  public String output() {
    return output;
  }

  public String modelFingerprint() {
    return modelFingerprint;
  }

  /** The partitions this run encoded and committed, in order. */
  public List<PartitionReport> encoded() {
    return encoded;
  }

  /** Input partitions that were already committed (left alone). */
  public List<String> upToDate() {
    return upToDate;
  }

  /** Input partitions without a {@code _SUCCESS} marker, left for a later run (when markers are required). */
  public List<String> notReady() {
    return notReady;
  }

  /** Leftovers of an unfinished earlier run that this run deleted. */
  public List<String> removedLeftovers() {
    return removedLeftovers;
  }

  /** Rows this run encoded. */
  public long rowsEncoded() {
    long total = 0;
    for (PartitionReport p : encoded) {
      total += p.rows();
    }
    return total;
  }

  /** Invalid input rows this run skipped (skip mode). */
  public long rowsSkipped() {
    long total = 0;
    for (PartitionReport p : encoded) {
      total += p.skippedRows();
    }
    return total;
  }

  /** Bytes of the files this run wrote. */
  public long bytesWritten() {
    long total = 0;
    for (PartitionReport p : encoded) {
      total += p.bytes();
    }
    return total;
  }

  /** Bytes on disk per vector this run encoded (files only). */
  public double bytesPerVector() {
    return ratio(bytesWritten(), rowsEncoded());
  }

  /** Rows in the whole dataset after this run. */
  public long datasetRows() {
    return datasetRows;
  }

  /** Bytes of the whole dataset's files after this run. */
  public long datasetBytes() {
    return datasetBytes;
  }

  /** Seconds inside the job (Spark start-up excluded). */
  public double jobSeconds() {
    return jobSeconds;
  }

  /** Spark's default parallelism during the run. */
  public int cores() {
    return cores;
  }

  /** Rows encoded per second of job time. */
  public double vectorsPerSecond() {
    return ratio(rowsEncoded(), jobSeconds);
  }

  /** {@link #vectorsPerSecond()} per core. */
  public double vectorsPerSecondPerCore() {
    return ratio(vectorsPerSecond(), cores);
  }

  /** CPU seconds of the encode tasks (read, check, batch, encode), summed over tasks. */
  public double encodeStageCpuSeconds() {
    return encodeStageCpuNanos / NANOS;
  }

  /** CPU seconds of the write tasks (gather, sort, write Parquet), summed over tasks. */
  public double writeStageCpuSeconds() {
    return writeStageCpuNanos / NANOS;
  }

  /** CPU seconds inside the batched encoder, summed over tasks. */
  public double encoderCpuSeconds() {
    return encoderCpuNanos / NANOS;
  }

  /** Rows per CPU second of the encode and write tasks: the job's speed per core. */
  public double vectorsPerCpuSecond() {
    return ratio(rowsEncoded(), encodeStageCpuSeconds() + writeStageCpuSeconds());
  }

  /** Rows per CPU second inside the encoder: the encoder's speed per core. */
  public double encoderVectorsPerCpuSecond() {
    return ratio(rowsEncoded(), encoderCpuSeconds());
  }

  /** Sets the {@code blas} section (which BLAS the driver and executors use). */
  EncodeReport blas(Map<String, Object> section) {
    this.blas = section;
    return this;
  }

  /** The report as JSON. */
  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("output", output);
    root.put("modelFingerprint", modelFingerprint);
    root.put("rowsEncoded", rowsEncoded());
    root.put("rowsSkipped", rowsSkipped());
    root.put("bytesWritten", bytesWritten());
    root.put("bytesPerVector", bytesPerVector());
    root.put("jobSeconds", jobSeconds);
    root.put("cores", cores);
    root.put("vectorsPerSecond", vectorsPerSecond());
    root.put("vectorsPerSecondPerCore", vectorsPerSecondPerCore());
    root.put("encodeStageCpuSeconds", encodeStageCpuSeconds());
    root.put("writeStageCpuSeconds", writeStageCpuSeconds());
    root.put("vectorsPerCpuSecond", vectorsPerCpuSecond());
    root.put("encoderCpuSeconds", encoderCpuSeconds());
    root.put("encoderVectorsPerCpuSecond", encoderVectorsPerCpuSecond());
    root.put("datasetRows", datasetRows);
    root.put("datasetBytes", datasetBytes);
    root.put("datasetBytesPerVector", ratio(datasetBytes, datasetRows));
    if (blas != null) {
      root.set("blas", JSON.valueToTree(blas));
    }
    ArrayNode partitions = root.putArray("encoded");
    encoded.forEach(p -> partitions.add(p.toJson()));
    upToDate.forEach(root.putArray("upToDate")::add);
    notReady.forEach(root.putArray("notReady")::add);
    removedLeftovers.forEach(root.putArray("removedLeftovers")::add);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the encode report", e);
    }
  }

  /** A few lines for the terminal. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "encoded %d partitions into %s: %d rows, %d skipped as invalid%n",
        encoded.size(), output, rowsEncoded(), rowsSkipped()));
    s.append(String.format(Locale.ROOT, "  on disk: %d bytes, %.2f bytes/vector%n", bytesWritten(),
        bytesPerVector()));
    s.append(String.format(Locale.ROOT, "  wall: %.1f s in the job, %.0f vectors/s (%.0f per core, %d cores)%n",
        jobSeconds, vectorsPerSecond(), vectorsPerSecondPerCore(), cores));
    s.append(String.format(Locale.ROOT, "  per core (CPU time): %.0f vectors/s for read+encode+write "
        + "(%.1f + %.1f CPU s), %.0f vectors/s inside the encoder%n", vectorsPerCpuSecond(),
        encodeStageCpuSeconds(), writeStageCpuSeconds(), encoderVectorsPerCpuSecond()));
    s.append(String.format(Locale.ROOT, "  already committed: %d partitions; not ready: %s; dataset now %d rows, %d"
        + " bytes%n", upToDate.size(), notReady, datasetRows, datasetBytes));
    if (!removedLeftovers.isEmpty()) {
      s.append("  removed leftovers of an unfinished run: ").append(removedLeftovers).append(System.lineSeparator());
    }
    return s.toString();
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : a / b;
  }
}
