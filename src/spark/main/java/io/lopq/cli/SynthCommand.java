package io.lopq.cli;

import io.lopq.format.vectors.IdxImages;
import io.lopq.format.vectors.ParallelChunks;
import io.lopq.format.vectors.VariedImageCorpus;
import io.lopq.format.vectors.VariedImageCorpus.Split;
import io.lopq.math.Pca;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lopq synth}: a realistic data set of any size ({@link VariedImageCorpus}): seeded edits
 * (shifts, small rotations and zooms, contrast, brightness, noise, occlusion) of real images,
 * popular images with many variants beside rare ones, as {@code .fvecs} or {@code .bvecs}; queries
 * are new edits of other images (e.g. the test split). {@code --dimension} below the pixel count
 * projects every row on the leading principal components of the source images. Rows are made by
 * {@code --threads} threads in fixed chunks and written in order to one file, so memory does not
 * grow with {@code --rows}, and row i is the same whatever {@code --rows} or {@code --threads}.
 */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Write a realistic data set of any size: seeded variations of real images (e.g. Fashion-MNIST).",
        "Base rows vary images of --source (popular images get many variants); queries vary images of "
            + "--query-source (e.g. the test split), so no query is a base row."})
final class SynthCommand implements Callable<Integer> {
  /** What the source files hold. */
  enum Like {
    /** IDX files (plain or gzip) of square grayscale images, like Fashion-MNIST's and MNIST's. */
    FASHION_MNIST;
  }

  /** Rows the PCA of {@code --dimension} is fitted on, at most (the first ones of --source). */
  static final int DEFAULT_PCA_SAMPLE = 20_000;
  private static final long PROGRESS_NANOS = 5_000_000_000L;

  @Spec CommandSpec spec;

  @Option(names = "--like", defaultValue = "fashion-mnist", paramLabel = "KIND",
      converter = LikeConverter.class,
      description = "Kind of source: fashion-mnist (IDX files of square grayscale images, plain or .gz; "
          + "default ${DEFAULT-VALUE}).")
  Like like;

  @Option(names = "--source", required = true, paramLabel = "IDX",
      description = "Images the base rows vary (e.g. train-images-idx3-ubyte.gz).")
  String source;

  @Option(names = "--query-source", paramLabel = "IDX",
      description = "Images the queries vary (e.g. t10k-images-idx3-ubyte.gz; default: --source, another stream).")
  String querySource;

  @Option(names = "--rows", defaultValue = "0", paramLabel = "N", description = "Base rows to write (with --output).")
  long rows;

  @Option(names = "--output", paramLabel = "PATH",
      description = "Base file: .fvecs, or .bvecs for raw pixels (the format follows the extension).")
  String output;

  @Option(names = "--queries", defaultValue = "0", paramLabel = "Q",
      description = "Queries to write (with --queries-output).")
  long queries;

  @Option(names = "--queries-output", paramLabel = "PATH", description = "Query file: .fvecs or .bvecs.")
  String queriesOutput;

  @Option(names = "--dimension", defaultValue = "0", paramLabel = "D",
      description = "Output dimension: 0 (default) for the raw pixels, fewer for a PCA of the source "
          + "(e.g. 128, like an image embedding).")
  int dimension;

  @Option(names = "--pca-sample", defaultValue = "" + DEFAULT_PCA_SAMPLE, paramLabel = "N",
      description = "Source images the PCA is fitted on, at most (default ${DEFAULT-VALUE}).")
  int pcaSample;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", paramLabel = "T", description = "Generating threads (default: the cores).")
  Integer threads;

