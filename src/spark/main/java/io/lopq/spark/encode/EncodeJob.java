package io.lopq.spark.encode;

import io.lopq.spark.common.ModelFit;
import io.lopq.spark.common.StageApi;

import io.lopq.io.fs.AtomicCommit;
import io.lopq.io.encoded.EncodedCommitter;
import io.lopq.format.encoded.EncodedFile;
import io.lopq.io.encoded.EncodedFileWriter;
import io.lopq.io.encoded.EncodedSchema;
import io.lopq.io.encoded.ManifestStore;
import io.lopq.io.fs.InputFiles;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.format.encoded.EncodedManifest;
import io.lopq.format.encoded.KeptColumn;
import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.format.vectors.VectorFormat;
import io.lopq.io.vectors.VectorInput;
import io.lopq.model.LopqModel;
import io.lopq.param.Check;
import io.lopq.param.Param;
import io.lopq.format.vectors.VectorInputParams;
import io.lopq.spark.common.BlasReport;
import io.lopq.spark.common.TaskTimes;
import io.lopq.spark.common.VectorBlocks;
import io.lopq.spark.common.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.util.SerializableConfiguration;

/**
 * {@code lopq encode}: encodes a corpus with a trained model into an encoded dataset
 * ({@code docs/ENCODED-FORMAT.md}), incrementally by input partition.
 *
 * <p>Per input partition not yet committed in the output (in name order):
 * <pre>
 *   1. read     VectorInput (any supported format) -&gt; rows (id, vector, kept...), checked
 *   2. encode   per Spark partition: batches of B rows -&gt; BatchEncoder (BLAS) -&gt; chunks of codes;
 *               kept in memory/disk, and counted per cell bin
 *   3. layout   F = ceil(rows / rowsPerFile) files, each a contiguous, balanced range of cells
 *   4. write    shuffle chunks by file, sort each file's rows by (coarse0, coarse1, id),
 *               write Parquet (EncodedFileWriter) into _temporary/RUN/NAME/
 *   5. commit   _SUCCESS, rename to NAME/, next manifest revision (EncodedCommitter)
 * </pre>
 * The model is broadcast once per run. A failure at any point leaves no partition half-visible;
 * the next run removes the leftovers and encodes what the manifest does not list, so a re-run
 * after a crash never duplicates or loses rows. With {@link Params#overwrite}, an existing
 * dataset is replaced as a whole: everything is encoded into a hidden sibling which then takes
 * its place ({@link AtomicCommit}).
 */
@StageApi
public final class EncodeJob {
  private static final System.Logger LOG = System.getLogger(EncodeJob.class.getName());
  /** The JSON report written into the output unless told otherwise. */
  public static final String DEFAULT_REPORT_NAME = "_lopq_encode_report.json";
  private static final double NANOS = 1e9;
  /** Task-time labels of the two stages of each partition: read and encode, then shuffle and write. */
  private static final String ENCODE_STAGE = "encode", WRITE_STAGE = "write";
  private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /**
   * What to encode, where, and how; the encode settings declared once ({@link Param}), the input
   * settings in {@link VectorInputParams}. Immutable; build with {@link #builder()}, whose
   * {@link Builder#build()} checks the values.
   */
  public static final class Params {
    /** Rows per encode batch. */
    public static final Param<Integer> BATCH_SIZE = Param.ofInt("batchSize", "Rows per encode batch", 2048,
        Check.atLeast(1)).label("batch size");
    /** Rows per output file (about 12-16 MB of codes with 8-byte ids and M = 8). */
    public static final Param<Long> ROWS_PER_FILE = Param.ofLong("rowsPerFile", "Target rows per output file",
        1_000_000L, Check.atLeast(1)).label("rows per file");
    /** The Parquet codecs Spark's Parquet libraries bring everywhere. */
    private static final List<CompressionCodecName> CODECS = List.of(CompressionCodecName.ZSTD,
        CompressionCodecName.SNAPPY, CompressionCodecName.GZIP, CompressionCodecName.LZ4_RAW,
        CompressionCodecName.UNCOMPRESSED);
    /** The Parquet compression of the codes. */
    public static final Param<CompressionCodecName> COMPRESSION = Param.<CompressionCodecName>of(
        CompressionCodecName.class, "compression", "Parquet compression: " + codecNames(),
        EncodedFileWriter.DEFAULT_CODEC, Check.of("one of " + codecNames(), CODECS::contains))
        .parser(Params::codec);
    /** Input partitions as folders. */
    public static final Param<String> PARTITION_COL = Param.ofString("partitionCol",
        "The input is a folder of COL=VALUE folders (e.g. date=2026-11-24); encode them one by one", null,
        Check.of("a plain column name", name -> !name.isBlank() && !name.contains("=") && !name.contains("/")))
        .label("partition column");
    /** Only finished input partitions. */
    public static final Param<Boolean> REQUIRE_SUCCESS = Param.flag("requireSuccess",
        "Encode only input partitions whose folder holds _SUCCESS");

