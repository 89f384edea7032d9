package io.lopq.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code lopq train}: Train an LOPQ model on Spark (coarse k-means, local rotations and subquantizers on executors). */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train an LOPQ model on Spark (coarse k-means, local rotations and subquantizers on executors).")
final class TrainCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("'lopq train' is not available in this build yet");
  }
}
