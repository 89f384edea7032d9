package io.lopq.spark.train;

import io.lopq.spark.common.StageApi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lopq.io.fs.AtomicCommit;
import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.VectorDataset;
import io.lopq.io.vectors.VectorInput;
import io.lopq.model.LopqModel;
import io.lopq.spark.common.BlasReport;
import io.lopq.spark.common.VectorBlocks;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code lopq train} as a job: reads the input ({@link VectorInput}), trains with
 * {@link DistributedTrainer}, and publishes the model directory with its training report inside:
 *
 * <pre>
 *   MODEL/model.json, MODEL/arrays.bin     the model ({@link ModelStore}'s format and checks)
 *   MODEL/training-report.json             the report ({@link #REPORT_FILE}; ModelStore ignores it)
 *   REPORT                                 a copy of the report, if asked for
 * </pre>
 *
 * The model directory is written to a hidden sibling and renamed into place ({@link AtomicCommit}),
 * so the output holds a complete model or nothing: a failure at any point leaves no model behind.
 * An existing output (or report) is refused before any work unless {@code overwrite} is set, and
 * even then only a model directory is replaced.
 */
@StageApi
public final class TrainJob {
  /** The report's name inside the model directory. */
  public static final String REPORT_FILE = "training-report.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final double NANOS_PER_SECOND = 1e9;

  private TrainJob() {}

  /**
   * Where to read, what to train and where to write. Immutable; build with {@link #builder}, whose
   * {@link Builder#build()} checks the values.
   */
  public static final class Params {
    private final VectorInput input;
    private final String output;
    private final TrainPlan plan;
    private final LopqModel initModel;
    private final String initModelPath;
    private final String report;
    private final boolean overwrite;

    private Params(Builder b) {
      this.input = b.input;
      this.output = b.output;
      this.plan = b.plan;
      this.initModel = b.initModel;
      this.initModelPath = b.initModelPath;
      this.report = b.report;
      this.overwrite = b.overwrite;
    }

    /**
     * A builder for training {@code plan} on {@code input} into the model directory {@code output}.
     */
    public static Builder builder(VectorInput input, String output, TrainPlan plan) {
      return new Builder(input, output, plan);
    }

    /** Builds {@link Params}. */
    public static final class Builder {
      private final VectorInput input;
      private final String output;
      private final TrainPlan plan;
      private LopqModel initModel;
      private String initModelPath;
      private String report;
      private boolean overwrite;

      private Builder(VectorInput input, String output, TrainPlan plan) {
        this.input = input;
        this.output = output;
        this.plan = plan;
      }

      /** The model whose parts the plan's left-out steps keep, and where it was loaded from (for the report). */
      public Builder initModel(LopqModel model, String path) {
        this.initModel = model;
        this.initModelPath = path;
        return this;
      }

      /** Where to write a copy of the training report; null for none. */
      public Builder report(String path) {
        this.report = path;
        return this;
      }

      /** Whether an existing output model (and report) may be replaced. */
      public Builder overwrite(boolean value) {
        this.overwrite = value;
        return this;
      }

      /**
       * The parameters.
       *
       * @throws IllegalArgumentException for a missing input or plan, or an empty output path
       */
      public Params build() {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(plan, "plan");
        if (output == null || output.isBlank()) {
          throw new IllegalArgumentException("output path is empty");
        }
        return new Params(this);
      }
    }
  }

  /** What the job produced. */
  public static final class Result {
    private final LopqModel model;
    private final Map<String, Object> report;
    private final String modelPath;
    private final long rotationsFittedInTasks;

    Result(LopqModel model, Map<String, Object> report, String modelPath, long rotationsFittedInTasks) {
      this.model = model;
      this.report = report;
      this.modelPath = modelPath;
      this.rotationsFittedInTasks = rotationsFittedInTasks;
    }

    /** The trained model. */
    public LopqModel model() {
      return model;
    }

    /** The training report as written (JSON-like values). */
    public Map<String, Object> report() {
      return report;
    }

    /** The fully qualified path of the model directory. */
    public String modelPath() {
      return modelPath;
    }

    /** Local rotations fitted inside Spark tasks. */
    public long rotationsFittedInTasks() {
      return rotationsFittedInTasks;
    }
  }

  /**
   * Runs the job.
   *
   * @throws FileAlreadyExistsException if the output or report exists and overwrite is off
   * @throws IOException if reading the initial model or writing fails
   * @throws IllegalArgumentException (or {@link io.lopq.format.vectors.InvalidInputException}) for bad input or
   *     parameters, with a message naming the problem
   */
  public static Result run(SparkSession spark, Params params) throws IOException {
    long start = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path output = new Path(params.output);
    FileSystem fs = output.getFileSystem(conf);
    Path qualified = fs.makeQualified(output);
    checkWritable(fs, qualified, params.overwrite, ModelStore.REPLACE_GUARD, "output model");
    Path reportCopy = params.report == null ? null : new Path(params.report);
    FileSystem reportFs = reportCopy == null ? null : reportCopy.getFileSystem(conf);
    if (reportCopy != null) {
      checkWritable(reportFs, reportFs.makeQualified(reportCopy), params.overwrite, TrainJob::requireFile, "report");
    }
    LopqModel initial = params.initModel;
    VectorDataset data = params.input.load(spark);
    TrainingOutcome outcome = new DistributedTrainer(spark, params.plan)
        .train(VectorBlocks.of(data).blocks(VectorBlocks.DEFAULT_BLOCK_ROWS), data.dimension(), initial,
            data.knownRows());
    LopqModel model = outcome.model();

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", qualified.toString());
    report.put("input", params.input.path());
    report.put("format", params.input.format().name());
    if (params.initModelPath != null) {
      report.put("initModelPath", params.initModelPath);
    }
    report.putAll(outcome.report());
    report.put("blas", BlasReport.section(spark.sparkContext()));
    report.put("jobSeconds", Math.round((System.nanoTime() - start) / NANOS_PER_SECOND * 1000) / 1000.0);
    byte[] json = JSON.writeValueAsBytes(report);

    AtomicCommit.commit(fs, qualified, params.overwrite, ModelStore.REPLACE_GUARD, (files, temporary) -> {
      ModelStore.save(model, temporary, false, conf);
      try (OutputStream out = files.create(new Path(temporary, REPORT_FILE), false)) {
        out.write(json);
      }
    });
    if (reportCopy != null) {
      AtomicCommit.commit(reportFs, reportCopy, params.overwrite, TrainJob::requireFile, (files, temporary) -> {
        try (OutputStream out = files.create(temporary, false)) {
          out.write(json);
        }
      });
    }
    return new Result(model, report, qualified.toString(), outcome.rotationsFittedInTasks());
  }

  /** Refuses an existing target up front, before any training, so a mistake costs nothing. */
  private static void checkWritable(FileSystem fs, Path target, boolean overwrite, AtomicCommit.ReplaceGuard guard,
      String what) throws IOException {
    FileStatus existing;
    try {
      existing = fs.getFileStatus(target);
    } catch (java.io.FileNotFoundException e) {
      return;
    }
    if (!overwrite) {
      throw new FileAlreadyExistsException("the " + what + " " + target + " already exists; choose another path or "
          + "pass --overwrite to replace it");
    }
    guard.check(fs, existing);
  }

  private static void requireFile(FileSystem fs, FileStatus existing) throws IOException {
    if (!existing.isFile()) {
      throw new IOException("refusing to overwrite " + existing.getPath() + " with a report: it is not a file");
    }
  }
}
