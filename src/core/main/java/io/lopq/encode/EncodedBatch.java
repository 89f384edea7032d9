package io.lopq.encode;

import io.lopq.model.LopqCode;
import java.util.Arrays;

/**
 * A growable, reusable column store of LOPQ codes: what {@link BatchEncoder} writes and the
 * searchers read.
 *
 * <pre>
 *   row i:  coarse0[i], coarse1[i], fine[i*M .. i*M + M)   (fine codes are unsigned bytes)
 * </pre>
 *
 * The arrays are exposed for speed ({@link #coarse0Array()}, {@link #fineArray()}); they are live
 * views valid up to {@link #size()} rows, and are replaced when the capacity grows. Not
 * thread-safe.
 */
public final class EncodedBatch {
  private static final int MIN_CAPACITY = 16;

  private final int subquantizers;
  private int size;
  private int[] coarse0;
  private int[] coarse1;
  private byte[] fine;

  /**
   * An empty batch.
   *
   * @param subquantizers M, fine codes per row
   * @param capacity rows to make room for at once (it grows on demand)
   */
  public EncodedBatch(int subquantizers, int capacity) {
    if (subquantizers < 1) {
      throw new IllegalArgumentException("subquantizers M must be >= 1, got " + subquantizers);
    }
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.subquantizers = subquantizers;
    this.coarse0 = new int[capacity];
    this.coarse1 = new int[capacity];
    this.fine = new byte[Math.multiplyExact(capacity, subquantizers)];
  }

  /** A batch holding copies of {@code codes}, which must all have {@code subquantizers} fine codes. */
  public static EncodedBatch of(int subquantizers, Iterable<LopqCode> codes) {
    EncodedBatch batch = new EncodedBatch(subquantizers, MIN_CAPACITY);
    for (LopqCode code : codes) {
      batch.add(code);
    }
    return batch;
  }

  /** M, fine codes per row. */
  public int subquantizers() {
    return subquantizers;
  }

  /** Rows held. */
  public int size() {
    return size;
  }

  /** Rows that fit without growing. */
  public int capacity() {
    return coarse0.length;
  }

  /** Forgets all rows, keeping the storage. */
  public void clear() {
    size = 0;
  }

  /** Makes room for at least {@code rows} rows, keeping the current ones. */
  public void ensureCapacity(int rows) {
    if (rows <= capacity()) {
      return;
    }
    int grown = Math.max(rows, Math.max(MIN_CAPACITY, capacity() + (capacity() >> 1)));
    coarse0 = Arrays.copyOf(coarse0, grown);
    coarse1 = Arrays.copyOf(coarse1, grown);
    fine = Arrays.copyOf(fine, Math.multiplyExact(grown, subquantizers));
  }

  /**
   * Sets the number of rows, growing the storage if needed; rows beyond the old size hold
   * whatever the storage held. Used by writers that fill the arrays directly.
   */
  public void resize(int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + rows);
    }
    ensureCapacity(rows);
    size = rows;
  }

  /** Appends one code. */
  public void add(LopqCode code) {
    if (code.fineCount() != subquantizers) {
      throw new IllegalArgumentException(
          "code has " + code.fineCount() + " fine codes, this batch holds " + subquantizers);
    }
    ensureCapacity(size + 1);
    coarse0[size] = code.coarse0();
    coarse1[size] = code.coarse1();
    for (int m = 0; m < subquantizers; m++) {
      fine[size * subquantizers + m] = (byte) code.fine(m);
    }
    size++;
  }

  /** Row {@code i} as a {@link LopqCode} (allocates; for tests and slow paths). */
  public LopqCode code(int i) {
    checkRow(i);
    return new LopqCode(coarse0[i], coarse1[i],
        Arrays.copyOfRange(fine, i * subquantizers, (i + 1) * subquantizers));
  }

  /** Coarse index of half {@code h} of row {@code i}. */
  public int coarse(int h, int i) {
    checkRow(i);
    return h == 0 ? coarse0[i] : coarse1[i];
  }

  /** Fine code {@code m} of row {@code i}, unsigned. */
  public int fine(int i, int m) {
    checkRow(i);
    return fine[i * subquantizers + m] & 0xFF;
  }

  /** Offset of row {@code i}'s fine codes in {@link #fineArray()}. */
  public int fineOffset(int i) {
    return i * subquantizers;
  }

  /** Live first-half coarse indices (valid up to {@link #size()}). */
  public int[] coarse0Array() {
    return coarse0;
  }

  /** Live second-half coarse indices (valid up to {@link #size()}). */
  public int[] coarse1Array() {
    return coarse1;
  }

  /** Live coarse indices of half {@code h}. */
  public int[] coarseArray(int h) {
    return h == 0 ? coarse0 : coarse1;
  }

  /** Live fine codes, M bytes per row (valid up to {@code size() * M}). */
  public byte[] fineArray() {
    return fine;
  }

  private void checkRow(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("row " + i + " is outside [0, " + size + ")");
    }
  }
}
