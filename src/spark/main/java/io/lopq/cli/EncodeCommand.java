package io.lopq.cli;

import io.lopq.format.vectors.VectorFormat;
import io.lopq.spark.encode.EncodeJob;
import io.lopq.spark.encode.EncodeReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lopq encode}: encodes a corpus with a trained model into an encoded dataset (Parquet
 * clustered by cell, plus a manifest), incrementally by input partition. Only parses options and
 * calls {@link EncodeJob}; prints a line per committed partition on stderr and a summary on
 * stdout.
 */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Encode a corpus with a trained model into a compact Parquet dataset (incremental by partition).",
      "With --partition-col, INPUT is a folder of COL=VALUE folders and each run encodes only the folders "
          + "the output does not hold yet; each partition becomes visible atomically. A re-run after a "
          + "failure or a crash continues where it stopped, without duplicates."})
final class EncodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Trained model directory.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Vectors: a file or folder (" + "fvecs, bvecs, csv, tsv, parquet), or with --partition-col "
          + "a folder of COL=VALUE folders.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "ENCODED",
      description = "Encoded dataset to create or extend.")
  String output;

  @Option(names = "--id-col", paramLabel = "NAME",
      description = "Id column of the input (default: 'id' if present, else row numbers).")
  String idCol;

  @Option(names = "--vector-col", paramLabel = "NAME", defaultValue = "vector",
      description = "Vector column of the input (default ${DEFAULT-VALUE}).")
  String vectorCol;

  @Option(names = "--keep-cols", paramLabel = "A,B", split = ",",
      description = "Input columns to carry through unchanged (e.g. an image URL).")
  List<String> keepCols = new ArrayList<>();

  @Option(names = "--partition-col", paramLabel = "COL",
      description = "The input is a folder of COL=VALUE folders (e.g. date=2026-11-24); encode them one by one.")
  String partitionCol;

  @Option(names = "--require-success", description = "Encode only input partitions whose folder holds _SUCCESS.")
  boolean requireSuccess;

  @Option(names = "--skip-invalid",
      description = "Skip and count invalid rows (wrong dimension, NaN/Inf) instead of failing.")
  boolean skipInvalid;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EncodeJob.DEFAULT_BATCH_SIZE,
      description = "Rows per encode batch (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--rows-per-file", paramLabel = "N", defaultValue = "" + EncodeJob.DEFAULT_ROWS_PER_FILE,
      description = "Target rows per output file (default ${DEFAULT-VALUE}).")
  long rowsPerFile;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Input format: parquet, fvecs, bvecs, csv, tsv (default: from the first file's name).")
  String format;

  @Option(names = "--header", description = "CSV/TSV files start with a header line.")
  boolean header;

  @Option(names = "--min-partitions", paramLabel = "N", defaultValue = "0",
      description = "At least about N input splits for fvecs/bvecs/CSV (default: one per block).")
  int minPartitions;

  @Option(names = "--compression", paramLabel = "CODEC", defaultValue = "zstd",
      description = "Parquet compression: zstd, snappy, gzip, lz4_raw, uncompressed (default ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--report", paramLabel = "JSON",
      description = "Where to write the JSON report (default: ENCODED/" + EncodeJob.DEFAULT_REPORT_NAME + ").")
  String report;

  @Option(names = "--overwrite",
      description = "Replace an existing encoded dataset as a whole (e.g. after retraining the model).")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    if (format != null) {
      VectorFormat.fromName(format);
    }
    EncodeJob.Params params = new EncodeJob.Params()
        .modelPath(model)
        .input(input)
        .output(output)
        .format(format)
        .idCol(idCol)
        .vectorCol(vectorCol)
        .keepCols(keepCols)
        .header(header)
        .partitionCol(partitionCol)
        .requireSuccessMarker(requireSuccess)
        .skipInvalid(skipInvalid)
        .batchSize(batchSize)
        .rowsPerFile(rowsPerFile)
        .minPartitions(minPartitions)
        .codec(codec(compression))
        .overwrite(overwrite)
        .report(report);
    PrintWriter err = spec.commandLine().getErr();
    params.progress(line -> {
      err.println("encode: " + line);
      err.flush();
    });
    SparkSession session = spark.session("lopq encode");
    EncodeReport result = EncodeJob.run(session, params);
    PrintWriter out = spec.commandLine().getOut();
    out.print(result.summary());
    out.flush();
    return ExitCodes.OK;
  }

  /** The codecs Spark's Parquet libraries bring everywhere. */
  private static final List<CompressionCodecName> CODECS = List.of(CompressionCodecName.ZSTD,
      CompressionCodecName.SNAPPY, CompressionCodecName.GZIP, CompressionCodecName.LZ4_RAW,
      CompressionCodecName.UNCOMPRESSED);

  private static CompressionCodecName codec(String name) {
    for (CompressionCodecName c : CODECS) {
      if (c.name().equalsIgnoreCase(name.strip())) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown --compression '" + name + "'; expected one of "
        + CODECS.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
  }
}
