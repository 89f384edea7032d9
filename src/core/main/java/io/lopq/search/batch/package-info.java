/**
 * The batched search engine: many queries scanned together against encoded rows held in blocks,
 * with the results of {@link io.lopq.search.InMemorySearcher} (the same cells, candidates and
 * (distance, id) order; distances equal to rounding, or bit for bit with {@link
 * io.lopq.search.batch.PerQueryTables}). Independent of Spark: the distributed search
 * ({@code io.lopq.spark.search}) runs it inside its tasks.
 *
 * <pre>
 *   CellCounts       rows per non-empty cell                      (what the multi-sequence needs)
 *   QueryRouter      query -&gt; its cells, in multi-sequence order (CoarseDistanceRows, MultiSequence)
 *   CellBlock        encoded rows grouped by unit (a cell, or a slice of one)
 *   QueryBlock       queries with the units each wants scanned
 *   BlockScanner     ADC over a QueryBlock x CellBlock, tables per (half, coarse index) built once
 *                    for all queries that share it (TableBuilder: BatchedTables or PerQueryTables)
 *   PartialResult    a query's best rows in one part of the index, mergeable into the final top-k
 *   RawBlock         raw vectors by id, for exact re-ranking
 * </pre>
 */
package io.lopq.search.batch;
