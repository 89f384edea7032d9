package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KMeansTest {
  private static final double RELATIVE_SLACK = 1e-5;

  /** n points around {@code centers} random centres in d dimensions. */
  private static float[] blobs(int n, int d, int centers, Random random) {
    float[] means = new float[centers * d];
    for (int i = 0; i < means.length; i++) {
      means[i] = (float) (10 * random.nextGaussian());
    }
    float[] data = new float[n * d];
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(centers);
      for (int j = 0; j < d; j++) {
        data[i * d + j] = means[c * d + j] + (float) random.nextGaussian();
      }
    }
    return data;
  }

  @Test
  void distortionNeverRisesAcrossIterations() {
    int n = 3000, d = 8, k = 24;
    float[] data = blobs(n, d, 12, new Random(1));
    for (long seed = 0; seed < 4; seed++) {
      KMeansResult result = KMeans.withClusters(k).withMaxIterations(40).withTolerance(0).withSeed(seed)
          .fit(data, n, d);
      double[] history = result.distortions();
      assertTrue(history.length >= 2, "expected several iterations, got " + history.length);
      for (int t = 1; t < history.length; t++) {
        assertTrue(history[t] <= history[t - 1],
            "distortion rose at iteration " + t + ": " + history[t - 1] + " -> " + history[t]);
      }
      assertTrue(history[history.length - 1] < history[0], "Lloyd iterations should lower the distortion");
      // The reported distortion is that of the returned centroids and assignments.
      double exact = 0;
      for (int i = 0; i < n; i++) {
        exact += KMeans.squaredDistance(data, i * d, result.centroids(), result.assignments()[i] * d, d);
      }
      assertEquals(exact / n, result.distortion(), 1e-9 * exact);
      for (int size : result.clusterSizes()) {
        assertTrue(size > 0, "no cluster may be empty");
      }
    }
  }

  @Test
  void sameSeedGivesSameResultAndOtherSeedDiffers() {
    int n = 2000, d = 6, k = 16;
    float[] data = blobs(n, d, 10, new Random(2));
    KMeans kmeans = KMeans.withClusters(k).withSeed(42);
    KMeansResult a = kmeans.fit(data, n, d);
    KMeansResult b = kmeans.fit(data, n, d);
    assertArrayEquals(a.centroids(), b.centroids());
    assertArrayEquals(a.assignments(), b.assignments());
    assertArrayEquals(a.distortions(), b.distortions());
    KMeansResult c = kmeans.withSeed(43).fit(data, n, d);
    assertTrue(!java.util.Arrays.equals(a.centroids(), c.centroids()), "another seed should seed differently");
  }

  @Test
  void assignFindsTheNearestCentroidAcrossBlocks() {
    Random random = new Random(3);
    int d = 5, k = 2000, n = 700; // 2000 centroids -> 131 rows per block: several blocks
    float[] centroids = new float[k * d];
    float[] data = new float[n * d];
    for (int i = 0; i < centroids.length; i++) {
      centroids[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    int[] assigned = KMeans.assign(centroids, k, data, n, d);
    for (int i = 0; i < n; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        best = Math.min(best, KMeans.squaredDistance(data, i * d, centroids, j * d, d));
      }
      double chosen = KMeans.squaredDistance(data, i * d, centroids, assigned[i] * d, d);
      assertEquals(best, chosen, 1e-4 * (1 + best), "row " + i);
    }
  }

  @Test
  void moreClustersThanDistinctPointsIsAClearError() {
    int d = 3, distinct = 5, n = 40;
    float[] data = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        data[i * d + j] = (i % distinct) * 1.5f + j;
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KMeans.withClusters(6).describedAs("V", "half 0").fit(data, n, d));
    assertTrue(e.getMessage().contains("V=6"), e.getMessage());
    assertTrue(e.getMessage().contains("distinct points (5)"), e.getMessage());
    assertTrue(e.getMessage().contains("half 0"), e.getMessage());
    // Exactly as many clusters as distinct points works and puts every point on its centroid.
    KMeansResult ok = KMeans.withClusters(5).fit(data, n, d);
    assertEquals(0.0, ok.distortion(), 0.0);
  }

  @Test
  void emptyAndNonFiniteInputsAreRejected() {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> KMeans.withClusters(2).fit(new float[0], 0, 4));
    assertTrue(empty.getMessage().contains("n=0"), empty.getMessage());
    float[] data = new float[12];
    data[7] = Float.NaN;
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> KMeans.withClusters(2).fit(data, 3, 4));
    assertTrue(nan.getMessage().contains("NaN") && nan.getMessage().contains("row 1, column 3"), nan.getMessage());
    data[7] = Float.POSITIVE_INFINITY;
    assertThrows(IllegalArgumentException.class, () -> KMeans.withClusters(2).fit(data, 3, 4));
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> KMeans.withClusters(0));
    assertTrue(k.getMessage().contains("got 0"), k.getMessage());
  }

  @Test
  void warmStartReseedsEmptyClustersAndNeverWorsens() {
    int n = 1500, d = 4, k = 10;
    float[] data = blobs(n, d, 5, new Random(4));
    float[] initial = new float[k * d];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        // Half the centroids sit far from every point: they start empty.
        initial[c * d + j] = c < k / 2 ? data[c * 97 * d + j] : 1e4f + c;
      }
    }
    int[] start = new int[n];
    java.util.Arrays.fill(start, -1);
    double initialDistortion = KMeans.reassign(initial, k, data, n, d, start, null) / n;
    KMeansResult result = KMeans.withClusters(k).withMaxIterations(15).fit(data, n, d, initial);
    assertTrue(result.distortion() <= initialDistortion * (1 + RELATIVE_SLACK));
    for (int size : result.clusterSizes()) {
      assertTrue(size > 0, "empty cluster left after re-seeding");
    }
  }

  @Test
  void duplicatePointsAreFineWhenEnoughAreDistinct() {
    int d = 2, n = 300;
    float[] data = new float[n * d];
    for (int i = 0; i < n; i++) {
      data[i * d] = i % 8;
      data[i * d + 1] = (i % 8) * (i % 8);
    }
    KMeansResult result = KMeans.withClusters(8).withSeed(9).fit(data, n, d);
    assertEquals(0.0, result.distortion(), 0.0);
  }
}