    private final String modelPath;
    private final LopqModel model;
    private final String input;
    private final String output;
    private final String format;
    private final String idCol;
    private final String vectorCol;
    private final List<String> keepCols;
    private final boolean header;
    private final String partitionCol;
    private final boolean skipInvalid;
    private final int batchSize;
    private final long rowsPerFile;
    private final int minPartitions;
    private final CompressionCodecName codec;
    private final boolean overwrite;
    private final boolean requireSuccessMarker;
    private final String report;
    private final int failAfterPartitions;
    private final Consumer<String> progress;

    private Params(Builder b) {
      this.modelPath = b.modelPath;
      this.model = b.model;
      this.input = b.input;
      this.output = b.output;
      this.format = b.format;
      this.idCol = b.idCol;
      this.vectorCol = b.vectorCol;
      this.keepCols = b.keepCols;
      this.header = b.header;
      this.partitionCol = b.partitionCol;
      this.skipInvalid = b.skipInvalid;
      this.batchSize = b.batchSize;
      this.rowsPerFile = b.rowsPerFile;
      this.minPartitions = b.minPartitions;
      this.codec = b.codec;
      this.overwrite = b.overwrite;
      this.requireSuccessMarker = b.requireSuccessMarker;
      this.report = b.report;
      this.failAfterPartitions = b.failAfterPartitions;
      this.progress = b.progress;
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
      return new Builder();
    }

