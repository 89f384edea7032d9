package io.lopq.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One bad input of the table in {@code docs/BAD-INPUT.md}: the command that meets it, the exit code
 * and the words its one-line error must contain (the bad value and what was expected), and the
 * output folder that must look exactly as before the run (nothing written, nothing left over).
 *
 * @param id the row's key in docs/BAD-INPUT.md
 * @param args the command line ({@code lopq ARGS}; {@code --master} is added by the runner)
 * @param exitCode {@value io.lopq.cli.ExitCodes#FAILED} for a failed job,
 *     {@value io.lopq.cli.ExitCodes#USAGE} for a command line picocli rejects
 * @param mentions fragments the error output must contain
 * @param outputDir the folder the command's output goes into, compared before and after
 */
record BadInputCase(String id, List<String> args, int exitCode, List<String> mentions, Path outputDir) {
  /** A builder: {@code BadInputCase.of("id", outDir).args(...).fails(1, "word", ...)}. */
  static Builder of(String id, Path outputDir) {
    return new Builder(id, outputDir);
  }

  @Override
  public String toString() {
    return id;
  }

  static final class Builder {
    private final String id;
    private final Path outputDir;
    private final List<String> args = new ArrayList<>();

    private Builder(String id, Path outputDir) {
      this.id = id;
      this.outputDir = outputDir;
    }

    Builder args(Object... values) {
      for (Object v : values) {
        args.add(v.toString());
      }
      return this;
    }

    BadInputCase fails(int exitCode, String... mentions) {
      return new BadInputCase(id, List.copyOf(args), exitCode, List.of(mentions), outputDir);
    }
  }
}
