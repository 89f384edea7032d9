package io.lopq.search;

import io.lopq.math.KMeans;

import io.lopq.encode.EncodedBatch;
import io.lopq.model.LopqModel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Approximate nearest-neighbour search over LOPQ codes held in memory: an inverted multi-index
 * (cell {@code (c0, c1)} to its items), the multi-sequence to pick cells near the query, ADC to
 * rank their items, and optional exact re-ranking.
 *
 * <pre>
 *   d_h(i) = ||q_h - C_h[i]||^2                     per half (CoarseDistances)
 *   cells in non-decreasing d_0(c0) + d_1(c1) until they hold >= candidates items (MultiSequence)
 *   adc(item) = sum_m T_m[f_m]                       (AdcTables), best rerankDepth or k kept (TopK)
 *   optional: re-rank those by ||q - x||^2 on the raw vectors, keep k
 * </pre>
 *
 * The index is immutable after construction and may be searched from many threads; each call
 * uses its own scratch (a batch call reuses it across its queries). Results are ordered by
 * (distance, id).
 */
public final class InMemorySearcher {
  private final LopqModel model;
  private final int size;
  private final int subquantizers;
  private final long[] cellKeys;
  private final int[] cellStart;
  private final long[] ids;
  private final byte[] fine;
  private final int[] rows;
  private final float[] vectors;
  private final float[][][] codewordNorms;

  /**
   * An index over {@code codes} without raw vectors (no re-ranking).
   *
   * @param ids one per code, in the same order
   */
  public InMemorySearcher(LopqModel model, long[] ids, EncodedBatch codes) {
    this(model, ids, codes, null);
  }

  /**
   * An index over {@code codes} that can re-rank with the raw vectors.
   *
   * @param ids one per code, in the same order
   * @param vectors the raw vectors, row-major, row {@code i} for code {@code i}; null for none
   *     (kept, not copied: do not modify)
   */
  public InMemorySearcher(LopqModel model, long[] ids, EncodedBatch codes, float[] vectors) {
    this.model = Objects.requireNonNull(model, "model");
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(codes, "codes");
    this.size = codes.size();
    this.subquantizers = model.subquantizers();
    if (ids.length != size) {
      throw new IllegalArgumentException("got " + ids.length + " ids for " + size + " codes");
    }
    if (codes.subquantizers() != subquantizers) {
      throw new IllegalArgumentException("codes have " + codes.subquantizers()
          + " fine codes per row, the model has M=" + subquantizers);
    }
    if (vectors != null && vectors.length != (long) size * model.dimension()) {
      throw new IllegalArgumentException("vectors hold " + vectors.length + " floats, expected n x D = "
          + size + " x " + model.dimension());
    }
    this.vectors = vectors;
    this.codewordNorms = AdcTables.codewordNorms(model);
    int v = model.coarseClusters();
    int[] c0 = codes.coarse0Array();
    int[] c1 = codes.coarse1Array();
    for (int i = 0; i < size; i++) {
      if (c0[i] < 0 || c0[i] >= v || c1[i] < 0 || c1[i] >= v) {
        throw new IllegalArgumentException("code " + i + " has cell (" + c0[i] + ", " + c1[i]
            + "), outside [0, " + v + ")^2");
      }
    }
    // Stable radix sort by (c0, c1): counting sort by c1, then by c0.
    int[] byC1 = countingSort(c1, identity(size), v);
    this.rows = countingSort(c0, byC1, v);
    this.ids = new long[size];
    this.fine = new byte[Math.multiplyExact(size, subquantizers)];
    int cells = 0;
    long previous = -1;
    for (int p = 0; p < size; p++) {
      int r = rows[p];
      this.ids[p] = ids[r];
      System.arraycopy(codes.fineArray(), r * subquantizers, fine, p * subquantizers, subquantizers);
      long key = cellKey(c0[r], c1[r]);
      if (key != previous) {
        cells++;
        previous = key;
      }
    }
    this.cellKeys = new long[cells];
    this.cellStart = new int[cells + 1];
    int cell = -1;
    previous = -1;
    for (int p = 0; p < size; p++) {
      long key = cellKey(c0[rows[p]], c1[rows[p]]);
      if (key != previous) {
        cell++;
        cellKeys[cell] = key;
        cellStart[cell] = p;
        previous = key;
      }
    }
    cellStart[cells] = size;
  }

  /** Items indexed. */
  public int size() {
    return size;
  }

  /** Non-empty cells. */
  public int nonEmptyCells() {
    return cellKeys.length;
  }

  /** True if re-ranking is possible. */
  public boolean hasVectors() {
    return vectors != null;
  }

  /** Items in cell {@code (c0, c1)}. */
  public long cellSize(int c0, int c1) {
    int cell = Arrays.binarySearch(cellKeys, cellKey(c0, c1));
    return cell < 0 ? 0 : cellStart[cell + 1] - cellStart[cell];
  }

