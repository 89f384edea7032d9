package io.lopq.bench;

import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Trains a model for benchmarks on one machine: a uniform sample of rows from a local
 * {@code .fvecs} file, {@link LocalTrainer}, saved with {@link ModelStore}. For the encode
 * benchmark on Fashion-MNIST when no distributed trainer is at hand.
 *
 * <p>Usage: {@code SampleModel INPUT.fvecs OUTPUT_MODEL [--sample N] [--coarse-clusters V]
 * [--subquantizers M] [--seed S]} (defaults 20000, 64, 8, 1).
 */
public final class SampleModel {
  private static final int DEFAULT_SAMPLE = 20_000;
  private static final int DEFAULT_V = 64;
  private static final int DEFAULT_M = 8;

  private SampleModel() {}

  /** Trains and saves; prints the model's shape, fingerprint and training time. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: SampleModel INPUT.fvecs OUTPUT_MODEL [--sample N] [--coarse-clusters V] "
          + "[--subquantizers M] [--seed S]");
      System.exit(2);
    }
    Path input = Path.of(args[0]);
    String output = args[1];
    int sample = Integer.parseInt(option(args, "--sample", String.valueOf(DEFAULT_SAMPLE)));
    int v = Integer.parseInt(option(args, "--coarse-clusters", String.valueOf(DEFAULT_V)));
    int m = Integer.parseInt(option(args, "--subquantizers", String.valueOf(DEFAULT_M)));
    long seed = Long.parseLong(option(args, "--seed", "1"));

    int dimension = dimension(input);
    long rowBytes = 4L + 4L * dimension;
    long rows = Files.size(input) / rowBytes;
    int n = (int) Math.min(sample, rows);
    boolean[] chosen = choose(rows, n, new Random(seed));
    float[] data = new float[Math.multiplyExact(n, dimension)];
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(input), 1 << 20))) {
      byte[] row = new byte[(int) rowBytes];
      ByteBuffer view = ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN);
      int filled = 0;
      for (long r = 0; r < rows; r++) {
        in.readFully(row);
        if (chosen[(int) r]) {
          for (int j = 0; j < dimension; j++) {
            data[filled * dimension + j] = view.getFloat(4 + 4 * j);
          }
          filled++;
        }
      }
    }
    long start = System.nanoTime();
    TrainingParams params = TrainingParams.builder(v, m).seed(seed).build();
    LopqModel model = new LocalTrainer(params).train(data, n, dimension);
    double seconds = (System.nanoTime() - start) / 1e9;
    ModelStore.save(model, output, false);
    System.out.printf(Locale.ROOT, "trained D=%d V=%d M=%d K=%d on %d of %d rows in %.1f s; fingerprint %s; saved to %s%n",
        model.dimension(), v, m, model.subquantizerClusters(), n, rows, seconds, model.fingerprint(), output);
  }

  private static int dimension(Path input) throws IOException {
    try (InputStream in = Files.newInputStream(input)) {
      byte[] head = in.readNBytes(4);
      if (head.length < 4) {
        throw new EOFException(input + " is empty");
      }
      return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
  }

  /** A uniform choice of {@code n} of {@code rows} row indices (selection sampling). */
  private static boolean[] choose(long rows, int n, Random random) {
    boolean[] chosen = new boolean[(int) rows];
    int needed = n;
    for (long r = 0; r < rows && needed > 0; r++) {
      if (random.nextDouble() * (rows - r) < needed) {
        chosen[(int) r] = true;
        needed--;
      }
    }
    return chosen;
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 2; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