    /** The codec called {@code name} (any case), among the {@link #COMPRESSION} codecs. */
    static CompressionCodecName codec(String name) {
      for (CompressionCodecName c : CODECS) {
        if (c.name().equalsIgnoreCase(name.strip())) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown compression '" + name + "'; expected one of " + codecNames());
    }

    private static String codecNames() {
      return String.join(", ", CODECS.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }

    /** Builds {@link Params}; setters return {@code this}. */
    public static final class Builder {
      private String modelPath;
      private LopqModel model;
      private String input;
      private String output;
      private String format;
      private String idCol;
      private String vectorCol = VectorInputParams.VECTOR_COL.defaultValue();
      private List<String> keepCols = VectorInputParams.KEEP_COLS.defaultValue();
      private boolean header = VectorInputParams.HEADER.defaultValue();
      private String partitionCol;
      private boolean skipInvalid = VectorInputParams.SKIP_INVALID.defaultValue();
      private int batchSize = BATCH_SIZE.defaultValue();
      private long rowsPerFile = ROWS_PER_FILE.defaultValue();
      private int minPartitions = VectorInputParams.MIN_PARTITIONS.defaultValue();
      private CompressionCodecName codec = COMPRESSION.defaultValue();
      private boolean overwrite;
      private boolean requireSuccessMarker = REQUIRE_SUCCESS.defaultValue();
      private String report;
      private int failAfterPartitions = -1;
      private Consumer<String> progress = line -> LOG.log(System.Logger.Level.INFO, line);

      private Builder() {}

      /** The model directory to load ({@link ModelStore}). */
      public Builder modelPath(String path) {
        this.modelPath = path;
        return this;
      }

      /** A model already in memory (instead of {@link #modelPath}). */
      public Builder model(LopqModel m) {
        this.model = m;
        return this;
      }

      /** The input path (a file, a folder, or with {@link #partitionCol} a folder of COL=VALUE folders). */
      public Builder input(String path) {
        this.input = path;
        return this;
      }

      /** The encoded dataset to write or extend. */
      public Builder output(String path) {
        this.output = path;
        return this;
      }

      /** The input format name ({@link VectorFormat}); null: from the first input file's name. */
      public Builder format(String name) {
        this.format = name;
        return this;
      }

      /** The input's id column; null: "id" if present, else row numbers. */
      public Builder idCol(String name) {
        this.idCol = name;
        return this;
      }

      /** The input's vector column; null keeps the default. */
      public Builder vectorCol(String name) {
        this.vectorCol = VectorInputParams.VECTOR_COL.orDefault(name);
        return this;
      }

      /** Input columns to carry through unchanged. */
      public Builder keepCols(List<String> names) {
        this.keepCols = List.copyOf(names);
        return this;
      }

      /** Whether CSV/TSV input starts with a header line. */
      public Builder header(boolean value) {
        this.header = value;
        return this;
      }

      /** The input's partition column: the input is a folder of {@code COL=VALUE} folders. */
      public Builder partitionCol(String name) {
        this.partitionCol = name;
        return this;
      }

      /** Skip and count invalid rows (wrong dimension, NaN/Inf) instead of failing. */
      public Builder skipInvalid(boolean value) {
        this.skipInvalid = value;
        return this;
      }

      /** Rows per encode batch. */
      public Builder batchSize(int rows) {
        this.batchSize = rows;
        return this;
      }

      /** Target rows per output file. */
      public Builder rowsPerFile(long rows) {
        this.rowsPerFile = rows;
        return this;
      }

      /** At least about this many input splits (fvecs/bvecs/CSV); 0: Hadoop's block-sized splits. */
      public Builder minPartitions(int n) {
        this.minPartitions = n;
        return this;
      }

      /** The Parquet compression codec. */
      public Builder codec(CompressionCodecName value) {
        this.codec = Objects.requireNonNull(value, "codec");
        return this;
      }

      /** Replace an existing encoded dataset as a whole (re-encoding every partition). */
      public Builder overwrite(boolean value) {
        this.overwrite = value;
        return this;
      }

      /** Encode only input partitions whose folder holds a {@code _SUCCESS} marker. */
      public Builder requireSuccessMarker(boolean value) {
        this.requireSuccessMarker = value;
        return this;
      }

      /** Where to write the JSON report; null: {@value EncodeJob#DEFAULT_REPORT_NAME} inside the output. */
      public Builder report(String path) {
        this.report = path;
        return this;
      }

      /** Receives the log line of each finished partition (default: this class's logger). */
      public Builder progress(Consumer<String> consumer) {
        this.progress = Objects.requireNonNull(consumer, "progress");
        return this;
      }

      /**
       * Testing only: after committing {@code n} partitions, the write task of the next one fails
       * halfway through a file, as a crash would. Negative: off.
       */
      public Builder failAfterPartitions(int n) {
        this.failAfterPartitions = n;
        return this;
      }

      /**
       * The parameters.
       *
       * @throws IllegalArgumentException naming the first missing or bad value
       */
      public Params build() {
        if ((modelPath == null || modelPath.isBlank()) && model == null) {
          throw new IllegalArgumentException("no model given (a model directory path)");
        }
        require(input, "input path");
        require(output, "output path");
        if (format != null && !format.isBlank()) {
          VectorInputParams.FORMAT.parse(format);
        }
        BATCH_SIZE.check(batchSize);
        ROWS_PER_FILE.check(rowsPerFile);
        VectorInputParams.MIN_PARTITIONS.check(minPartitions);
        if (partitionCol != null && !PARTITION_COL.isValid(partitionCol)) {
          throw new IllegalArgumentException("partition column '" + partitionCol + "' is not a plain column name");
        }
        if (partitionCol != null && keepCols.contains(partitionCol)) {
          throw new IllegalArgumentException("cannot keep the partition column '" + partitionCol
              + "': the encoded dataset has it already (from the folder names)");
        }
        return new Params(this);
      }

      private static void require(String value, String what) {
        if (value == null || value.isBlank()) {
          throw new IllegalArgumentException("no " + what + " given");
        }
      }
    }
  }

  private EncodeJob() {}

  /**
   * Encodes every input partition that the output does not hold yet.
   *
   * @throws IllegalArgumentException for bad parameters; {@link InvalidInputException} for bad input
   *     (missing, wrong dimension, invalid rows without skip mode, an output of another model)
   * @throws IOException if the model cannot be loaded or the file system fails
   */
  public static EncodeReport run(SparkSession spark, Params params) throws IOException {
    long start = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    LopqModel model = params.model != null ? params.model : ModelStore.load(new Path(params.modelPath), conf);
    ModelFit.check(spark.sparkContext(), model, params.model != null ? "of fingerprint " + model.fingerprint()
        : params.modelPath);
    Path output = new Path(params.output);
    FileSystem fs = output.getFileSystem(conf);
    if (params.overwrite && ManifestStore.read(fs, output) != null) {
      EncodeReport[] report = new EncodeReport[1];
      AtomicCommit.commit(fs, output, true, EncodeJob::checkReplaceable,
          (files, temporary) -> report[0] = new Run(spark, params, model, files, temporary, output, start).run());
      return report[0];
    }
    return new Run(spark, params, model, fs, output, output, start).run();
  }

  /** Only an encoded dataset is ever replaced. */
  private static void checkReplaceable(FileSystem fs, FileStatus existing) throws IOException {
    if (!existing.isDirectory() || ManifestStore.read(fs, existing.getPath()) == null) {
      throw new IOException("refusing to overwrite " + existing.getPath() + ": it is not an encoded dataset");
    }
  }

  /** One run: the state shared by its partitions. */
  private static final class Run {
    private final SparkSession spark;
    private final JavaSparkContext jsc;
    private final Params params;
    private final LopqModel model;
    private final FileSystem fs;
    private final Path root;
    private final Path reportedOutput;
    private final long start;
    private final String runId;
    private TaskTimes times;
    private TaskTimes.Section encoderCpu;
    private Broadcast<LopqModel> broadcast;

    Run(SparkSession spark, Params params, LopqModel model, FileSystem fs, Path root, Path reportedOutput,
        long start) {
      this.spark = spark;
      this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      this.params = params;
      this.model = model;
      this.fs = fs;
      this.root = root;
      this.reportedOutput = reportedOutput;
      this.start = start;
      this.runId = LocalDateTime.now(ZoneOffset.UTC).format(RUN_TIME) + "-"
          + UUID.randomUUID().toString().substring(0, 8);
    }

    EncodeReport run() throws IOException {
      List<InputPartition> inputs = InputPartition.list(new Path(params.input).getFileSystem(fs.getConf()),
          params.input, params.partitionCol);
      EncodedCommitter committer = EncodedCommitter.open(fs, root, model, params.partitionCol, runId);
      List<EncodeReport.PartitionReport> encoded = new ArrayList<>();
      List<String> upToDate = new ArrayList<>();
      List<String> notReady = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      times = TaskTimes.register(spark.sparkContext());
      encoderCpu = times.section("encoder");
      try {
        committer.removeLeftovers().forEach(p -> removed.add(p.toString()));
        Set<String> committed = committer.committedNames();
        List<InputPartition> todo = new ArrayList<>();
        for (InputPartition p : inputs) {
          if (committed.contains(p.name())) {
            upToDate.add(p.name());
          } else if (params.requireSuccessMarker && !p.ready()) {
            notReady.add(p.name());
          } else {
            todo.add(p);
          }
        }
        if (!todo.isEmpty()) {
          broadcast = jsc.broadcast(model);
        }
        for (int i = 0; i < todo.size(); i++) {
          EncodeReport.PartitionReport done = encode(committer, todo.get(i), i == params.failAfterPartitions);
          encoded.add(done);
          params.progress.accept(done.logLine());
        }
      } finally {
        if (broadcast != null) {
          broadcast.destroy();
        }
        times.close();
        committer.finish();
      }
      EncodedManifest manifest = committer.manifest();
      long datasetRows = manifest == null ? 0 : manifest.rows();
      long datasetBytes = 0;
      if (manifest != null) {
        for (var p : manifest.partitions()) {
          datasetBytes += p.bytes();
        }
      }
      EncodeReport report = new EncodeReport(reportedOutput.toString(), model.fingerprint(), encoded, upToDate,
          notReady, removed, datasetRows, datasetBytes, (System.nanoTime() - start) / NANOS, encoderCpu.cpuNanos(), times.cpuNanos(ENCODE_STAGE), times.cpuNanos(WRITE_STAGE),
          spark.sparkContext().defaultParallelism()).blas(BlasReport.section(spark.sparkContext()));
      writeReport(report, manifest != null && manifest.revision() > 0);
      return report;
    }

    private void writeReport(EncodeReport report, boolean datasetExists) throws IOException {
      Path target;
      FileSystem targetFs;
      if (params.report != null) {
        target = new Path(params.report);
        targetFs = target.getFileSystem(fs.getConf());
      } else if (datasetExists) {
        target = new Path(root, DEFAULT_REPORT_NAME);
        targetFs = fs;
      } else {
        return;
      }
      AtomicCommit.commit(targetFs, target, true, AtomicCommit.ANY, (files, temporary) -> {
        try (OutputStream out = files.create(temporary, false)) {
          out.write(report.toJson());
        }
      });
    }

    private EncodeReport.PartitionReport encode(EncodedCommitter committer, InputPartition partition,
        boolean injectFailure) throws IOException {
      long t0 = System.nanoTime();
      VectorDataset vectors = read(partition);
      boolean stringIds = vectors.idType().equals(DataTypes.StringType);
      StructField[] fields = vectors.rows().schema().fields();
      List<KeptColumn> kept = new ArrayList<>();
      DataType[] keptTypes = new DataType[fields.length - 2];
      for (int k = 2; k < fields.length; k++) {
        try {
          kept.add(EncodedSchema.keptColumn(fields[k]));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("input " + partition.path() + ": " + e.getMessage(), e);
        }
        keptTypes[k - 2] = fields[k].dataType();
      }
      committer.requireLayout(model, stringIds, kept, params.partitionCol);
      Path staging = committer.staging(partition.name());

      VectorBlocks input = VectorBlocks.withKeptColumns(vectors);
      JavaRDD<EncodedChunk> chunks = input.rows()
          .mapPartitions(new EncodeTask(broadcast, input.reader(), params.batchSize, keptTypes, encoderCpu))
          .persist(Storage.ON_DISK);
      try {
        long[] histogram;
        try (TaskTimes.Label encoding = times.label(ENCODE_STAGE)) {
          histogram = chunks.mapPartitions(new CellHistogram(model.coarseClusters()))
              .fold(new long[FileBuckets.bins(model.coarseClusters())], CellHistogram::add);
        }
        long rowCount = 0;
        for (long c : histogram) {
          rowCount += c;
        }
        long t1 = System.nanoTime();
        List<WrittenFile> written = List.of();
        if (rowCount > 0) {
          int files = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (rowCount + params.rowsPerFile - 1)
              / params.rowsPerFile));
          FileBuckets buckets = FileBuckets.balanced(histogram, model.coarseClusters(), files);
          WriteTask write = new WriteTask(broadcast, new SerializableConfiguration(fs.getConf()),
              staging.toString(), runId, stringIds, kept, params.codec, injectFailure);
          try (TaskTimes.Label writing = times.label(WRITE_STAGE)) {
            written = chunks.flatMapToPair(new SplitByFile(buckets))
                .partitionBy(new SplitByFile.ByFileIndex(files))
                .mapPartitionsWithIndex(write, false)
                .collect();
          }
        }
        long t2 = System.nanoTime();
        List<EncodedFile> entries = new ArrayList<>();
        long writtenRows = 0;
        for (WrittenFile f : written) {
          entries.add(f.inPartition(partition.name()));
          writtenRows += f.rows;
        }
        if (writtenRows != rowCount) {
          throw new IllegalStateException("partition " + partition.name() + ": encoded " + rowCount
              + " rows but the files hold " + writtenRows + "; nothing was committed");
        }
        long skipped = vectors.skippedCount();
        var committed = committer.commit(partition.name(), partition.value(), skipped, entries);
        long t3 = System.nanoTime();
        return new EncodeReport.PartitionReport(partition.name(), committed.rows(), skipped, entries.size(),
            committed.bytes(), (t1 - t0) / NANOS, (t2 - t1) / NANOS, (t3 - t0) / NANOS);
      } finally {
        chunks.unpersist(false);
      }
    }

