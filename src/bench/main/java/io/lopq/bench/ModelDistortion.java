package io.lopq.bench;

import io.lopq.encode.BatchEncoder;
import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The exact quantization distortion {@code mean ||x - decode(encode(x))||^2} of models on a vector
 * file: with the training rows it is what training minimized, with held-out rows (queries the model
 * has not seen) how well the model generalizes. One JVM, no Spark.
 * {@code ModelDistortion VECTORS.fvecs MODEL...}.
 */
public final class ModelDistortion {
  private ModelDistortion() {}

  /** Prints one line per model: its codebooks, the rows and the distortion. */
  public static void main(String[] args) throws Exception {
    FvecsFiles.Matrix rows = FvecsFiles.read(Path.of(args[0]), 0);
    for (int a = 1; a < args.length; a++) {
      LopqModel model = ModelStore.load(args[a]);
      BatchEncoder encoder = new BatchEncoder(model);
      float[] decoded = encoder.decode(encoder.encode(rows.values(), rows.rows()));
      double total = 0;
      for (int i = 0; i < decoded.length; i++) {
        double diff = rows.values()[i] - decoded[i];
        total += diff * diff;
      }
      System.out.printf(Locale.ROOT, "%s\tcodebooks=%s\trows=%d\tdistortion=%.1f%n", args[a],
          model.codebookScope().name().toLowerCase(Locale.ROOT), rows.rows(), total / rows.rows());
    }
  }
}
