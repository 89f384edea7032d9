package io.lopq.search;

import io.lopq.math.KMeans;

import io.lopq.model.LopqModel;
import java.util.Arrays;
import java.util.Objects;

/**
 * The online index: an encoded dataset held in a few primitive arrays, grouped by cell of the
 * inverted multi-index, answering single queries with the in-memory searcher's results (the same
 * cells, candidates, ADC distances and (distance, id) order as {@link InMemorySearcher} and the
 * batched engine with per-query tables).
 *
 * <pre>
 *   cellKeys[c]   = c0 * V + c1 of the c-th non-empty cell, ascending       8 B per non-empty cell
 *   cellStart[c]  = position of its first row; cellStart[cells] = n         4 B per non-empty cell
 *   ids[p]        = the id of the row at position p                         8 B per row
 *   codes[p*M..]  = its M fine codes                                        M B per row
 *   heap          ~ n (8 + M) + 12 cells   (64-bit codes, long ids: 16 B per row)
 * </pre>
 *
 * A query runs the multi-sequence over the non-empty cells until they hold at least
 * {@code candidates} rows (or the cell budget is spent), ranks their rows by ADC, and optionally
 * re-ranks the best {@code rerankDepth} by exact distance on {@link RawVectors}. Built by
 * {@link Builder} (rows in any order) or read whole from a packed file
 * ({@code io.lopq.format.encoded.PackedIndexFile}). Immutable and safe to share between threads;
 * each thread searches through its own {@link Searcher}.
 *
 * <p>Positions are ints and the codes one array, so an index holds at most
 * {@code (2^31 - 16) / M} rows (268 million at M = 8).
 */
public final class CompactIndex {
  /** The most bytes one Java array holds here. */
  public static final long MAX_ARRAY = Integer.MAX_VALUE - 16;
  /** The largest V whose cell keys fit an int ({@code V^2 <= 2^31 - 1}). */
  public static final int MAX_COARSE_CLUSTERS = 46_340;

  private final LopqModel model;
  private final int subquantizers;
  private final long[] cellKeys;
  private final int[] cellStart;
  private final long[] ids;
  private final byte[] codes;
  private final float[][][] codewordNorms;

  /**
   * An index from arrays already grouped by cell (kept, not copied: do not modify them).
   *
   * @throws IllegalArgumentException naming the first inconsistency: keys not ascending or outside
   *     {@code [0, V^2)}, starts not increasing from 0 to n, arrays of the wrong length
   */
  public CompactIndex(LopqModel model, long[] cellKeys, int[] cellStart, long[] ids, byte[] codes) {
    this.model = Objects.requireNonNull(model, "model");
    this.cellKeys = Objects.requireNonNull(cellKeys, "cellKeys");
    this.cellStart = Objects.requireNonNull(cellStart, "cellStart");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.codes = Objects.requireNonNull(codes, "codes");
    this.subquantizers = model.subquantizers();
    int n = ids.length;
    if ((long) n * subquantizers != codes.length) {
      throw new IllegalArgumentException("codes hold " + codes.length + " bytes, expected n x M = " + n + " x "
          + subquantizers);
    }
    if (cellStart.length != cellKeys.length + 1) {
      throw new IllegalArgumentException("cell starts hold " + cellStart.length + " entries, expected cells + 1 = "
          + (cellKeys.length + 1));
    }
    long cellCount = (long) model.coarseClusters() * model.coarseClusters();
    if (cellStart[0] != 0 || cellStart[cellKeys.length] != n) {
      throw new IllegalArgumentException("cell starts run from " + cellStart[0] + " to " + cellStart[cellKeys.length]
          + ", expected 0 to n=" + n);
    }
    for (int c = 0; c < cellKeys.length; c++) {
      if (cellKeys[c] < 0 || cellKeys[c] >= cellCount || (c > 0 && cellKeys[c] <= cellKeys[c - 1])) {
        throw new IllegalArgumentException("cell key " + cellKeys[c] + " at " + c
            + " is outside [0, V^2) or not above the previous one");
      }
      if (cellStart[c + 1] <= cellStart[c]) {
        throw new IllegalArgumentException("cell " + c + " (key " + cellKeys[c] + ") is empty or starts after the next");
      }
    }
    this.codewordNorms = AdcTables.codewordNorms(model);
  }

  /** A builder of an index over {@code model}'s codes. */
  public static Builder builder(LopqModel model) {
    return new Builder(model, 0);
  }

  /** A builder sized for {@code expectedRows} rows (it still grows if more come). */
  public static Builder builder(LopqModel model, long expectedRows) {
    return new Builder(model, expectedRows);
  }

