package io.lopq.search.batch;

import io.lopq.encode.EncodedBatch;
import io.lopq.model.LopqModel;
import io.lopq.search.SearchOptions;
import io.lopq.search.SearchResult;
import io.lopq.search.TopK;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The batched engine wired in one process as the distributed search wires it across tasks: the
 * index cut into {@code slices} cell blocks (each cell salted into one unit per slice, as a split
 * cell of the bucket plan), every query routed once and scanned against each block a query block at
 * a time, the per-block results merged ({@link PartialResult#merge}), then optionally re-ranked
 * on the raw vectors ({@link RawBlock}). A test fixture: what it returns must equal
 * {@link io.lopq.search.InMemorySearcher}'s results.
 */
final class BatchedSearch {
  private final LopqModel model;
  private final CellCounts counts;
  private final CellBlock[] blocks;
  private final RawBlock raw;
  private final int slices;
  private long[] scanned = new long[0];
  private long[] cellsVisited = new long[0];

  /**
   * An index over {@code codes} (row {@code i} has id {@code ids[i]}).
   *
   * @param vectors the raw vectors (row-major) for re-ranking, or null
   * @param slices cell blocks the index is cut into
   */
  BatchedSearch(LopqModel model, long[] ids, EncodedBatch codes, float[] vectors, int slices) {
    this.model = model;
    this.slices = slices;
    this.counts = countsOf(model.coarseClusters(), codes);
    int v = model.coarseClusters();
    CellBlock.Builder[] builders = new CellBlock.Builder[slices];
    for (int s = 0; s < slices; s++) {
      builders[s] = new CellBlock.Builder(model.subquantizers());
    }
    for (int i = 0; i < codes.size(); i++) {
      int c0 = codes.coarse(0, i);
      int c1 = codes.coarse(1, i);
      int slice = sliceOf(ids[i]);
      long unit = (long) counts.indexOf(CellCounts.key(v, c0, c1)) * slices + slice;
      builders[slice].add(unit, c0, c1, ids[i], codes.fineArray(), codes.fineOffset(i));
    }
    this.blocks = new CellBlock[slices];
    for (int s = 0; s < slices; s++) {
      blocks[s] = builders[s].build();
    }
    this.raw = vectors == null ? null
        : new RawBlock.Builder(model.dimension()).addAll(ids, vectors, codes.size()).build();
  }

  /** Rows per non-empty cell of {@code codes}. */
  static CellCounts countsOf(int coarseClusters, EncodedBatch codes) {
    Map<Long, Long> sizes = new HashMap<>();
    for (int i = 0; i < codes.size(); i++) {
      sizes.merge(CellCounts.key(coarseClusters, codes.coarse(0, i), codes.coarse(1, i)), 1L, Long::sum);
    }
    int[] c0 = new int[sizes.size()];
    int[] c1 = new int[sizes.size()];
    long[] rows = new long[sizes.size()];
    int j = 0;
    for (Map.Entry<Long, Long> e : sizes.entrySet()) {
      c0[j] = (int) (e.getKey() / coarseClusters);
      c1[j] = (int) (e.getKey() % coarseClusters);
      rows[j++] = e.getValue();
    }
    return new CellCounts(coarseClusters, c0, c1, rows);
  }

  /** The index's cell counts. */
  CellCounts counts() {
    return counts;
  }

  private int sliceOf(long id) {
    return (int) Math.floorMod(id * 0x9E3779B97F4A7C15L >>> 17, (long) slices);
  }

  /**
   * Searches {@code n} row-major queries with {@code options}, {@code queryBlock} queries per scan.
   *
   * @param tables the table builder of each block's scanner
   */
  SearchResult[] search(float[] queries, int n, SearchOptions options, Function<LopqModel, TableBuilder> tables,
      int queryBlock) {
    int d = model.dimension();
    int kept = options.reranks() ? options.rerankDepth() : options.k();
    QueryRouter router = new QueryRouter(model, counts, options.candidates(), options.maxCells());
    int[][] cellsOf = new int[n][];
    long[] visited = new long[n];
    for (int q = 0; q < n; q++) {
      int count = router.route(queries, q * d);
      cellsOf[q] = Arrays.copyOf(router.cells(), count);
      visited[q] = router.visitedCells();
    }
    PartialResult[] merged = new PartialResult[n];
    for (int s = 0; s < slices; s++) {
      CellBlock block = blocks[s];
      BlockScanner scanner = new BlockScanner(model, tables.apply(model), kept);
      QueryBlock batch = new QueryBlock(d, queryBlock);
      int first = 0;
      for (int q = 0; q < n; q++) {
        batch.add(queries, q * d, false, 0);
        for (int cell : cellsOf[q]) {
          int u = block.indexOf((long) cell * slices + s);
          if (u >= 0) {
            batch.addUnit(u);
          }
        }
        if (batch.isFull() || q == n - 1) {
          int offset = first;
          int slice = s;
          scanner.scan(block, batch, (i, top, rows) -> {
            int query = offset + i;
            PartialResult part = PartialResult.drain((long) query, top, rows, slice == 0 ? visited[query] : 0);
            merged[query] = merged[query] == null ? part : PartialResult.merge(merged[query], part, kept);
          });
          first += batch.size();
          batch.clear();
        }
      }
    }
    scanned = new long[n];
    cellsVisited = new long[n];
    SearchResult[] results = new SearchResult[n];
    for (int q = 0; q < n; q++) {
      scanned[q] = merged[q].scanned();
      cellsVisited[q] = merged[q].cellsVisited();
      results[q] = options.reranks() ? rerank(queries, q, merged[q], options.k()) : merged[q].toSearchResult();
    }
    return results;
  }

  private SearchResult rerank(float[] queries, int q, PartialResult adc, int k) {
    int d = model.dimension();
    float[] query = Arrays.copyOfRange(queries, q * d, (q + 1) * d);
    double[] exact = new double[adc.size()];
    raw.distances(query, adc.ids(), exact);
    TopK top = new TopK(k);
    for (int i = 0; i < exact.length; i++) {
      top.offer(adc.ids()[i], exact[i]);
    }
    return top.drain();
  }

  /** Rows ranked by ADC per query in the last search. */
  long[] scanned() {
    return scanned;
  }

  /** Cells the multi-sequence visited per query in the last search (counted once over the blocks). */
  long[] cellsVisited() {
    return cellsVisited;
  }
}
