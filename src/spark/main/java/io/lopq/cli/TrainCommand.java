package io.lopq.cli;

import io.lopq.format.vectors.VectorInputParams;
import io.lopq.io.model.ModelStore;
import io.lopq.io.vectors.VectorInput;
import io.lopq.model.LopqModel;
import io.lopq.spark.train.TrainJob;
import io.lopq.spark.train.TrainPlan;
import io.lopq.spark.train.TrainStep;
import io.lopq.train.CoarseClusterRule;
import io.lopq.train.TrainingParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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
 * the work is the job's. Each LOPQ option is the command-line form of one declaration in
 * {@link TrainingParams} or {@link TrainPlan}: its help shows the declared doc and default, and the
 * job's builders apply the default to an option not given.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train an LOPQ model on Spark (coarse k-means, local rotations and subquantizers on executors).")
final class TrainCommand implements Callable<Integer> {
  /** The {@code --coarse-clusters} value that leaves V to {@link io.lopq.train.CoarseClusterRule}. */
  static final String AUTO = "auto";

  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Vectors to train on: .fvecs/.bvecs, CSV/TSV or Parquet (file or folder; any Hadoop file system).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "MODEL", description = "Model directory to create.")
  String output;

  @Option(names = "--coarse-clusters", paramLabel = "V|auto",
      description = "${bundle:train.coarseClusters} With --init-model: the initial model's.")
  String coarseClusters;

  @Option(names = "--subquantizers", paramLabel = "M",
      description = "${bundle:train.subquantizers} With --init-model: the initial model's.")
  Integer subquantizers;

  @Option(names = "--subquantizer-clusters", paramLabel = "K",
      description = "${bundle:train.subquantizerClusters} With --init-model: the initial model's.")
  Integer subquantizerClusters;

  @ArgGroup(exclusive = true)
  SampleOptions sample;

  /** --sample N or --sample-fraction F, not both. */
  static final class SampleOptions {
    @Option(names = "--sample", paramLabel = "N", descriptionKey = "train.sampleRows")
    Long rows;

    @Option(names = "--sample-fraction", paramLabel = "F", descriptionKey = "train.sampleFraction")
    Double fraction;
  }

  @Option(names = "--seed", paramLabel = "S", descriptionKey = "train.seed")
  Long seed;

  @Option(names = "--iterations", paramLabel = "N",
      description = "Lloyd iterations of every k-means: sets --coarse-iterations and --subquantizer-iterations "
          + "(default ${bundle:train.coarseIterations.default}).")
  Integer iterations;

  @Option(names = "--coarse-iterations", paramLabel = "N", descriptionKey = "train.coarseIterations")
  Integer coarseIterations;

  @Option(names = "--subquantizer-iterations", paramLabel = "N", descriptionKey = "train.subquantizerIterations")
  Integer subquantizerIterations;

  @Option(names = "--subquantizer-samples", paramLabel = "N", descriptionKey = "train.maxSubquantizerSamples")
  Integer subquantizerSamples;

  @Option(names = "--refine-iterations", paramLabel = "R", descriptionKey = "train.refineIterations")
  Integer refineIterations;

  @Option(names = "--steps", paramLabel = "LIST", descriptionKey = "train.steps")
  String steps;

  @Option(names = "--init-model", paramLabel = "MODEL",
      description = "Model whose parts the steps left out of --steps keep (and whose V, M, K are the defaults).")
  String initModel;

  @Option(names = "--min-rotation-cluster-size", paramLabel = "N", descriptionKey = "train.minRotationClusterSize")
  Integer minRotationClusterSize;

  @Option(names = "--rotation-prior-rows", paramLabel = "N", descriptionKey = "train.rotationPriorRows")
  Integer rotationPriorRows;

  @Option(names = "--rotation-fallback", paramLabel = "global|identity", descriptionKey = "train.rotationFallback")
  String rotationFallback;

  @Option(names = "--codebooks", paramLabel = "global|local",
      description = "${bundle:train.codebooks} With --init-model: the initial model's.")
  String codebooks;

  @Option(names = "--codebook-prior-rows", paramLabel = "N", descriptionKey = "train.codebookPriorRows")
  Integer codebookPriorRows;

  @Option(names = "--local-codebook-iterations", paramLabel = "N", descriptionKey = "train.localCodebookIterations")
  Integer localCodebookIterations;

  @Option(names = "--distortion-sample", paramLabel = "N", descriptionKey = "train.distortionSampleRows")
  Integer distortionSample;

  @Option(names = "--coarse-init-steps", paramLabel = "N", descriptionKey = "train.coarseInitSteps")
  Integer coarseInitSteps;

  @Option(names = "--coarse-spark-iterations", paramLabel = "N", descriptionKey = "train.coarseSparkIterations")
  Integer coarseSparkIterations;

  @Option(names = "--coarse-spark-rows-per-cluster", paramLabel = "N",
      descriptionKey = "train.coarseSparkRowsPerCluster")
  Integer coarseSparkRowsPerCluster;

  @Mixin InputOptions in;

  /** The name train had for --min-partitions; still accepted. */
  @Option(names = "--partitions", paramLabel = "N", hidden = true,
      description = "Deprecated name of --min-partitions.")
  Integer partitions;

  @Mixin OutputOptions out;

  @Override
  public Integer call() throws IOException {
    SparkSession session = spark.session("lopq train");
    LopqModel initial = initModel == null ? null
        : ModelStore.load(new Path(initModel), session.sparkContext().hadoopConfiguration());
    TrainJob.Params params = TrainJob.Params.builder(vectorInput(), output, plan(initial))
        .initModel(initial, initModel)
        .report(out.report())
        .overwrite(out.overwrite())
        .build();
    TrainJob.Result result = TrainJob.run(session, params);
    printSummary(result);
    return ExitCodes.OK;
  }

  private VectorInput vectorInput() {
    if (partitions != null && in.minPartitions != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--partitions is the old name of --min-partitions; give one of them");
    }
    return in.read(input, partitions != null ? partitions : VectorInputParams.MIN_PARTITIONS.defaultValue());
  }

  private TrainPlan plan(LopqModel initial) {
    TrainingParams.Builder training = TrainingParams.builder();
    if (initial != null) {
      training.coarseClusters(initial.coarseClusters()).subquantizers(initial.subquantizers())
          .subquantizerClusters(initial.subquantizerClusters()).codebooks(initial.codebookScope());
    }
    if (coarseClusters != null) {
      training.coarseClusters(coarseClusters(coarseClusters));
    }
    set(subquantizers, training::subquantizers);
    set(subquantizerClusters, training::subquantizerClusters);
    set(seed, training::seed);
    set(refineIterations, training::refineIterations);
    if (rotationFallback != null) {
      training.rotationFallback(parse(TrainingParams.ROTATION_FALLBACK, rotationFallback, "--rotation-fallback"));
    }
    set(iterations, training::coarseIterations);
    set(iterations, training::subquantizerIterations);
    set(coarseIterations, training::coarseIterations);
    set(subquantizerIterations, training::subquantizerIterations);
    set(subquantizerSamples, training::maxSubquantizerSamples);
    set(minRotationClusterSize, training::minRotationClusterSize);
    set(rotationPriorRows, training::rotationPriorRows);
    if (codebooks != null) {
      training.codebooks(parse(TrainingParams.CODEBOOKS, codebooks, "--codebooks"));
    }
    set(codebookPriorRows, training::codebookPriorRows);
    set(localCodebookIterations, training::localCodebookIterations);
    TrainPlan.Builder plan = TrainPlan.builder(training.build());
    if (sample != null) {
      set(sample.rows, plan::sampleRows);
      set(sample.fraction, plan::sampleFraction);
    }
    set(steps == null ? null : TrainStep.parse(steps), plan::steps);
    set(distortionSample, plan::distortionSampleRows);
    set(coarseInitSteps, plan::coarseInitSteps);
    set(coarseSparkIterations, plan::coarseSparkIterations);
    set(coarseSparkRowsPerCluster, plan::coarseSparkRowsPerCluster);
    return plan.build();
  }

  /** Passes an option to the builder if it was given; one not given keeps the declared default. */
  private static <T> void set(T given, Consumer<T> setter) {
    if (given != null) {
      setter.accept(given);
    }
  }

  /** The value of an option read by its declaration, or a usage error naming the option. */
  /**
   * V from {@code --coarse-clusters}: {@code auto}, or a number of at least 1 (0 is how the API
   * says auto; on the command line it is refused as before, so a typo does not pass for a choice).
   */
  private int coarseClusters(String text) {
    if (AUTO.equalsIgnoreCase(text.strip())) {
      return TrainingParams.AUTO_COARSE_CLUSTERS;
    }
    int v = parse(TrainingParams.COARSE_CLUSTERS, text, "--coarse-clusters");
    if (v == TrainingParams.AUTO_COARSE_CLUSTERS) {
      throw new IllegalArgumentException("coarse clusters V must be >= 1, got " + v
          + " (or leave --coarse-clusters out, or give '" + AUTO + "', to have V chosen from the data)");
    }
    return v;
  }

  private <T> T parse(io.lopq.param.Param<T> param, String text, String option) {
    try {
      return param.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          option + " must be " + param.expectation() + ", got '" + text + "'");
    }
  }

  private void printSummary(TrainJob.Result result) {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> report = result.report();
    LopqModel model = result.model();
    out.printf(Locale.ROOT, "trained %s on %s rows of dimension %d%n", model, report.get("rows"), model.dimension());
    if (model.metadata().statistics().containsKey("coarseClustersChosen")) {
      out.printf(Locale.ROOT, "coarse clusters: V=%d per half, chosen for %s rows of dimension %d (%s)%n",
          model.coarseClusters(), report.get("rows"), model.dimension(), CoarseClusterRule.DESCRIPTION);
    }
    out.printf(Locale.ROOT, "distortion %s (%s)%n", report.get("distortion"), report.get("distortionMeasure"));
    out.printf(Locale.ROOT, "model: %s (report: %s)%n", result.modelPath(), TrainJob.REPORT_FILE
        + (this.out.report() != null ? ", copy at " + this.out.report() : ""));
    out.printf(Locale.ROOT, "training took %s s%n", report.get("jobSeconds"));
    out.flush();
  }
}
