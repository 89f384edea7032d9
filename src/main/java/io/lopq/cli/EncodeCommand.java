package io.lopq.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code lopq encode}: Encode a corpus with a trained model into a compact Parquet dataset (incremental by partition). */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode a corpus with a trained model into a compact Parquet dataset (incremental by partition).")
final class EncodeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("'lopq encode' is not available in this build yet");
  }
}
