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
      String model = PathArgs.of(spec, positional).take("--model", this.model, "MODEL").values().get(0);
      LopqModel loaded = ModelStore.load(model);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("model        %s%n", model);
      out.printf("dimension    D=%d%n", loaded.dimension());
      out.printf("coarse       V=%d per half (%d cells)%n", loaded.coarseClusters(),
          (long) loaded.coarseClusters() * loaded.coarseClusters());
      out.printf("fine         M=%d subquantizers x K=%d centroids%n", loaded.subquantizers(),
          loaded.subquantizerClusters());
      out.printf("codebooks    %s%n", loaded.hasLocalCodebooks()
          ? "local (one set per coarse cluster of each half; not exportable to Yahoo LOPQ)"
          : "global (shared by all cells)");
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
    @Mixin CopyOptions copy;

    @Override
    public Integer call() throws IOException {
      return copy.copy(ModelStore::load, YahooModelStore::save, "Yahoo LOPQ protobuf");
    }
  }

  /** {@code lopq model import --input IN.pb --output MODEL}. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Read a Yahoo LOPQ protobuf model and save it in this project's format.")
  static final class Import implements Callable<Integer> {
    @Mixin CopyOptions copy;

    @Override
    public Integer call() throws IOException {
      return copy.copy(YahooModelStore::load, ModelStore::save, "model directory");
    }
  }

  /**
   * What export and import share: the model to read ({@code --input}), where to write it
   * ({@code --output}, refused if it exists unless {@code --overwrite}), and the positional form
   * of earlier versions ({@code export MODEL OUT.pb}, {@code import IN.pb MODEL}), still accepted.
   */
  static final class CopyOptions {
    /** Per-command help of the paths, by picocli's qualified key. */
    static final Map<String, String> COMMAND_TEXTS = Map.of(
        "lopq.model.export.model.input", "Model directory to export.",
        "lopq.model.export.model.output", "Protobuf file to write.",
        "lopq.model.import.model.input", "Protobuf file to read.",
        "lopq.model.import.model.output", "Model directory to write.");

    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Option(names = "--input", paramLabel = "PATH", descriptionKey = "model.input", description = "What to read.")
    String input;

    @Option(names = "--output", paramLabel = "PATH", descriptionKey = "model.output", description = "What to write.")
    String output;

    @Parameters(arity = "0..2", paramLabel = "PATH", hidden = true,
        description = "Deprecated: INPUT OUTPUT; use --input and --output.")
    List<String> positional = new ArrayList<>();

    @Mixin OverwriteOption overwrite;

    /**
     * Reads the model at {@code --input} and writes it to {@code --output}, refusing an existing
     * output without {@code --overwrite} before reading anything, and prints one line of what was
     * written.
     */
    int copy(Load load, Save save, String what) throws IOException {
      List<String> paths = PathArgs.of(spec, positional).take("--input", input, "PATH")
          .take("--output", output, "PATH").values();
      String to = paths.get(1);
      overwrite.requireWritable("output", to);
      LopqModel model = load.load(paths.get(0));
      save.save(model, to, overwrite.overwrite());
      printWritten(spec, to, what, model);
      return ExitCodes.OK;
    }
  }

  /** Reads a model from a path. */
  @FunctionalInterface
  private interface Load {
    LopqModel load(String path) throws IOException;
  }

  /** Writes a model to a path. */
  @FunctionalInterface
  private interface Save {
    void save(LopqModel model, String path, boolean overwrite) throws IOException;
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
   * positional argument (the deprecated form); a usage error when one is missing or positional
   * arguments are left over.
   */
  private static final class PathArgs {
    private final CommandSpec spec;
    private final List<String> positional;
    private final List<String> values = new ArrayList<>();
    private int next;

    private PathArgs(CommandSpec spec, List<String> positional) {
      this.spec = spec;
      this.positional = positional;
    }

    static PathArgs of(CommandSpec spec, List<String> positional) {
      return new PathArgs(spec, positional);
    }

    /** Takes the option's value, else the next positional argument. */
    PathArgs take(String option, String given, String label) {
      if (given != null) {
        values.add(given);
      } else if (next < positional.size()) {
        values.add(positional.get(next++));
      } else {
        throw new ParameterException(spec.commandLine(), "Missing required option: '" + option + "=" + label + "'");
      }
      return this;
    }

    /** The paths taken, in order; a usage error if positional arguments are left over. */
    List<String> values() {
      if (next < positional.size()) {
        throw new ParameterException(spec.commandLine(), "unexpected argument '" + positional.get(next)
            + "': give the paths as options (" + spec.options().stream().filter(o -> !o.usageHelp() && !o.versionHelp())
            .map(o -> o.longestName()).filter(n -> !n.equals("--overwrite")).toList() + ")");
      }
      return values;
    }
  }
}
