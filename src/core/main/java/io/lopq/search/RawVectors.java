package io.lopq.search;

import java.util.Objects;

/**
 * The raw vectors an index was encoded from, looked up by id, for exact re-ranking of an online
 * query ({@link CompactIndex.Searcher}). Implementations: {@link #rows} (a row-major array whose
 * row {@code i} has id {@code i}) and {@code io.lopq.format.vectors.MappedTexmexVectors} (an fvecs
 * or bvecs file memory-mapped, ids are row numbers, nothing read onto the heap).
 *
 * <p>Implementations must be safe for concurrent reads.
 */
public interface RawVectors {
  /** D, the dimension of every vector. */
  int dimension();

  /** Vectors held: ids are {@code 0 .. count()-1}. */
  long count();

  /**
   * Copies the vector of {@code id} into {@code out[0 .. D)}.
   *
   * @throws IllegalArgumentException naming the id (and the file, if any) if there is no such vector
   */
  void copy(long id, float[] out);

  /**
   * The vectors of a row-major array ({@code data.length / dimension} rows, kept, not copied): the
   * id of row {@code i} is {@code i}.
   */
  static RawVectors rows(float[] data, int dimension) {
    Objects.requireNonNull(data, "data");
    if (dimension < 1 || data.length % dimension != 0) {
      throw new IllegalArgumentException("raw vectors hold " + data.length + " floats, not a multiple of D="
          + dimension);
    }
    long n = data.length / dimension;
    return new RawVectors() {
      @Override
      public int dimension() {
        return dimension;
      }

      @Override
      public long count() {
        return n;
      }

      @Override
      public void copy(long id, float[] out) {
        if (id < 0 || id >= n) {
          throw new IllegalArgumentException("no raw vector with id " + id + ": the raw vectors hold ids 0.."
              + (n - 1));
        }
        System.arraycopy(data, (int) (id * dimension), out, 0, dimension);
      }
    };
  }
}