  /** The {@code k} nearest by ADC among at least {@code candidates} candidates. */
  public SearchResult search(float[] query, int k, int candidates) {
    return search(query, SearchOptions.of(k, candidates));
  }

  /**
   * One query.
   *
   * @throws IllegalArgumentException on a wrong dimension, a non-finite value, or re-ranking
   *     without vectors
   */
  public SearchResult search(float[] query, SearchOptions options) {
    Objects.requireNonNull(query, "query");
    if (query.length != model.dimension()) {
      throw new IllegalArgumentException(
          "query has dimension " + query.length + ", the model expects " + model.dimension());
    }
    checkOptions(options);
    return new Scratch(options).search(query, 0);
  }

  /**
   * Many queries, row-major in {@code queries} ({@code queryCount x D}), with shared scratch.
   *
   * @throws IllegalArgumentException naming the bad query on a non-finite value
   */
  public SearchResult[] search(float[] queries, int queryCount, SearchOptions options) {
    Objects.requireNonNull(queries, "queries");
    int d = model.dimension();
    if (queryCount < 0 || queries.length < (long) queryCount * d) {
      throw new IllegalArgumentException("queries hold " + queries.length + " floats, fewer than "
          + queryCount + " x D=" + d);
    }
    checkOptions(options);
    Scratch scratch = new Scratch(options);
    SearchResult[] results = new SearchResult[queryCount];
    for (int q = 0; q < queryCount; q++) {
      try {
        results[q] = scratch.search(queries, q * d);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("query " + q + ": " + e.getMessage(), e);
      }
    }
    return results;
  }

  private void checkOptions(SearchOptions options) {
    Objects.requireNonNull(options, "options");
    if (options.reranks() && vectors == null) {
      throw new IllegalArgumentException(
          "re-ranking needs the raw vectors; this searcher was built without them");
    }
  }

  private long cellKey(int c0, int c1) {
    return (long) c0 * model.coarseClusters() + c1;
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /** Stable counting sort of {@code order} by {@code keys[order[i]]} in [0, range). */
  private static int[] countingSort(int[] keys, int[] order, int range) {
    int[] start = new int[range + 1];
    for (int r : order) {
      start[keys[r] + 1]++;
    }
    for (int i = 0; i < range; i++) {
      start[i + 1] += start[i];
    }
    int[] sorted = new int[order.length];
    for (int r : order) {
      sorted[start[keys[r]]++] = r;
    }
    return sorted;
  }

  /** Per-call state: tables, sequence, heaps and buffers for one thread. */
  private final class Scratch {
    private final SearchOptions options;
    private final AdcTables tables = new AdcTables(model, codewordNorms);
    private final MultiSequence sequence = new MultiSequence(model.coarseClusters());
    private final float[] d0 = new float[model.coarseClusters()];
    private final float[] d1 = new float[model.coarseClusters()];
    private final TopK adcTop;
    private final TopK exactTop;
    private final long[] depthIds;
    private final double[] depthDistances;
    private final int[] depthPositions;
    private final MultiSequence.CellVisitor scan = this::scanCell;

    Scratch(SearchOptions options) {
      this.options = options;
      int kept = options.reranks() ? options.rerankDepth() : options.k();
      this.adcTop = new TopK(kept);
      this.exactTop = options.reranks() ? new TopK(options.k()) : null;
      this.depthIds = options.reranks() ? new long[kept] : null;
      this.depthDistances = options.reranks() ? new double[kept] : null;
      this.depthPositions = options.reranks() ? new int[kept] : null;
    }

    SearchResult search(float[] queries, int offset) {
      tables.setQuery(queries, offset);
      CoarseDistances.compute(model, queries, offset, 0, d0);
      CoarseDistances.compute(model, queries, offset, 1, d1);
      adcTop.clear();
      long wanted = Math.min(options.candidates(), (long) size);
      if (wanted > 0) {
        sequence.traverse(d0, d1, InMemorySearcher.this::cellSize, wanted, options.maxCells(), scan);
      }
      if (!options.reranks()) {
        return adcTop.drain();
      }
      int n = adcTop.drainTo(depthIds, depthDistances, depthPositions);
      exactTop.clear();
      int d = model.dimension();
      for (int i = 0; i < n; i++) {
        int row = rows[depthPositions[i]] * d;
        exactTop.offer(depthIds[i], KMeans.squaredDistance(queries, offset, vectors, row, d));
      }
      return exactTop.drain();
    }

    private void scanCell(int c0, int c1, double cellDistance) {
      int cell = Arrays.binarySearch(cellKeys, cellKey(c0, c1));
      if (cell < 0) {
        return;
      }
      float[] table0 = tables.table(0, c0);
      float[] table1 = tables.table(1, c1);
      for (int p = cellStart[cell], end = cellStart[cell + 1]; p < end; p++) {
        float distance = tables.distance(table0, table1, fine, p * subquantizers);
        adcTop.offer(ids[p], distance, p);
      }
    }
  }
}
