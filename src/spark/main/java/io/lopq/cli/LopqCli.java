package io.lopq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lopq} command line: one subcommand per pipeline step. The same main class runs in
 * the embedded launcher ({@code scripts/lopq}) and under {@code spark-submit --class
 * io.lopq.cli.LopqCli <job jar> <command> ...}.
 *
 * <p>Option help comes from the parameter declarations ({@link ParamHelp}); options that several
 * commands share are declared once in mixins ({@link InputOptions}, {@link OutputOptions},
 * {@link OverwriteOption}, {@link RerankOptions}, {@link SparkOptions}).
 *
 * <p>Exit codes: {@value ExitCodes#OK} success, {@value ExitCodes#FAILED} the job failed (bad
 * input, bad model, I/O), {@value ExitCodes#USAGE} the command line itself was wrong.
 */
@Command(
    name = "lopq",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    resourceBundle = ParamHelp.BUNDLE,
    description = "Locally Optimized Product Quantization on Apache Spark: train, encode, search, eval.",
    subcommands = {
      TrainCommand.class,
      EncodeCommand.class,
      SearchCommand.class,
      QueryCommand.class,
      IndexCommand.class,
      EvalCommand.class,
      SqlCommand.class,
      ConvertCommand.class,
      ModelCommand.class,
      GenerateCommand.class,
      SynthCommand.class,
      GroundTruthCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class LopqCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Builds the command line with our error handling wired in. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new LopqCli());
    commandLine.setExecutionExceptionHandler(new FailureReporter());
    commandLine.setParameterExceptionHandler(new UsageReporter());
    return commandLine;
  }

  /** Runs a command line and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** Entry point for the launcher and spark-submit. */
  public static void main(String[] args) {
    int code = run(args);
    System.exit(code);
  }
}
