package io.lopq.format.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.vectors.VariedImageCorpus.Split;
import io.lopq.math.Pca;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VariedImageCorpusTest {
  private static final int SIDE = 28;
  private static final int PIXELS = SIDE * SIDE;
  private static final int SOURCES = 40;

  /** Garment-like source images: a few bright ellipses on a black background. */
  static float[] sourceImages(int count, long seed) {
    return sourceImages(count, seed, SIDE);
  }

  /** As above, of {@code side x side} pixels. */
  static float[] sourceImages(int count, long seed, int side) {
    SplittableRandom random = new SplittableRandom(seed);
    float scale = side / (float) SIDE;
    float[] images = new float[count * side * side];
    for (int n = 0; n < count; n++) {
      int blobs = 1 + random.nextInt(3);
      for (int b = 0; b < blobs; b++) {
        double cx = scale * (6 + random.nextDouble() * 16);
        double cy = scale * (6 + random.nextDouble() * 16);
        double ax = scale * (3 + random.nextDouble() * 7);
        double ay = scale * (3 + random.nextDouble() * 9);
        double level = 80 + random.nextDouble() * 175;
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            double r = Math.pow((x - cx) / ax, 2) + Math.pow((y - cy) / ay, 2);
            if (r <= 1) {
              int p = n * side * side + y * side + x;
              images[p] = (float) Math.max(images[p], Math.rint(level * (1 - 0.4 * r)));
            }
          }
        }
      }
    }
    return images;
  }

  private static VariedImageCorpus corpus(long seed, Split split, Pca pca) {
    return new VariedImageCorpus(sourceImages(SOURCES, 3), SOURCES, SIDE, seed, split, pca);
  }

  @Test
  void everyRowIsAPureFunctionOfSeedAndIndex() {
    float[] all = corpus(7, Split.BASE, null).rows(0, 700);
    float[] slice = corpus(7, Split.BASE, null).rows(300, 50);
    assertArrayEquals(Arrays.copyOfRange(all, 300 * PIXELS, 350 * PIXELS), slice);
    assertArrayEquals(Arrays.copyOfRange(all, 0, 200 * PIXELS), corpus(7, Split.BASE, null).rows(0, 200),
        "row i does not depend on N");
    assertFalse(Arrays.equals(all, corpus(8, Split.BASE, null).rows(0, 700)), "another seed gives other rows");
  }

  @Test
  void projectedRowsDoNotDependOnTheRangeAsked() {
    int side = 12;
    float[] images = sourceImages(SOURCES, 3, side);
    Pca pca = Pca.fit(images, SOURCES, side * side, 16);
    VariedImageCorpus corpus = new VariedImageCorpus(images, SOURCES, side, 7, Split.BASE, pca);
    assertEquals(16, corpus.dimension());
    float[] all = corpus.rows(0, 600);
    assertArrayEquals(Arrays.copyOfRange(all, 257 * 16, 519 * 16), corpus.rows(257, 262));
    for (float v : all) {
      assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void parallelGenerationGivesTheSameRowsInOrderWhateverTheThreads() {
    VariedImageCorpus corpus = corpus(11, Split.BASE, null);
    int rows = 3 * VariedImageCorpus.CHUNK_ROWS + 17;
    float[] expected = corpus.rows(0, rows);
    for (int threads : new int[] {1, 3}) {
      float[] got = new float[rows * PIXELS];
      int[] written = {0};
      ParallelChunks.run(rows, VariedImageCorpus.CHUNK_ROWS, PIXELS, threads, corpus::chunk, (chunk, n) -> {
        System.arraycopy(chunk, 0, got, written[0] * PIXELS, n * PIXELS);
        written[0] += n;
      });
      assertEquals(rows, written[0]);
      assertArrayEquals(expected, got, threads + " threads");
    }
  }

  @Test
  void pixelsAreWholeGreyLevels() {
    float[] rows = corpus(5, Split.BASE, null).rows(0, 500);
    double sum = 0;
    for (float v : rows) {
      assertTrue(v >= 0 && v <= 255 && v == Math.rint(v), "value " + v);
      sum += v;
    }
    assertTrue(sum / rows.length > 5, "not blank: mean " + sum / rows.length);
  }

  @Test
  void queriesAreNewEditsNotRowsOfTheBase() {
    float[] base = corpus(5, Split.BASE, null).rows(0, 1000);
    float[] queries = corpus(5, Split.QUERIES, null).rows(0, 200);
    Set<List<Float>> baseRows = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      baseRows.add(boxed(base, i));
    }
    for (int q = 0; q < 200; q++) {
      assertFalse(baseRows.contains(boxed(queries, q)), "query " + q + " is a base row");
    }
  }

  @Test
  void popularImagesGetManyVariantsInTheBaseButNotInTheQueries() {
    VariedImageCorpus base = corpus(9, Split.BASE, null);
    VariedImageCorpus queries = corpus(9, Split.QUERIES, null);
    int[] baseCounts = new int[SOURCES];
    int[] queryCounts = new int[SOURCES];
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      baseCounts[base.sourceOf(i)]++;
      queryCounts[queries.sourceOf(i)]++;
    }
    Arrays.sort(baseCounts);
    Arrays.sort(queryCounts);
    // Skew 2: the top 4 of 40 images (10%) hold sqrt(0.1) = 32% of the base, 10% of the queries.
    double baseTop = (baseCounts[SOURCES - 1] + baseCounts[SOURCES - 2] + baseCounts[SOURCES - 3]
        + baseCounts[SOURCES - 4]) / (double) n;
    double queryTop = (queryCounts[SOURCES - 1] + queryCounts[SOURCES - 2] + queryCounts[SOURCES - 3]
        + queryCounts[SOURCES - 4]) / (double) n;
    assertEquals(Math.sqrt(0.1), baseTop, 0.03);
    assertTrue(queryTop < 0.13, "queries uniform over images: top 10% hold " + queryTop);
    assertTrue(baseCounts[0] < baseCounts[SOURCES - 1] / 5, "dense and sparse images side by side");
  }

  @Test
  void nearestNeighboursAreNearDuplicatesUnlikeInNoise() {
    int n = 1200;
    VariedImageCorpus corpus = corpus(13, Split.BASE, null);
    float[] rows = corpus.rows(0, n);
    int[] nearest = new int[n];
    double[] generated = nearestOverTypical(rows, n, PIXELS, nearest);
    int sameSource = 0;
    for (int i = 0; i < n; i++) {
      if (corpus.sourceOf(i) == corpus.sourceOf(nearest[i])) {
        sameSource++;
      }
    }
    // Noise with the same per-dimension mean and spread: every point about equally far from all.
    float[] noise = noiseLike(rows, n, PIXELS, new SplittableRandom(1));
    double[] uniform = nearestOverTypical(noise, n, PIXELS, new int[n]);
    assertTrue(generated[0] < 0.5, "median NN distance / median distance: " + generated[0]);
    assertTrue(uniform[0] > 0.8, "noise ratio " + uniform[0]);
    assertTrue(sameSource > 0.9 * n, "nearest neighbour from the same source image: " + sameSource + " of " + n);
    // Varying density: the NN distances spread widely (near-duplicates and loners).
    assertTrue(generated[2] / generated[1] > 3, "90th / 10th percentile of NN distance " + generated[2] / generated[1]);
  }

  @Test
  void refusesBadShapes() {
    assertThrows(IllegalArgumentException.class,
        () -> new VariedImageCorpus(new float[10], 1, SIDE, 1, Split.BASE, null));
    float[] images = sourceImages(4, 1, 12);
    Pca pca = Pca.fit(images, 4, 144, 2);
    assertThrows(IllegalArgumentException.class,
        () -> new VariedImageCorpus(new float[16 * 16], 1, 16, 1, Split.BASE, pca));
  }

  /** {median NN distance / median distance to another row, 10th and 90th percentile of NN distance}; fills each row's nearest. */
  private static double[] nearestOverTypical(float[] rows, int n, int d, int[] nearest) {
    double[] nn = new double[n];
    double[] typical = new double[n];
    for (int i = 0; i < n; i++) {
      nearest[i] = nearest(rows, n, d, i);
      nn[i] = Math.sqrt(distance(rows, i, nearest[i], d));
      typical[i] = Math.sqrt(distance(rows, i, (i + n / 2) % n, d));
    }
    Arrays.sort(nn);
    Arrays.sort(typical);
    return new double[] {nn[n / 2] / typical[n / 2], nn[n / 10], nn[9 * n / 10]};
  }

  private static int nearest(float[] rows, int n, int d, int i) {
    int best = -1;
    double bestDistance = Double.MAX_VALUE;
    for (int j = 0; j < n; j++) {
      if (j != i) {
        double s = distance(rows, i, j, d);
        if (s < bestDistance) {
          bestDistance = s;
          best = j;
        }
      }
    }
    return best;
  }

  private static double distance(float[] rows, int a, int b, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double diff = rows[a * d + j] - rows[b * d + j];
      s += diff * diff;
    }
    return s;
  }

  private static float[] noiseLike(float[] rows, int n, int d, SplittableRandom random) {
    float[] out = new float[n * d];
    for (int j = 0; j < d; j++) {
      double mean = 0;
      double square = 0;
      for (int i = 0; i < n; i++) {
        mean += rows[i * d + j];
        square += rows[i * d + j] * rows[i * d + j];
      }
      mean /= n;
      double spread = Math.sqrt(Math.max(0, square / n - mean * mean)) * Math.sqrt(3);
      for (int i = 0; i < n; i++) {
        out[i * d + j] = (float) (mean + (2 * random.nextDouble() - 1) * spread);
      }
    }
    return out;
  }

  private static List<Float> boxed(float[] rows, int i) {
    List<Float> out = new ArrayList<>(PIXELS);
    for (int j = 0; j < PIXELS; j++) {
      out.add(rows[i * PIXELS + j]);
    }
    return out;
  }
}
