package io.lopq.bench;

import io.lopq.io.vectors.FvecsWriter;
import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import io.lopq.search.ExactSearcher;
import io.lopq.search.SearchResult;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * Prepares the search benchmark without Spark: trains a model with {@link LocalTrainer} on (a
 * sample of) a base set, and computes exact ground truth with {@link ExactSearcher}.
 *
 * <pre>
 *   SearchBenchPrep model BASE.fvecs MODEL_DIR V M [SAMPLE [SEED [REFINE]]]
 *   SearchBenchPrep truth BASE.fvecs QUERIES.fvecs K OUT.ivecs
 * </pre>
 */
public final class SearchBenchPrep {
  private static final int MODEL_ARGS = 5;
  private static final int TRUTH_ARGS = 5;

  private SearchBenchPrep() {}

  /** Runs one preparation step. */
  public static void main(String[] args) throws IOException {
    if (args.length >= MODEL_ARGS && args[0].equals("model")) {
      model(args);
    } else if (args.length >= TRUTH_ARGS && args[0].equals("truth")) {
      truth(args);
    } else {
      System.err.println("usage: SearchBenchPrep model BASE MODEL_DIR V M [SAMPLE [SEED [REFINE]]]"
          + " | truth BASE QUERIES K OUT.ivecs");
      System.exit(2);
    }
  }

  private static void model(String[] args) throws IOException {
    int v = Integer.parseInt(args[3]);
    int m = Integer.parseInt(args[4]);
    int sample = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    long seed = args.length > 6 ? Long.parseLong(args[6]) : 1L;
    int refine = args.length > 7 ? Integer.parseInt(args[7]) : 0;
    FvecsFiles.Matrix base = FvecsFiles.read(Path.of(args[1]), sample);
    long start = System.nanoTime();
    TrainingParams params = TrainingParams.builder(v, m).seed(seed).refineIterations(refine).build();
    LopqModel model = new LocalTrainer(params).train(base.values(), base.rows(), base.dimension());
    double seconds = (System.nanoTime() - start) / 1e9;
    ModelStore.save(model, args[2], true);
    System.out.printf(Locale.ROOT, "trained V=%d M=%d on %d rows in %.1f s, distortion %s, fingerprint %s%n", v, m,
        base.rows(), seconds, model.metadata().statistics().get("distortion"), model.fingerprint());
  }

  private static void truth(String[] args) throws IOException {
    FvecsFiles.Matrix base = FvecsFiles.read(Path.of(args[1]), 0);
    FvecsFiles.Matrix queries = FvecsFiles.read(Path.of(args[2]), 0);
    int k = Integer.parseInt(args[3]);
    long start = System.nanoTime();
    SearchResult[] results = new ExactSearcher(base.values(), base.rows(), base.dimension())
        .search(queries.values(), queries.rows(), k);
    double seconds = (System.nanoTime() - start) / 1e9;
    try (FvecsWriter writer = FvecsWriter.ivecs(args[4], new Configuration())) {
      for (SearchResult result : results) {
        int[] ids = new int[result.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = Math.toIntExact(result.id(i));
        }
        writer.write(ids);
      }
    }
    System.out.printf(Locale.ROOT, "exact top-%d of %d queries over %d rows in %.1f s%n", k, queries.rows(),
        base.rows(), seconds);
  }
}
