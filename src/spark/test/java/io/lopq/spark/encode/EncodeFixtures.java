package io.lopq.spark.encode;

import io.lopq.io.vectors.FvecsWriter;
import io.lopq.format.vectors.SyntheticCorpus;
import io.lopq.model.LopqModel;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** Small trained models and inputs for the encode job's tests. */
public final class EncodeFixtures {
  public static final int D = 8;
  public static final int V = 4;
  public static final int M = 4;
  public static final int K = 16;
  private static final int CLUSTERS = 6;
  private static final int TRAINING_ROWS = 1500;

  private EncodeFixtures() {}

  /** A model trained on a synthetic corpus drawn with {@code seed}. */
  public static LopqModel model(long seed) {
    SyntheticCorpus corpus = new SyntheticCorpus(D, CLUSTERS, seed);
    float[] data = corpus.rows(0, TRAINING_ROWS);
    TrainingParams params = TrainingParams.builder(V, M).subquantizerClusters(K).seed(seed).parallelism(1).build();
    return new LocalTrainer(params).train(data, TRAINING_ROWS, D);
  }

  /** {@code n} vectors of the corpus of {@code seed}, from row {@code first}. */
  public static List<float[]> vectors(long seed, long first, int n) {
    SyntheticCorpus corpus = new SyntheticCorpus(D, CLUSTERS, seed);
    List<float[]> rows = new ArrayList<>();
    float[] flat = corpus.rows(first, n);
    for (int i = 0; i < n; i++) {
      float[] v = new float[D];
      System.arraycopy(flat, i * D, v, 0, D);
      rows.add(v);
    }
    return rows;
  }

  /** Writes {@code rows} as an .fvecs file at {@code file} (creating its folder). */
  public static void writeFvecs(File file, List<float[]> rows) {
    file.getParentFile().mkdirs();
    FvecsWriter.writeFvecs(file.getAbsolutePath(), new Configuration(), rows);
  }

  /** Writes an empty {@code _SUCCESS} marker into {@code folder}. */
  public static void markSuccess(File folder) throws java.io.IOException {
    java.nio.file.Files.createFile(new File(folder, "_SUCCESS").toPath());
  }
}
