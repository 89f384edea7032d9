package io.lopq.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A summary of coarse cluster sizes for the model's metadata: min, max, mean, the number of
 * clusters below the rotation threshold, and a histogram over power-of-two size ranges.
 *
 * <pre>
 *   histogram keys: "0", "1", "2-3", "4-7", "8-15", ...   (only non-empty ranges)
 * </pre>
 */
public final class ClusterSizes {
  private ClusterSizes() {}

  /** The summary of {@code sizes} as a JSON-like map. */
  public static Map<String, Object> summarize(int[] sizes, int minRotationClusterSize) {
    long total = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    int small = 0;
    for (int size : sizes) {
      total += size;
      min = Math.min(min, size);
      max = Math.max(max, size);
      if (size < minRotationClusterSize) {
        small++;
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("clusters", sizes.length);
    summary.put("min", min);
    summary.put("max", max);
    summary.put("mean", sizes.length == 0 ? 0.0 : (double) total / sizes.length);
    summary.put("small", small);
    summary.put("histogram", histogram(sizes));
    return summary;
  }

  /** Counts of sizes per range {@code [2^b, 2^(b+1))}, with 0 on its own. */
  public static Map<String, Integer> histogram(int[] sizes) {
    int buckets = Integer.SIZE + 1;
    int[] counts = new int[buckets];
    for (int size : sizes) {
      counts[bucket(size)]++;
    }
    Map<String, Integer> histogram = new LinkedHashMap<>();
    for (int b = 0; b < buckets; b++) {
      if (counts[b] > 0) {
        histogram.put(label(b), counts[b]);
      }
    }
    return histogram;
  }

  private static int bucket(int size) {
    return size == 0 ? 0 : Integer.SIZE - Integer.numberOfLeadingZeros(size);
  }

  private static String label(int bucket) {
    if (bucket <= 1) {
      return Integer.toString(bucket);
    }
    long low = 1L << (bucket - 1);
    long high = (1L << bucket) - 1;
    return low + "-" + high;
  }
}