    /**
     * Reads one input partition, checking its dimension against the model's. An input without rows
     * is encoded as an empty partition (what a scheduled run over an empty day should write).
     */
    private VectorDataset read(InputPartition partition) {
      VectorInput in = VectorInput.of(partition.path())
          .withFormat(format(partition))
          .withVectorCol(params.vectorCol)
          .withKeepCols(params.keepCols)
          .withHeader(params.header)
          .withSkipInvalid(params.skipInvalid)
          .withMinPartitions(params.minPartitions)
          .withAllowEmpty(true);
      if (params.idCol != null) {
        in = in.withIdCol(params.idCol);
      }
      VectorDataset vectors = in.load(spark);
      if (vectors.dimension() == 0) {
        // No rows (an empty file, or Parquet files with a schema and no rows): an empty partition.
        return new VectorDataset(vectors.rows(), model.dimension(), vectors.skippedRows());
      }
      if (vectors.dimension() != model.dimension()) {
        throw new InvalidInputException("input " + partition.path() + " has vectors of dimension "
            + vectors.dimension() + ", but the model " + modelName() + " expects D=" + model.dimension());
      }
      return vectors;
    }

    /** The format given, else the one the first data file's name implies. */
    private VectorFormat format(InputPartition partition) {
      if (params.format != null && !params.format.isBlank()) {
        return VectorFormat.fromName(params.format);
      }
      InputFiles files = InputFiles.list(partition.path(), fs.getConf());
      if (files.files().isEmpty()) {
        throw files.noRows();
      }
      return VectorFormat.fromPath(files.files().get(0).getPath().getName());
    }

    private String modelName() {
      return (params.modelPath != null ? params.modelPath + " " : "") + "(fingerprint " + model.fingerprint() + ")";
    }
  }
}
