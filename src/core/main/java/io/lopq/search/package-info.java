/**
 * Nearest-neighbour search over LOPQ codes, independent of Spark.
 *
 * <ul>
 *   <li>{@link io.lopq.search.CoarseDistances} and {@link io.lopq.search.MultiSequence}: which cells
 *       of the inverted multi-index to visit, nearest first;</li>
 *   <li>{@link io.lopq.search.AdcTables}: asymmetric distances of codes to a query by table look-up;</li>
 *   <li>{@link io.lopq.search.TopK} and {@link io.lopq.search.SearchResult}: bounded, deterministic
 *       (distance, id) ranking;</li>
 *   <li>{@link io.lopq.search.InMemorySearcher}: the whole pipeline over codes held in memory, with
 *       optional exact re-ranking; {@link io.lopq.search.ExactSearcher}: brute-force ground truth;</li>
 *   <li>{@code io.lopq.search.batch}: the same search for many queries at once over blocks of
 *       encoded rows (what the distributed search runs in its tasks).</li>
 * </ul>
 */
package io.lopq.search;