  /** The model that encoded the rows. */
  public LopqModel model() {
    return model;
  }

  /** Rows indexed. */
  public int size() {
    return ids.length;
  }

  /** Non-empty cells. */
  public int nonEmptyCells() {
    return cellKeys.length;
  }

  /** Rows in cell {@code (c0, c1)}. */
  public long cellSize(int c0, int c1) {
    int cell = Arrays.binarySearch(cellKeys, cellKey(c0, c1));
    return cell < 0 ? 0 : cellStart[cell + 1] - cellStart[cell];
  }

  /** Bytes of the index's arrays: {@code n (8 + M) + 12 cells}. */
  public long arrayBytes() {
    return (long) ids.length * Long.BYTES + codes.length + (long) cellKeys.length * Long.BYTES
        + (long) cellStart.length * Integer.BYTES;
  }

  /** The cell keys, ascending (the index's own array: do not modify). */
  public long[] cellKeyArray() {
    return cellKeys;
  }

  /** The cell starts, {@code cells + 1} of them (the index's own array: do not modify). */
  public int[] cellStartArray() {
    return cellStart;
  }

  /** The ids by position (the index's own array: do not modify). */
  public long[] idArray() {
    return ids;
  }

  /** The fine codes by position, M per row (the index's own array: do not modify). */
  public byte[] codeArray() {
    return codes;
  }

  /**
   * One query with fresh scratch (convenient; a {@link Searcher} reused per thread allocates
   * nothing per query but the result).
   */
  public SearchResult search(float[] query, SearchOptions options) {
    return searcher(options, null).search(query);
  }

  /**
   * A searcher for one thread.
   *
   * @param raw the raw vectors by id, needed if {@code options} re-rank; else may be null
   * @throws IllegalArgumentException if re-ranking is asked for without raw vectors, or their
   *     dimension is not the model's
   */
  public Searcher searcher(SearchOptions options, RawVectors raw) {
    return new Searcher(options, raw);
  }

  private long cellKey(int c0, int c1) {
    return (long) c0 * model.coarseClusters() + c1;
  }

  /**
   * Searches one query at a time with reused scratch (tables, multi-sequence, heaps). Not
   * thread-safe: one per thread.
   */
  public final class Searcher {
    private final SearchOptions options;
    private final RawVectors raw;
    private final AdcTables tables = new AdcTables(model, codewordNorms);
    private final MultiSequence sequence = new MultiSequence(model.coarseClusters());
    private final float[] d0 = new float[model.coarseClusters()];
    private final float[] d1 = new float[model.coarseClusters()];
    private final TopK adcTop;
    private final TopK exactTop;
    private final long[] depthIds;
    private final double[] depthDistances;
    private final float[] rawVector;
    private final MultiSequence.CellVisitor scan = this::scanCell;
    private final MultiSequence.CellSize sizes = CompactIndex.this::cellSize;
    private long lastCandidates;

    private Searcher(SearchOptions options, RawVectors raw) {
      this.options = Objects.requireNonNull(options, "options");
      if (options.reranks()) {
        if (raw == null) {
          throw new IllegalArgumentException("re-ranking needs the raw vectors; none were given");
        }
        if (raw.dimension() != model.dimension()) {
          throw new IllegalArgumentException("the raw vectors have dimension " + raw.dimension()
              + ", the model expects " + model.dimension());
        }
      }
      this.raw = raw;
      this.adcTop = new TopK(options.kept());
      this.exactTop = options.reranks() ? new TopK(options.k()) : null;
      this.depthIds = options.reranks() ? new long[options.kept()] : null;
      this.depthDistances = options.reranks() ? new double[options.kept()] : null;
      this.rawVector = options.reranks() ? new float[model.dimension()] : null;
    }

    /** The options every search of this searcher uses. */
    public SearchOptions options() {
      return options;
    }

    /** Rows ranked by ADC in the last search (the candidates the visited cells held). */
    public long lastCandidates() {
      return lastCandidates;
    }

