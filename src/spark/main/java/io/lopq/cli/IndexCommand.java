package io.lopq.cli;

import io.lopq.format.encoded.PackedIndexFile;
import io.lopq.io.encoded.EncodedIndexLoader;
import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import io.lopq.search.CompactIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lopq index}: the online index's files. {@code lopq index pack} reads an encoded dataset
 * (Parquet, any Hadoop file system) and writes it as one packed index file ({@link PackedIndexFile})
 * that a serving JVM with only lopq-core on its class path loads into a {@link CompactIndex}. No
 * Spark is started.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = "Files of the online index (lopq query): pack an encoded dataset into one file.",
    subcommands = {IndexCommand.Pack.class})
final class IndexCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** {@code lopq index pack --model MODEL --index ENCODED --output FILE}. */
  @Command(name = "pack", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Write an encoded dataset (long ids) as one packed index file: ids and codes grouped by cell, "
          + "(8 + M) bytes per row, read by lopq query and by lopq-core's PackedIndexFile without Spark."})
  static final class Pack implements Callable<Integer> {
    private static final double NANOS_PER_SECOND = 1e9;

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model that encoded the index.")
    String model;

    @Option(names = "--index", required = true, paramLabel = "ENCODED", description = "Encoded dataset (lopq encode).")
    String index;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "Packed index file to write (a local path; conventionally *" + PackedIndexFile.EXTENSION + ").")
    String output;

    @Mixin OverwriteOption overwrite;

    @Override
    public Integer call() throws IOException {
      Path target = Path.of(output);
      if (!overwrite.overwrite() && java.nio.file.Files.exists(target)) {
        throw OverwriteOption.alreadyExists("packed index " + output);
      }
      LopqModel loaded = ModelStore.load(model);
      long start = System.nanoTime();
      CompactIndex compact = EncodedIndexLoader.load(new Configuration(), index, loaded);
      long read = System.nanoTime();
      long bytes = PackedIndexFile.write(compact, target);
      long done = System.nanoTime();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "packed %,d rows in %,d cells of %s into %s: %,d bytes (%.1f per row); read %.1f s, "
          + "wrote %.1f s%n", compact.size(), compact.nonEmptyCells(), index, output, bytes,
          compact.size() == 0 ? 0.0 : (double) bytes / compact.size(), (read - start) / NANOS_PER_SECOND,
          (done - read) / NANOS_PER_SECOND);
      out.flush();
      return ExitCodes.OK;
    }
  }
}
