package io.lopq.spark.encode;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Counts a Spark partition's encoded rows per {@link FileBuckets} bin: one histogram per task,
 * summed on the driver to cut the cells into balanced file ranges.
 */
final class CellHistogram implements FlatMapFunction<Iterator<EncodedChunk>, long[]> {
  private static final long serialVersionUID = 1L;

  private final int coarseClusters;

  CellHistogram(int coarseClusters) {
    this.coarseClusters = coarseClusters;
  }

  @Override
  public Iterator<long[]> call(Iterator<EncodedChunk> chunks) {
    int bins = FileBuckets.bins(coarseClusters);
    long[] histogram = new long[bins];
    while (chunks.hasNext()) {
      EncodedChunk c = chunks.next();
      for (int i = 0; i < c.size; i++) {
        histogram[FileBuckets.bin(c.coarse0[i], c.coarse1[i], coarseClusters, bins)]++;
      }
    }
    return List.of(histogram).iterator();
  }

  /** {@code a + b}, element-wise, into {@code a}. */
  static long[] add(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }
}
