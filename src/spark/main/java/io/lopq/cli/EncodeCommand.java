package io.lopq.cli;

import io.lopq.format.vectors.VectorInputParams;
import io.lopq.spark.encode.EncodeJob;
import io.lopq.spark.encode.EncodeReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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

  @Option(names = "--keep-cols", paramLabel = "A,B", split = ",", descriptionKey = "input.keepCols")
  List<String> keepCols = new ArrayList<>();

  @Option(names = "--partition-col", paramLabel = "COL", descriptionKey = "encode.partitionCol")
  String partitionCol;

  @Option(names = "--require-success", descriptionKey = "encode.requireSuccess")
  boolean requireSuccess;

  @Option(names = "--skip-invalid", descriptionKey = "input.skipInvalid")
  boolean skipInvalid;

  @Option(names = "--batch-size", paramLabel = "N", descriptionKey = "encode.batchSize")
  Integer batchSize;

  @Option(names = "--rows-per-file", paramLabel = "N", descriptionKey = "encode.rowsPerFile")
  Long rowsPerFile;

  @Option(names = "--compression", paramLabel = "CODEC", descriptionKey = "encode.compression")
  String compression;

  @Mixin InputOptions in;

  @Mixin OutputOptions out;

  @Override
  public Integer call() throws IOException {
    EncodeJob.Params.Builder params = EncodeJob.Params.builder()
        .modelPath(model)
        .input(input)
        .output(output)
        .format(in.format())
        .idCol(in.idCol())
        .vectorCol(in.vectorCol())
        .keepCols(keepCols)
        .header(in.header())
        .partitionCol(partitionCol)
        .requireSuccessMarker(requireSuccess)
        .skipInvalid(skipInvalid)
        .minPartitions(in.minPartitions(VectorInputParams.MIN_PARTITIONS.defaultValue()))
        .overwrite(out.overwrite())
        .report(out.report());
    if (batchSize != null) {
      params.batchSize(batchSize);
    }
    if (rowsPerFile != null) {
      params.rowsPerFile(rowsPerFile);
    }
    if (compression != null) {
      params.codec(EncodeJob.Params.COMPRESSION.parse(compression));
    }
    PrintWriter err = spec.commandLine().getErr();
    params.progress(line -> {
      err.println("encode: " + line);
      err.flush();
    });
    EncodeJob.Params checked = params.build();
    SparkSession session = spark.session("lopq encode");
    EncodeReport result = EncodeJob.run(session, checked);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(result.summary());
    stdout.flush();
    return ExitCodes.OK;
  }
}
