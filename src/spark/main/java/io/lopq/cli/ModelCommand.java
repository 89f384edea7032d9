package io.lopq.cli;

import io.lopq.io.model.ModelStore;
import io.lopq.format.model.YahooLopqProtobuf;
import io.lopq.io.model.YahooModelStore;
import io.lopq.model.LopqModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lopq model}: look at a model and move it between our format and Yahoo LOPQ's protobuf
 * layout. No Spark is started.
 */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Inspect a model, or import/export Yahoo LOPQ protobuf models.",
    subcommands = {ModelCommand.Info.class, ModelCommand.Export.class, ModelCommand.Import.class})
final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** {@code lopq model info MODEL}. */
  @Command(name = "info", mixinStandardHelpOptions = true, description = "Print a model's shape, fingerprint and metadata.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory (any Hadoop path).")
    String model;

    @Override
    public Integer call() throws IOException {
      LopqModel loaded = ModelStore.load(model);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("model        %s%n", model);
      out.printf("dimension    D=%d%n", loaded.dimension());
      out.printf("coarse       V=%d per half (%d cells)%n", loaded.coarseClusters(),
          (long) loaded.coarseClusters() * loaded.coarseClusters());
      out.printf("fine         M=%d subquantizers x K=%d centroids%n", loaded.subquantizers(),
          loaded.subquantizerClusters());
      out.printf("code bytes   %d (fine codes: %d bits)%n", loaded.codeBytes(), 8 * loaded.subquantizers());
      out.printf("fingerprint  %s%n", loaded.fingerprint());
      out.printf("seed         %d%n", loaded.metadata().seed());
      for (Map.Entry<String, Object> e : loaded.metadata().parameters().entrySet()) {
        out.printf("param        %s = %s%n", e.getKey(), e.getValue());
      }
      for (Map.Entry<String, Object> e : loaded.metadata().statistics().entrySet()) {
        out.printf("stat         %s = %s%n", e.getKey(), e.getValue());
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code lopq model export MODEL OUT.pb}. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a model in Yahoo LOPQ's protobuf layout (LOPQModelParams).")
  static final class Export implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory.")
    String model;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "Protobuf file to write.")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
      YahooModelStore.save(ModelStore.load(model), output, overwrite);
      return ExitCodes.OK;
    }
  }

  /** {@code lopq model import IN.pb MODEL}. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Read a Yahoo LOPQ protobuf model and save it in this project's format.")
  static final class Import implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "INPUT", description = "Protobuf file to read.")
    String input;

    @Parameters(index = "1", paramLabel = "MODEL", description = "Model directory to write.")
    String model;

    @Option(names = "--overwrite", description = "Replace an existing model.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
      ModelStore.save(YahooModelStore.load(input), model, overwrite);
      return ExitCodes.OK;
    }
  }
}
