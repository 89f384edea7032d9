package io.lopq.it;

import io.lopq.cli.LopqCli;
import io.lopq.spark.common.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs an {@code lopq} command in this JVM, as the real command line does
 * ({@link LopqCli#commandLine()}: same parsing, same error reporting and exit codes), on the test
 * JVM's shared {@code local[2]} session, capturing what it prints.
 */
final class Cli {
  private Cli() {}

  /** What a command printed and returned. */
  record Run(List<String> args, int exitCode, String out, String err) {
    /** Fails unless the command returned 0. */
    Run assertOk() {
      if (exitCode != 0) {
        throw new AssertionError("lopq " + String.join(" ", args) + " returned " + exitCode + "\nstderr: " + err
            + "\nstdout: " + out);
      }
      return this;
    }
  }

  /** Runs {@code lopq ARGS --master local[2]} in-process. */
  static Run run(String... args) {
    SharedSpark.session(); // the test session (scratch folders under target/) is the one commands get
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--master");
    all.add("local[" + SharedSpark.THREADS + "]");
    return runExactly(all);
  }

  /** Runs {@code lopq ARGS} in-process, exactly as given. */
  static Run runExactly(List<String> args) {
    CommandLine commandLine = LopqCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args.toArray(String[]::new));
    return new Run(List.copyOf(args), code, out.toString(), err.toString());
  }
}
