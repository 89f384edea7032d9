package io.lopq.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code lopq eval}: Recall of search results against exact ground truth (Recall@R, k-recall@k, candidate sweeps). */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Recall of search results against exact ground truth (Recall@R, k-recall@k, candidate sweeps).")
final class EvalCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("'lopq eval' is not available in this build yet");
  }
}
