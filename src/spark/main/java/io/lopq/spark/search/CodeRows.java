package io.lopq.spark.search;

import io.lopq.search.batch.CellBlock;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Encoded rows on their way to the task of one bucket of the shuffle plan ({@link BucketPlan}), in
 * columns: Kryo writes a few primitive arrays per chunk instead of one object graph per row, which
 * made shipping the index the largest cost of the shuffle plan's search stage. A plain class (not a
 * record): Kryo serializes it. Filled by {@link Shipper}; read by {@link #addTo}.
 *
 * <pre>
 *   row i:  unit units[i], cell (c0[i], c1[i]), id ids[i], codes codes[i*M .. i*M + M)
 * </pre>
 */
public final class CodeRows implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Rows a task buffers for all buckets together at most (the chunk size shrinks with more buckets). */
  public static final int BUFFERED_ROWS = 1 << 16;
  /** Largest chunk, in rows. */
  public static final int MAX_CHUNK_ROWS = 4096;
  /** Smallest chunk, in rows (with very many buckets, so that a chunk still amortizes its overhead). */
  public static final int MIN_CHUNK_ROWS = 64;

  private int subquantizers;
  private int size;
  private long[] units;
  private int[] c0;
  private int[] c1;
  private long[] ids;
  private byte[] codes;

  /** For serializers. */
  public CodeRows() {}

  CodeRows(int subquantizers, int capacity) {
    this.subquantizers = subquantizers;
    this.units = new long[capacity];
    this.c0 = new int[capacity];
    this.c1 = new int[capacity];
    this.ids = new long[capacity];
    this.codes = new byte[Math.multiplyExact(capacity, subquantizers)];
  }

  /** Rows held. */
  public int size() {
    return size;
  }

  boolean isFull() {
    return size == ids.length;
  }

  void add(long unit, int cell0, int cell1, long id, byte[] fine) {
    units[size] = unit;
    c0[size] = cell0;
    c1[size] = cell1;
    ids[size] = id;
    System.arraycopy(fine, 0, codes, size * subquantizers, subquantizers);
    size++;
  }

  /** These rows trimmed to their size (what is shipped). */
  CodeRows trimmed() {
    if (size == ids.length) {
      return this;
    }
    CodeRows t = new CodeRows();
    t.subquantizers = subquantizers;
    t.size = size;
    t.units = Arrays.copyOf(units, size);
    t.c0 = Arrays.copyOf(c0, size);
    t.c1 = Arrays.copyOf(c1, size);
    t.ids = Arrays.copyOf(ids, size);
    t.codes = Arrays.copyOf(codes, size * subquantizers);
    return t;
  }

  /** Id of row {@code i}. */
  long id(int i) {
    return ids[i];
  }

  /** Fine code {@code s} of row {@code i}. */
  byte code(int i, int s) {
    return codes[i * subquantizers + s];
  }

  /** Adds every row to a block under construction. */
  public void addTo(CellBlock.Builder builder) {
    for (int i = 0; i < size; i++) {
      builder.add(units[i], c0[i], c1[i], ids[i], codes, i * subquantizers);
    }
  }

  /** Rows per chunk for {@code buckets} buckets: {@code BUFFERED_ROWS / buckets} within [MIN, MAX]. */
  static int chunkRows(int buckets) {
    return Math.max(MIN_CHUNK_ROWS, Math.min(MAX_CHUNK_ROWS, BUFFERED_ROWS / Math.max(1, buckets)));
  }

  /**
   * Buffers a task's rows per bucket and hands out a chunk when it is full, the rest at the end: at
   * most one chunk per bucket is held ({@link #chunkRows}).
   */
  static final class Shipper {
    private final int subquantizers;
    private final int chunkRows;
    private final CodeRows[] open;

    Shipper(int buckets, int subquantizers) {
      this.subquantizers = subquantizers;
      this.chunkRows = chunkRows(buckets);
      this.open = new CodeRows[buckets];
    }

    /** Adds a row for {@code bucket}; returns a full chunk to ship, or null. */
    CodeRows add(int bucket, long unit, int cell0, int cell1, long id, byte[] fine) {
      CodeRows chunk = open[bucket];
      if (chunk == null) {
        chunk = new CodeRows(subquantizers, chunkRows);
        open[bucket] = chunk;
      }
      chunk.add(unit, cell0, cell1, id, fine);
      if (chunk.isFull()) {
        open[bucket] = null;
        return chunk;
      }
      return null;
    }

    /** The next non-empty chunk still open (removed), or -1 in {@code bucketOut[0]} when none is left. */
    CodeRows drain(int[] bucketOut) {
      for (int b = 0; b < open.length; b++) {
        CodeRows chunk = open[b];
        if (chunk != null) {
          open[b] = null;
          if (chunk.size() > 0) {
            bucketOut[0] = b;
            return chunk.trimmed();
          }
        }
      }
      bucketOut[0] = -1;
      return null;
    }
  }
}
