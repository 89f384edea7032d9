package io.lopq.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code lopq convert}: Convert IDX image files (e.g. Fashion-MNIST) to .fvecs. */
@Command(name = "convert", mixinStandardHelpOptions = true, description = "Convert IDX image files (e.g. Fashion-MNIST) to .fvecs.")
final class ConvertCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("'lopq convert' is not available in this build yet");
  }
}
