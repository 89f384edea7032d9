package io.lopq.cli;

import io.lopq.format.vectors.SyntheticCorpus;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lopq generate}: writes a reproducible clustered data set ({@link SyntheticCorpus}) as
 * {@code .fvecs}, for demos, tests and benchmarks. Row {@code i} depends only on the seed and
 * {@code i}, so {@code --first-row} makes disjoint query sets from the same distribution.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a reproducible clustered synthetic data set as .fvecs.")
final class GenerateCommand implements Callable<Integer> {
  private static final int MAX_ROWS = 50_000_000;

  @Spec CommandSpec spec;

  @Option(names = "--output", required = true, paramLabel = "FVECS", description = ".fvecs file to write.")
  String output;

  @Option(names = "--rows", required = true, paramLabel = "N", description = "Number of vectors.")
  int rows;

  @Option(names = "--dimension", defaultValue = "32", paramLabel = "D", description = "Dimension (default ${DEFAULT-VALUE}).")
  int dimension;

  @Option(names = "--clusters", defaultValue = "16", paramLabel = "C",
      description = "Gaussian clusters in the data (default ${DEFAULT-VALUE}).")
  int clusters;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--first-row", defaultValue = "0", paramLabel = "R",
      description = "Index of the first row to generate (default ${DEFAULT-VALUE}).")
  long firstRow;

  @Mixin OverwriteOption overwrite;

  @Override
  public Integer call() throws IOException {
    if (rows < 1 || rows > MAX_ROWS) {
      throw new IllegalArgumentException("--rows must be in [1, " + MAX_ROWS + "], got " + rows);
    }
    SyntheticCorpus corpus = new SyntheticCorpus(dimension, clusters, seed);
    long written = LocalFiles.writeFvecsAtomically(output, overwrite.overwrite(), writer -> {
      float[] row = new float[dimension];
      for (long i = 0; i < rows; i++) {
        corpus.row(firstRow + i, row, 0);
        writer.write(row);
      }
    });
    spec.commandLine().getOut().printf("wrote %d vectors of dimension %d to %s%n", written, dimension, output);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
