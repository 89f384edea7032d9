package io.lopq.cli;

import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.VectorInput;
import io.lopq.model.LopqModel;
import io.lopq.spark.train.TrainJob;
import io.lopq.spark.train.TrainPlan;
import io.lopq.spark.train.TrainStep;
import io.lopq.train.TrainingParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lopq train}: trains an LOPQ model on Spark ({@link TrainJob}) and writes it, with its
 * training report ({@value TrainJob#REPORT_FILE}) inside the model directory. Only parses options;
 * the work is the job's.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train an LOPQ model on Spark (coarse k-means, local rotations and subquantizers on executors).")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Vectors to train on: .fvecs/.bvecs, CSV/TSV or Parquet (file or folder; any Hadoop file system).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "MODEL", description = "Model directory to create.")
  String output;

  @Option(names = "--coarse-clusters", paramLabel = "V",
      description = "Coarse clusters per half (required unless --init-model gives it).")
  Integer coarseClusters;

  @Option(names = "--subquantizers", paramLabel = "M",
      description = "Subquantizers in total, even; M/2 per half (required unless --init-model gives it).")
  Integer subquantizers;

  @Option(names = "--subquantizer-clusters", paramLabel = "K",
      description = "Centroids per subquantizer, at most 256 (default 256, or the initial model's).")
  Integer subquantizerClusters;

  @ArgGroup(exclusive = true)
  SampleOptions sample;

  /** --sample N or --sample-fraction F, not both. */
  static final class SampleOptions {
    @Option(names = "--sample", paramLabel = "N",
        description = "Train the k-means steps on a seeded sample of about N rows (rotations use every row).")
    Long rows;

    @Option(names = "--sample-fraction", paramLabel = "F",
        description = "Train the k-means steps on a seeded sample of this fraction of the rows, in (0, 1].")
    Double fraction;
  }

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--iterations", paramLabel = "N",
      description = "Lloyd iterations of every k-means (default " + TrainingParams.DEFAULT_COARSE_ITERATIONS + ").")
  Integer iterations;

  @Option(names = "--coarse-iterations", paramLabel = "N", description = "Lloyd iterations of the coarse k-means.")
  Integer coarseIterations;

  @Option(names = "--subquantizer-iterations", paramLabel = "N",
      description = "Lloyd iterations of each subquantizer k-means.")
  Integer subquantizerIterations;

  @Option(names = "--subquantizer-samples", paramLabel = "N",
      description = "At most this many rows per subquantizer k-means (default "
          + TrainingParams.DEFAULT_MAX_SUBQUANTIZER_SAMPLES + ").")
  Integer subquantizerSamples;

  @Option(names = "--refine-iterations", defaultValue = "0", paramLabel = "R",
      description = "Rounds of refinement (Procrustes rotations + warm subquantizers); never raises the distortion "
          + "(default ${DEFAULT-VALUE}).")
  int refineIterations;

  @Option(names = "--steps", paramLabel = "LIST",
      description = "Steps to run: a subset of coarse,rotations,subquantizers (default all); the others are kept "
          + "from --init-model.")
  String steps;

  @Option(names = "--init-model", paramLabel = "MODEL",
      description = "Model whose parts the steps left out of --steps keep (and whose V, M, K are the defaults).")
  String initModel;

  @Option(names = "--min-rotation-cluster-size", paramLabel = "N",
      description = "Clusters with fewer rows take the fallback rotation (default D/2 + 1).")
  Integer minRotationClusterSize;

  @Option(names = "--rotation-fallback", defaultValue = "global", paramLabel = "global|identity",
      description = "Rotation of small clusters: fitted on all residuals of the half, or the identity "
          + "(default ${DEFAULT-VALUE}).")
  String rotationFallback;

  @Option(names = "--distortion-sample", paramLabel = "N",
      description = "Rows encoded to estimate the distortion (default " + TrainPlan.DEFAULT_DISTORTION_SAMPLE_ROWS
          + ").")
  Integer distortionSample;

  @Option(names = "--coarse-init-steps", paramLabel = "N",
      description = "k-means|| rounds of the coarse k-means (default " + TrainPlan.DEFAULT_COARSE_INIT_STEPS + ").")
  Integer coarseInitSteps;

  @Option(names = "--coarse-spark-iterations", paramLabel = "N",
      description = "Of the coarse Lloyd iterations, how many Spark MLlib's k-means runs after its k-means|| "
          + "initialisation; the rest are batched (BLAS) iterations (default " + TrainPlan.DEFAULT_COARSE_SPARK_ITERATIONS
          + ").")
  Integer coarseSparkIterations;

  @Option(names = "--coarse-spark-rows-per-cluster", paramLabel = "N",
      description = "Spark MLlib's k-means runs on a seeded sub-sample of at most N x V rows of the training sample "
          + "(default " + TrainPlan.DEFAULT_COARSE_SPARK_ROWS_PER_CLUSTER + ").")
  Integer coarseSparkRowsPerCluster;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Input format: fvecs, bvecs, csv, tsv or parquet (default: from the path name).")
  String format;

  @Option(names = "--id-col", paramLabel = "NAME", description = "Id column of Parquet or CSV/TSV-with-header input.")
  String idCol;

  @Option(names = "--vector-col", paramLabel = "NAME",
      description = "Vector column of Parquet or CSV/TSV-with-header input (default vector).")
  String vectorCol;

  @Option(names = "--header", description = "CSV/TSV files start with a header line.")
  boolean header;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Read fvecs/bvecs/CSV/TSV in at least about N partitions (default: one per file block).")
  Integer partitions;

  @Option(names = "--report", paramLabel = "PATH",
      description = "Also write the training report (JSON) here; it is always written inside the model directory.")
  String report;

  @Option(names = "--overwrite", description = "Replace an existing model (and report) at the output paths.")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    SparkSession session = spark.session("lopq train");
    LopqModel initial = initModel == null ? null
        : ModelStore.load(new Path(initModel), session.sparkContext().hadoopConfiguration());
    TrainJob.Params params = new TrainJob.Params(vectorInput(), output, plan(initial), initial, initModel, report,
        overwrite);
    TrainJob.Result result = TrainJob.run(session, params);
    printSummary(result);
    return ExitCodes.OK;
  }

  private VectorInput vectorInput() {
    VectorInput in = VectorInput.of(input).withFormat(format).withHeader(header);
    if (idCol != null) {
      in = in.withIdCol(idCol);
    }
    if (vectorCol != null) {
      in = in.withVectorCol(vectorCol);
    }
    if (partitions != null) {
      in = in.withMinPartitions(partitions);
    }
    return in;
  }

  private TrainPlan plan(LopqModel initial) {
    int v = required(coarseClusters, initial == null ? null : initial.coarseClusters(), "--coarse-clusters");
    int m = required(subquantizers, initial == null ? null : initial.subquantizers(), "--subquantizers");
    int k = subquantizerClusters != null ? subquantizerClusters
        : initial != null ? initial.subquantizerClusters() : TrainingParams.DEFAULT_SUBQUANTIZER_CLUSTERS;
    TrainingParams.Builder training = TrainingParams.builder(v, m).subquantizerClusters(k).seed(seed)
        .refineIterations(refineIterations).rotationFallback(fallback());
    if (iterations != null) {
      training.coarseIterations(iterations).subquantizerIterations(iterations);
    }
    if (coarseIterations != null) {
      training.coarseIterations(coarseIterations);
    }
    if (subquantizerIterations != null) {
      training.subquantizerIterations(subquantizerIterations);
    }
    if (subquantizerSamples != null) {
      training.maxSubquantizerSamples(subquantizerSamples);
    }
    if (minRotationClusterSize != null) {
      if (minRotationClusterSize < 1) {
        throw new IllegalArgumentException("--min-rotation-cluster-size must be >= 1, got " + minRotationClusterSize);
      }
      training.minRotationClusterSize(minRotationClusterSize);
    }
    TrainPlan.Builder plan = TrainPlan.builder(training.build());
    if (sample != null && sample.rows != null) {
      plan.sampleRows(sample.rows);
    } else if (sample != null && sample.fraction != null) {
      plan.sampleFraction(sample.fraction);
    }
    if (steps != null) {
      plan.steps(TrainStep.parse(steps));
    }
    if (distortionSample != null) {
      plan.distortionSampleRows(distortionSample);
    }
    if (coarseInitSteps != null) {
      plan.coarseInitSteps(coarseInitSteps);
    }
    if (coarseSparkIterations != null) {
      plan.coarseSparkIterations(coarseSparkIterations);
    }
    if (coarseSparkRowsPerCluster != null) {
      plan.coarseSparkRowsPerCluster(coarseSparkRowsPerCluster);
    }
    return plan.build();
  }

  private TrainingParams.RotationFallback fallback() {
    try {
      return TrainingParams.RotationFallback.valueOf(rotationFallback.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--rotation-fallback must be global or identity, got '" + rotationFallback + "'");
    }
  }

  private int required(Integer given, Integer fromModel, String option) {
    if (given != null) {
      return given;
    }
    if (fromModel != null) {
      return fromModel;
    }
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '" + option
        + "' (it may be left out only with --init-model)");
  }

  private void printSummary(TrainJob.Result result) {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> report = result.report();
    LopqModel model = result.model();
    out.printf(Locale.ROOT, "trained %s on %s rows of dimension %d%n", model, report.get("rows"), model.dimension());
    out.printf(Locale.ROOT, "distortion %s (%s)%n", report.get("distortion"), report.get("distortionMeasure"));
    out.printf(Locale.ROOT, "model: %s (report: %s)%n", result.modelPath(), TrainJob.REPORT_FILE
        + (this.report != null ? ", copy at " + this.report : ""));
    out.printf(Locale.ROOT, "training took %s s%n", report.get("jobSeconds"));
    out.flush();
  }
}