    /**
     * The nearest neighbours of {@code query}, nearest first, ties by id.
     *
     * @throws IllegalArgumentException on a wrong dimension or a non-finite value
     */
    public SearchResult search(float[] query) {
      Objects.requireNonNull(query, "query");
      if (query.length != model.dimension()) {
        throw new IllegalArgumentException(
            "query has dimension " + query.length + ", the model expects " + model.dimension());
      }
      tables.setQuery(query, 0);
      CoarseDistances.compute(model, query, 0, 0, d0);
      CoarseDistances.compute(model, query, 0, 1, d1);
      adcTop.clear();
      lastCandidates = 0;
      long wanted = Math.min(options.candidates(), (long) ids.length);
      if (wanted > 0) {
        lastCandidates = sequence.traverse(d0, d1, sizes, wanted, options.maxCells(), scan);
      }
      if (!options.reranks()) {
        return adcTop.drain();
      }
      int n = adcTop.drainTo(depthIds, depthDistances, null);
      exactTop.clear();
      int d = model.dimension();
      for (int i = 0; i < n; i++) {
        raw.copy(depthIds[i], rawVector);
        exactTop.offer(depthIds[i], KMeans.squaredDistance(query, 0, rawVector, 0, d));
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
        adcTop.offer(ids[p], tables.distance(table0, table1, codes, p * subquantizers));
      }
    }
  }

  /**
   * Collects rows in any order and groups them by cell. Holds {@code 12 + M} bytes per row while
   * collecting and briefly twice that while grouping. Not thread-safe.
   */
  public static final class Builder {
    private static final int MIN_CAPACITY = 1024;

    private final LopqModel model;
    private final int v;
    private final int m;
    private long[] ids;
    private int[] keys;
    private byte[] codes;
    private int size;

    private Builder(LopqModel model, long expectedRows) {
      this.model = Objects.requireNonNull(model, "model");
      this.v = model.coarseClusters();
      this.m = model.subquantizers();
      if (v > MAX_COARSE_CLUSTERS) {
        throw new IllegalArgumentException("the online index supports V <= " + MAX_COARSE_CLUSTERS + ", the model has V="
            + v);
      }
      int capacity = (int) Math.max(MIN_CAPACITY, Math.min(expectedRows, maxRows()));
      this.ids = new long[capacity];
      this.keys = new int[capacity];
      this.codes = new byte[Math.multiplyExact(capacity, m)];
    }

    private long maxRows() {
      return MAX_ARRAY / m;
    }

    /** Rows added so far. */
    public int size() {
      return size;
    }

    /**
     * Adds one row: its id, cell and the M fine codes at {@code fine[offset ..]}.
     *
     * @throws IllegalArgumentException if the cell is outside {@code [0, V)^2}, fewer than M codes
     *     follow the offset, or the index is full
     */
    public Builder add(long id, int c0, int c1, byte[] fine, int offset) {
      if (c0 < 0 || c0 >= v || c1 < 0 || c1 >= v) {
        throw new IllegalArgumentException("row with id " + id + " has cell (" + c0 + ", " + c1 + "), outside [0, "
            + v + ")^2 of the model");
      }
      if (offset < 0 || fine.length - offset < m) {
        throw new IllegalArgumentException("row with id " + id + " has " + (fine.length - offset)
            + " fine codes, the model has M=" + m);
      }
      if (size == ids.length) {
        grow();
      }
      ids[size] = id;
      keys[size] = c0 * v + c1;
      System.arraycopy(fine, offset, codes, size * m, m);
      size++;
      return this;
    }

    private void grow() {
      if (size >= maxRows()) {
        throw new IllegalArgumentException("the online index holds at most " + maxRows() + " rows at M=" + m);
      }
      int capacity = (int) Math.min(maxRows(), 2L * ids.length);
      ids = Arrays.copyOf(ids, capacity);
      keys = Arrays.copyOf(keys, capacity);
      codes = Arrays.copyOf(codes, capacity * m);
    }

    /** The index of the rows added (the builder must not be used afterwards). */
    public CompactIndex build() {
      long[] order = new long[size];
      for (int i = 0; i < size; i++) {
        order[i] = ((long) keys[i] << Integer.SIZE) | i;
      }
      keys = null;
      Arrays.sort(order);
      long[] sortedIds = new long[size];
      int cells = 0;
      long previous = -1;
      for (int p = 0; p < size; p++) {
        long key = order[p] >>> Integer.SIZE;
        sortedIds[p] = ids[(int) order[p]];
        if (key != previous) {
          cells++;
          previous = key;
        }
      }
      ids = null;
      byte[] sortedCodes = new byte[size * m];
      long[] cellKeys = new long[cells];
      int[] cellStart = new int[cells + 1];
      int cell = -1;
      previous = -1;
      for (int p = 0; p < size; p++) {
        long key = order[p] >>> Integer.SIZE;
        System.arraycopy(codes, (int) order[p] * m, sortedCodes, p * m, m);
        if (key != previous) {
          cell++;
          cellKeys[cell] = key;
          cellStart[cell] = p;
          previous = key;
        }
      }
      cellStart[cells] = size;
      codes = null;
      return new CompactIndex(model, cellKeys, cellStart, sortedIds, sortedCodes);
    }
  }
}
