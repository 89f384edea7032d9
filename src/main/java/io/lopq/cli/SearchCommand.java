package io.lopq.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code lopq search}: Bulk kNN search of a query set against an encoded dataset (multi-sequence + ADC, optional exact re-rank). */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Bulk kNN search of a query set against an encoded dataset (multi-sequence + ADC, optional exact re-rank).")
final class SearchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("'lopq search' is not available in this build yet");
  }
}
