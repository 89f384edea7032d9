package io.lopq.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.model.CodebookScope;
import io.lopq.model.LopqModel;
import io.lopq.train.AnisotropicClusters;
import io.lopq.train.LocalTrainer;
import io.lopq.train.TrainingParams;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A model trained with local codebooks, on a small generated set: its codes and its search results
 * equal a brute-force reference written here from the model's definition (every coarse centroid,
 * every codeword of the cell's own codebook, every reconstruction), independent of the encoders
 * and the ADC tables.
 */
class LocalCodebooksSearchTest {
  private static final int N = 1500;
  private static final int D = 16;
  private static final int V = 4;
  private static final int M = 4;
  private static final int K = 16;
  private static final int QUERIES = 12;
  private static final float[] DATA = AnisotropicClusters.generate(N, D, V, 31);
  private static final float[] QUERY_ROWS = AnisotropicClusters.generate(QUERIES, D, V, 32);
  private static final LopqModel MODEL = new LocalTrainer(TrainingParams.builder(V, M).subquantizerClusters(K)
      .seed(3).codebooks(CodebookScope.LOCAL).build()).train(DATA, N, D);

  @Test
  void codesAreTheBruteForceNearestCoarseCentroidAndLocalCodeword() {
    assertTrue(MODEL.hasLocalCodebooks());
    EncodedBatch codes = new BatchEncoder(MODEL).encode(DATA, N);
    int half = D / 2;
    int perHalf = M / 2;
    int sub = D / M;
    for (int i = 0; i < N; i++) {
      for (int h = 0; h < 2; h++) {
        int start = i * D + h * half;
        float[] centroids = MODEL.coarseCentroids(h);
        int c = argmin(V, j -> squared(DATA, start, centroids, j * half, half));
        assertEquals(c, codes.coarse(h, i), "row " + i + " half " + h);
        double[] y = rotatedResidual(DATA, i * D, h, c);
        for (int s = 0; s < perHalf; s++) {
          int m = h * perHalf + s;
          float[] codebook = MODEL.codebook(m, c);
          int offset = s * sub;
          int f = argmin(K, k -> {
            double d = 0;
            for (int j = 0; j < sub; j++) {
              double diff = y[offset + j] - codebook[k * sub + j];
              d += diff * diff;
            }
            return d;
          });
          assertEquals(f, codes.fine(i, m), "row " + i + " subquantizer " + m);
        }
      }
    }
  }

  @Test
  void searchOverEveryCodeIsTheBruteForceRankingOfTheReconstructions() {
    EncodedBatch codes = new BatchEncoder(MODEL).encode(DATA, N);
    long[] ids = IntStream.range(0, N).mapToLong(i -> 1000L + i).toArray();
    float[][] reconstructions = new float[N][];
    for (int i = 0; i < N; i++) {
      reconstructions[i] = reconstruct(codes, i);
    }
    InMemorySearcher searcher = new InMemorySearcher(MODEL, ids, codes, DATA);
    for (int q = 0; q < QUERIES; q++) {
      float[] query = Arrays.copyOfRange(QUERY_ROWS, q * D, (q + 1) * D);
      double[] exact = new double[N];
      for (int i = 0; i < N; i++) {
        exact[i] = squared(query, 0, reconstructions[i], 0, D);
      }
      Integer[] order = IntStream.range(0, N).boxed().sorted(Comparator.comparingDouble(i -> exact[i]))
          .toArray(Integer[]::new);
      SearchResult result = searcher.search(query, 10, N);
      for (int r = 0; r < 10; r++) {
        assertEquals(exact[order[r]], result.distance(r), 1e-4 * (1 + exact[order[r]]), "query " + q + " rank " + r);
        boolean separated = (r == 0 || exact[order[r]] - exact[order[r - 1]] > 1e-3 * exact[order[r]])
            && exact[order[r + 1]] - exact[order[r]] > 1e-3 * exact[order[r]];
        if (separated) {
          assertEquals(ids[order[r]], result.id(r), "query " + q + " rank " + r);
        }
      }
      // Re-ranking every candidate on the raw vectors is exact search.
      SearchResult reranked = searcher.search(query, SearchOptions.of(10, N).withRerank(N));
      SearchResult brute = new ExactSearcher(DATA, N, D, ids).search(query, 10);
      assertArrayEquals(brute.ids(), reranked.ids(), "query " + q);
    }
  }

  /** {@code xhat_h = C_h[c] + mu_h[c] + R_h[c]^T [P_{m,c}[f_m] ...]}, from the definition. */
  private static float[] reconstruct(EncodedBatch codes, int i) {
    int half = D / 2;
    int perHalf = M / 2;
    int sub = D / M;
    float[] out = new float[D];
    for (int h = 0; h < 2; h++) {
      int c = codes.coarse(h, i);
      double[] y = new double[half];
      for (int s = 0; s < perHalf; s++) {
        int m = h * perHalf + s;
        for (int j = 0; j < sub; j++) {
          y[s * sub + j] = MODEL.codebook(m, c)[codes.fine(i, m) * sub + j];
        }
      }
      float[] r = MODEL.rotations(h);
      int offset = MODEL.rotationOffset(c);
      for (int j = 0; j < half; j++) {
        double value = MODEL.coarseCentroids(h)[c * half + j] + MODEL.residualMeans(h)[c * half + j];
        for (int a = 0; a < half; a++) {
          value += r[offset + a * half + j] * y[a];
        }
        out[h * half + j] = (float) value;
      }
    }
    return out;
  }

  private static double[] rotatedResidual(float[] x, int start, int h, int c) {
    int half = D / 2;
    float[] r = MODEL.rotations(h);
    int offset = MODEL.rotationOffset(c);
    double[] residual = new double[half];
    for (int j = 0; j < half; j++) {
      residual[j] = (double) x[start + h * half + j] - MODEL.coarseCentroids(h)[c * half + j]
          - MODEL.residualMeans(h)[c * half + j];
    }
    double[] y = new double[half];
    for (int a = 0; a < half; a++) {
      for (int j = 0; j < half; j++) {
        y[a] += r[offset + a * half + j] * residual[j];
      }
    }
    return y;
  }

  private static double squared(float[] a, int aOffset, float[] b, int bOffset, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double diff = (double) a[aOffset + j] - b[bOffset + j];
      s += diff * diff;
    }
    return s;
  }

  private static int argmin(int count, java.util.function.IntToDoubleFunction distance) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int i = 0; i < count; i++) {
      double d = distance.applyAsDouble(i);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }
}
