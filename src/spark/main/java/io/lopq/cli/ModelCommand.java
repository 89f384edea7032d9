package io.lopq.cli;

import io.lopq.io.model.ModelStore;
import io.lopq.format.model.YahooLopqProtobuf;
import io.lopq.io.model.YahooModelStore;
import io.lopq.model.LopqModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
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

  /** {@code lopq model info --model MODEL}. */
  @Command(name = "info", mixinStandardHelpOptions = true, description = "Print a model's shape, fingerprint and metadata.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", description = "Model directory (any Hadoop path).")
    String model;

    @Parameters(arity = "0..1", paramLabel = "MODEL", hidden = true, description = "Deprecated: use --model.")
    List<String> positional = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
      PathArgs paths = PathArgs.of(spec, positional);
      String model = paths.take("--model", this.model, "MODEL");
      paths.done();
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

  /** {@code lopq model export --input MODEL --output OUT.pb}. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a model in Yahoo LOPQ's protobuf layout (LOPQModelParams).")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--input", paramLabel = "MODEL", description = "Model directory to export.")
    String input;

    @Option(names = "--output", paramLabel = "OUT.pb", description = "Protobuf file to write.")
    String output;

    @Parameters(arity = "0..2", paramLabel = "PATH", hidden = true,
        description = "Deprecated: MODEL OUT.pb; use --input and --output.")
    List<String> positional = new ArrayList<>();

    @Mixin OverwriteOption overwrite;

    @Override
    public Integer call() throws IOException {
      PathArgs paths = PathArgs.of(spec, positional);
      String model = paths.take("--input", input, "MODEL");
      String pb = paths.take("--output", output, "OUT.pb");
      paths.done();
      overwrite.requireWritable("output", pb);
      LopqModel loaded = ModelStore.load(model);
      YahooModelStore.save(loaded, pb, overwrite.overwrite());
      printWritten(spec, pb, "Yahoo LOPQ protobuf", loaded);
      return ExitCodes.OK;
    }
  }

  /** {@code lopq model import --input IN.pb --output MODEL}. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Read a Yahoo LOPQ protobuf model and save it in this project's format.")
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--input", paramLabel = "IN.pb", description = "Protobuf file to read.")
    String input;

    @Option(names = "--output", paramLabel = "MODEL", description = "Model directory to write.")
    String output;

    @Parameters(arity = "0..2", paramLabel = "PATH", hidden = true,
        description = "Deprecated: IN.pb MODEL; use --input and --output.")
    List<String> positional = new ArrayList<>();

    @Mixin OverwriteOption overwrite;

    @Override
    public Integer call() throws IOException {
      PathArgs paths = PathArgs.of(spec, positional);
      String pb = paths.take("--input", input, "IN.pb");
      String model = paths.take("--output", output, "MODEL");
      paths.done();
      overwrite.requireWritable("output", model);
      LopqModel loaded = YahooModelStore.load(pb);
      ModelStore.save(loaded, model, overwrite.overwrite());
      printWritten(spec, model, "model directory", loaded);
      return ExitCodes.OK;
    }
  }

  /** "wrote PATH (WHAT): D=16 V=4 M=4 K=16, 1234 bytes". */
  private static void printWritten(CommandSpec spec, String path, String what, LopqModel model) throws IOException {
    Path written = new Path(path);
    long bytes = written.getFileSystem(new Configuration()).getContentSummary(written).getLength();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "wrote %s (%s): D=%d V=%d M=%d K=%d, %d bytes%n", path, what, model.dimension(),
        model.coarseClusters(), model.subquantizers(), model.subquantizerClusters(), bytes);
    out.flush();
  }

  /**
   * The paths of a command whose options once were positional: each option, else the next
   * positional argument (the deprecated form); a usage error when one is missing, given twice or
   * left over.
   */
  private static final class PathArgs {
    private final CommandSpec spec;
    private final List<String> positional;
    private int next;

    private PathArgs(CommandSpec spec, List<String> positional) {
      this.spec = spec;
      this.positional = positional;
    }

    static PathArgs of(CommandSpec spec, List<String> positional) {
      return new PathArgs(spec, positional);
    }

    /** The option's value, else the next positional argument. */
    String take(String option, String given, String label) {
      if (given != null) {
        return given;
      }
      if (next < positional.size()) {
        return positional.get(next++);
      }
      throw new ParameterException(spec.commandLine(), "Missing required option: '" + option + "=" + label + "'");
    }

    /** Fails if positional arguments are left over (given as well as the options). */
    void done() {
      if (next < positional.size()) {
        throw new ParameterException(spec.commandLine(), "unexpected argument '" + positional.get(next)
            + "': give the paths as options (" + spec.options().stream().filter(o -> !o.usageHelp() && !o.versionHelp())
            .map(o -> o.longestName()).filter(n -> !n.equals("--overwrite")).toList() + ")");
      }
    }
  }
}
