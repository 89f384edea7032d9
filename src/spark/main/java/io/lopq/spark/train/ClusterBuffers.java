package io.lopq.spark.train;

/**
 * Collects rows per cluster across blocks and hands them on in batches, so that per-cluster
 * statistics (sums of outer products) are updated with a few large matrix products instead of
 * many tiny ones.
 *
 * <pre>
 *   add(c, row)  -&gt;  buffer[c] gets the row; when it holds `capacity` rows: sink.accept(c, rows, capacity)
 *   flush()      -&gt;  sink.accept(c, rows, count) for every buffer that holds rows
 * </pre>
 *
 * The capacity per cluster is chosen so that all buffers together stay under
 * {@link #MEMORY_BUDGET_FLOATS} floats (within [{@link #MIN_ROWS}, {@link #MAX_ROWS}] rows).
 * Buffers are allocated when a cluster first receives a row. Not thread-safe.
 */
final class ClusterBuffers {
  /**
   * Floats all buffers of one instance may hold together (16 MiB). A task has one instance per half:
   * at 64 MiB each, with the rotation step's moments (2V (D/2)^2 doubles, 64 MiB at V = 1,024 and
   * D = 128), train at that V did not fit a 512 MiB heap on 2 cores; a quarter of it still batches
   * 64 rows per cluster at V = 1,024 and D/2 = 64, and trained as fast (docs/BENCHMARKS.md).
   */
  static final long MEMORY_BUDGET_FLOATS = 4L << 20;
  /** Fewest rows per cluster buffer. */
  static final int MIN_ROWS = 8;
  /** Most rows per cluster buffer (beyond this the products gain little). */
  static final int MAX_ROWS = 1024;

  /** Receives a batch of a cluster's rows (row-major, {@code count x width}). */
  interface Sink {
    void accept(int cluster, float[] rows, int count);
  }

  private final int width;
  private final int capacity;
  private final float[][] buffers;
  private final int[] counts;
  private final Sink sink;

  ClusterBuffers(int clusters, int width, Sink sink) {
    this.width = width;
    long perCluster = MEMORY_BUDGET_FLOATS / ((long) clusters * width);
    this.capacity = (int) Math.max(MIN_ROWS, Math.min(MAX_ROWS, perCluster));
    this.buffers = new float[clusters][];
    this.counts = new int[clusters];
    this.sink = sink;
  }

  /** Adds {@code width} values of {@code source} from {@code offset} as a row of cluster c. */
  void add(int c, float[] source, int offset) {
    float[] buffer = buffers[c];
    if (buffer == null) {
      buffer = new float[capacity * width];
      buffers[c] = buffer;
    }
    System.arraycopy(source, offset, buffer, counts[c] * width, width);
    if (++counts[c] == capacity) {
      sink.accept(c, buffer, capacity);
      counts[c] = 0;
    }
  }

  /** Adds a row made of two parts: {@code width1} values from a, then the rest from b. */
  void add(int c, float[] a, int aOffset, int width1, float[] b, int bOffset) {
    float[] buffer = buffers[c];
    if (buffer == null) {
      buffer = new float[capacity * width];
      buffers[c] = buffer;
    }
    int base = counts[c] * width;
    System.arraycopy(a, aOffset, buffer, base, width1);
    System.arraycopy(b, bOffset, buffer, base + width1, width - width1);
    if (++counts[c] == capacity) {
      sink.accept(c, buffer, capacity);
      counts[c] = 0;
    }
  }

  /** Hands on every partly filled buffer. */
  void flush() {
    for (int c = 0; c < buffers.length; c++) {
      if (counts[c] > 0) {
        sink.accept(c, buffers[c], counts[c]);
        counts[c] = 0;
      }
    }
  }
}
