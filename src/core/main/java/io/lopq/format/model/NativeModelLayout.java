package io.lopq.format.model;

import io.lopq.model.CodebookScope;
import io.lopq.model.LopqModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The order, names, shapes and byte offsets of the float32 arrays in a native model's array file.
 *
 * <pre>
 *   header                                   HEADER_BYTES
 *   coarseCentroids[0], coarseCentroids[1]   V x D/2 each
 *   residualMeans[0],   residualMeans[1]     V x D/2 each
 *   rotations[0],       rotations[1]         V x D/2 x D/2 each (rows are eigenvectors)
 *   codebooks[0] .. codebooks[M-1]           K x D/M each (m &lt; M/2: half 0)
 *   localCodebooks[0] .. localCodebooks[M-1] V x K x D/M each, only with local codebooks (format
 *                                            version 2): cluster c of subquantizer m's half at c K D/M
 * </pre>
 *
 * All arrays are row-major, little-endian IEEE 754 float32, with no padding between them.
 */
final class NativeModelLayout {
  /** Bytes in the array file header (magic, version, header length, D, V, M, K). */
  static final int HEADER_BYTES = 32;
  /** Bytes per stored value. */
  static final int FLOAT_BYTES = Float.BYTES;

  /** One array: its name, its shape, and where its first value starts in the file. */
  record Entry(String name, String shapeFormula, int[] shape, long offset) {
    /** Number of float values. */
    long count() {
      long c = 1;
      for (int s : shape) {
        c *= s;
      }
      return c;
    }

    /** Bytes the array occupies. */
    long bytes() {
      return count() * FLOAT_BYTES;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && name.equals(e.name) && Arrays.equals(shape, e.shape) && offset == e.offset;
    }

    @Override
    public int hashCode() {
      return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Long.hashCode(offset);
    }
  }

  private final List<Entry> entries;
  private final long totalBytes;
  private final CodebookScope scope;

  private NativeModelLayout(List<Entry> entries, long totalBytes, CodebookScope scope) {
    this.entries = Collections.unmodifiableList(entries);
    this.totalBytes = totalBytes;
    this.scope = scope;
  }

  /** The layout of a model with these parameters (which must be valid) and shared codebooks only. */
  static NativeModelLayout of(int dimension, int coarseClusters, int subquantizers, int subquantizerClusters) {
    return of(dimension, coarseClusters, subquantizers, subquantizerClusters, CodebookScope.GLOBAL);
  }

  /** The layout of a model with these parameters (which must be valid) and codebooks. */
  static NativeModelLayout of(int dimension, int coarseClusters, int subquantizers, int subquantizerClusters,
      CodebookScope scope) {
    LopqModel.checkParameters(dimension, coarseClusters, subquantizers, subquantizerClusters);
    int half = dimension / 2;
    int sub = dimension / subquantizers;
    List<Entry> entries = new ArrayList<>();
    long offset = HEADER_BYTES;
    for (int h = 0; h < LopqModel.HALVES; h++) {
      offset = add(entries, "coarseCentroids[" + h + "]", "V x D/2", new int[] {coarseClusters, half}, offset);
    }
    for (int h = 0; h < LopqModel.HALVES; h++) {
      offset = add(entries, "residualMeans[" + h + "]", "V x D/2", new int[] {coarseClusters, half}, offset);
    }
    for (int h = 0; h < LopqModel.HALVES; h++) {
      offset = add(entries, "rotations[" + h + "]", "V x D/2 x D/2", new int[] {coarseClusters, half, half}, offset);
    }
    for (int m = 0; m < subquantizers; m++) {
      offset = add(entries, "codebooks[" + m + "]", "K x D/M", new int[] {subquantizerClusters, sub}, offset);
    }
    if (scope == CodebookScope.LOCAL) {
      for (int m = 0; m < subquantizers; m++) {
        offset = add(entries, "localCodebooks[" + m + "]", "V x K x D/M",
            new int[] {coarseClusters, subquantizerClusters, sub}, offset);
      }
    }
    return new NativeModelLayout(entries, offset, scope);
  }

  /** The layout of {@code model}. */
  static NativeModelLayout of(LopqModel model) {
    return of(model.dimension(), model.coarseClusters(), model.subquantizers(), model.subquantizerClusters(),
        model.codebookScope());
  }

  /** Shared or local codebooks. */
  CodebookScope scope() {
    return scope;
  }

  /**
   * The format version files of this layout are written with: the oldest that holds it (1 for
   * shared codebooks, so older builds still read such models; {@link NativeModelFormat#LOCAL_CODEBOOKS_VERSION}
   * for local ones).
   */
  int formatVersion() {
    return scope == CodebookScope.LOCAL ? NativeModelFormat.LOCAL_CODEBOOKS_VERSION : 1;
  }

  private static long add(List<Entry> entries, String name, String formula, int[] shape, long offset) {
    Entry entry = new Entry(name, formula, shape, offset);
    entries.add(entry);
    return offset + entry.bytes();
  }

  /** The arrays in file order. */
  List<Entry> entries() {
    return entries;
  }

  /** Total size of the array file in bytes, header included. */
  long totalBytes() {
    return totalBytes;
  }

  /** The model's array for entry {@code index} of this layout. */
  static float[] arrayOf(LopqModel model, int index) {
    int halves = LopqModel.HALVES;
    if (index < halves) {
      return model.coarseCentroids(index);
    }
    if (index < 2 * halves) {
      return model.residualMeans(index - halves);
    }
    if (index < 3 * halves) {
      return model.rotations(index - 2 * halves);
    }
    int m = index - 3 * halves;
    if (m < model.subquantizers()) {
      return model.codebook(m);
    }
    m -= model.subquantizers();
    int v = model.coarseClusters();
    int size = model.subquantizerClusters() * model.subDimension();
    float[] flat = new float[Math.multiplyExact(v, size)];
    for (int c = 0; c < v; c++) {
      System.arraycopy(model.codebook(m, c), 0, flat, c * size, size);
    }
    return flat;
  }

  /** Builds a model from arrays read in this layout's order. */
  static LopqModel assemble(
      int dimension, int coarseClusters, int subquantizers, int subquantizerClusters,
      List<float[]> arrays, io.lopq.model.ModelMetadata metadata) {
    int halves = LopqModel.HALVES;
    float[][] centroids = {arrays.get(0), arrays.get(1)};
    float[][] means = {arrays.get(halves), arrays.get(halves + 1)};
    float[][] rotations = {arrays.get(2 * halves), arrays.get(2 * halves + 1)};
    float[][] codebooks = arrays.subList(3 * halves, 3 * halves + subquantizers).toArray(new float[0][]);
    float[][][] local = null;
    if (arrays.size() > 3 * halves + subquantizers) {
      int size = subquantizerClusters * (dimension / subquantizers);
      local = new float[subquantizers][coarseClusters][];
      for (int m = 0; m < subquantizers; m++) {
        float[] flat = arrays.get(3 * halves + subquantizers + m);
        for (int c = 0; c < coarseClusters; c++) {
          local[m][c] = Arrays.copyOfRange(flat, c * size, (c + 1) * size);
        }
      }
    }
    return new LopqModel(dimension, coarseClusters, subquantizers, subquantizerClusters,
        centroids, means, rotations, codebooks, local, metadata);
  }
}
