/**
 * The distributed search ({@link io.lopq.spark.search.SearchJob}, {@code lopq search}): Spark
 * plumbing around the batched engine of {@link io.lopq.search.batch}, which its tasks run.
 *
 * <ul>
 *   <li>Planning on the driver: {@link io.lopq.spark.search.IndexSummary} (model check, rows per
 *       cell into {@link io.lopq.search.batch.CellCounts}), {@link io.lopq.spark.search.BucketPlan}
 *       (cells split into salted units and balanced over buckets by rows x queries).</li>
 *   <li>Routing: {@link io.lopq.search.batch.QueryRouter} in {@link io.lopq.spark.search.RoutedQueries}
 *       (broadcast plan); in the shuffle plan once per query while planning
 *       ({@code AdcSearch.route}: {@link io.lopq.spark.search.RoutedQuery}, cached), then
 *       {@link io.lopq.spark.search.BucketRequests} (requests per bucket).</li>
 *   <li>What the shuffles carry: {@link io.lopq.spark.search.QueryRow},
 *       {@link io.lopq.spark.search.QueryRequest}, {@link io.lopq.spark.search.CodeRows},
 *       {@link io.lopq.spark.search.RerankRequest}, partitioned by
 *       {@link io.lopq.spark.search.KeyPartitioner}.</li>
 *   <li>Plans: {@link io.lopq.spark.search.AdcSearch} (broadcast and shuffle, each task a
 *       {@link io.lopq.spark.search.BlockSearch} over its cell block),
 *       {@link io.lopq.spark.search.ExactRerank} with {@link io.lopq.spark.search.IdShards} and
 *       the engine's {@link io.lopq.search.batch.RawBlock}.</li>
 *   <li>Ids, output and measures: {@link io.lopq.spark.search.IdDictionary} (string ids),
 *       {@link io.lopq.spark.search.ResultWriter}, {@link io.lopq.spark.search.SearchReport}, timed
 *       by {@link io.lopq.spark.common.TaskTimes}.</li>
 * </ul>
 */
package io.lopq.spark.search;