  @Mixin OverwriteOption overwrite;

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    IdxImages base = readImages(source);
    int side = sideOf(base, source);
    Pca pca = null;
    if (dimension > 0 && dimension < side * side) {
      int sample = Math.min(pcaSample, base.rows());
      long started = System.nanoTime();
      pca = Pca.fit(Arrays.copyOf(base.values(), sample * side * side), sample, side * side, dimension);
      out.printf(Locale.ROOT, "fitted a PCA to %d dimensions on %d images of %s in %.1f s%n", dimension, sample,
          source, (System.nanoTime() - started) / 1e9);
    }
    int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (output != null) {
      write(new VariedImageCorpus(base.values(), base.rows(), side, seed, Split.BASE, pca), rows, output, workers, out);
    }
    if (queriesOutput != null) {
      IdxImages q = querySource == null ? base : readImages(querySource);
      if (sideOf(q, querySource) != side) {
        throw new IllegalArgumentException("--query-source " + querySource + " holds images of another size than "
            + "--source " + source);
      }
      write(new VariedImageCorpus(q.values(), q.rows(), side, seed, Split.QUERIES, pca), queries, queriesOutput,
          workers, out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private void validate() throws IOException {
    ParameterException error = null;
    if (output == null && queriesOutput == null) {
      error = usage("give --output (with --rows) and/or --queries-output (with --queries)");
    } else if (output != null && rows < 1) {
      error = usage("--rows must be >= 1 with --output, got " + rows);
    } else if (queriesOutput != null && queries < 1) {
      error = usage("--queries must be >= 1 with --queries-output, got " + queries);
    } else if (dimension < 0) {
      error = usage("--dimension must be >= 0, got " + dimension);
    } else if (pcaSample < 2) {
      error = usage("--pca-sample must be >= 2, got " + pcaSample);
    } else if (threads != null && threads < 1) {
      error = usage("--threads must be >= 1, got " + threads);
    }
    for (String path : new String[] {output, queriesOutput}) {
      if (error == null && path != null && !path.endsWith(".fvecs") && !path.endsWith(".bvecs")) {
        error = usage("output " + path + " must end in .fvecs or .bvecs");
      }
      if (error == null && path != null && path.endsWith(".bvecs") && dimension > 0) {
        error = usage(".bvecs holds raw pixels only; with --dimension " + dimension + " write .fvecs (" + path + ")");
      }
    }
    if (error != null) {
      throw error;
    }
    if (output != null) {
      overwrite.requireWritable("output", output);
    }
    if (queriesOutput != null) {
      overwrite.requireWritable("queries output", queriesOutput);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private int sideOf(IdxImages images, String name) {
    int side = (int) Math.round(Math.sqrt(images.dimension()));
    if (side * side != images.dimension()) {
      throw new IllegalArgumentException(name + " holds items of " + images.dimension()
          + " values, not square images");
    }
    if (dimension >= side * side) {
      throw new IllegalArgumentException("--dimension " + dimension + " must be below the " + side * side
          + " pixels of " + name + " (or 0 for the pixels)");
    }
    return side;
  }

  private static IdxImages readImages(String path) throws IOException {
    Path p = new Path(path);
    try (InputStream in = p.getFileSystem(new Configuration()).open(p)) {
      return IdxImages.read(in, path, 0);
    }
  }

  private void write(VariedImageCorpus corpus, long count, String path, int workers, PrintWriter out)
      throws IOException {
    long started = System.nanoTime();
    int d = corpus.dimension();
    Progress progress = new Progress(path, count, started);
    long written = LocalFiles.writeVectorsAtomically(path, overwrite.overwrite(), path.endsWith(".bvecs"),
        writer -> ParallelChunks.run(count, VariedImageCorpus.CHUNK_ROWS, d, workers, corpus::chunk, (chunk, n) -> {
          for (int i = 0; i < n; i++) {
            writer.write(Arrays.copyOfRange(chunk, i * d, (i + 1) * d));
          }
          progress.add(n);
        }));
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(Locale.ROOT, "wrote %d vectors of dimension %d to %s in %.1f s (%.0f vectors/s, %d threads)%n",
        written, d, path, seconds, written / Math.max(seconds, 1e-9), workers);
    out.flush();
  }

  /** Rows done of rows total, the rate and the time left, on standard error at most every few seconds. */
  private static final class Progress {
    private final String path;
    private final long total;
    private final long started;
    private long done;
    private long lastReport;

    Progress(String path, long total, long started) {
      this.path = path;
      this.total = total;
      this.started = started;
      this.lastReport = started;
    }

    void add(int rows) {
      done += rows;
      long now = System.nanoTime();
      if (now - lastReport >= PROGRESS_NANOS && done < total) {
        lastReport = now;
        double rate = done / ((now - started) / 1e9);
        System.err.printf(Locale.ROOT, "synth %s: %,d of %,d rows (%.1f%%), %,.0f rows/s, about %.0f s left%n",
            path, done, total, 100.0 * done / total, rate, (total - done) / rate);
      }
    }
  }

  /** Reads {@code --like} case-insensitively, with dashes. */
  static final class LikeConverter implements picocli.CommandLine.ITypeConverter<Like> {
    @Override
    public Like convert(String value) {
      for (Like like : Like.values()) {
        if (like.name().replace('_', '-').equalsIgnoreCase(value)) {
          return like;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("unknown --like '" + value + "'; known: fashion-mnist");
    }
  }
}
