package io.lopq.cli;

import io.lopq.format.vectors.IdxImages;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lopq convert}: turns an IDX image file (MNIST, Fashion-MNIST; plain or gzip) into an
 * {@code .fvecs} file of 0..255 pixel values, one row per image. No Spark is started.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert an IDX image file (e.g. Fashion-MNIST, .gz or plain) to .fvecs.")
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "IDX", description = "IDX file (any Hadoop path).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "FVECS", description = ".fvecs file to write.")
  String output;

  @Option(names = "--limit", paramLabel = "N", description = "Convert only the first N items (default: all).")
  int limit;

  @Mixin OverwriteOption overwrite;

  @Override
  public Integer call() throws IOException {
    Path path = new Path(input);
    IdxImages images;
    try (InputStream in = path.getFileSystem(new Configuration()).open(path)) {
      images = IdxImages.read(in, input, limit);
    }
    int d = images.dimension();
    float[] values = images.values();
    long rows = LocalFiles.writeFvecsAtomically(output, overwrite.overwrite(), writer -> {
      for (int r = 0; r < images.rows(); r++) {
        writer.write(Arrays.copyOfRange(values, r * d, (r + 1) * d));
      }
    });
    spec.commandLine().getOut().printf("wrote %d vectors of dimension %d to %s%n", rows, d, output);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
