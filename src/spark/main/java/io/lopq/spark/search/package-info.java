/**
 * The pieces of the distributed search ({@link io.lopq.spark.search.SearchJob}, {@code lopq search}).
 *
 * <ul>
 *   <li>Planning on the driver: {@link io.lopq.spark.search.IndexSummary} (model check, rows per
 *       cell into {@link io.lopq.search.batch.CellCounts}), {@link io.lopq.spark.search.BucketPlan}
 *       (cells split into salted units and balanced over buckets by rows x queries).</li>
 *   <li>Routing: {@link io.lopq.search.batch.QueryRouter} (coarse distances and multi-sequence, the
 *       same cells as {@link io.lopq.search.InMemorySearcher}), {@link io.lopq.spark.search.RoutedQueries}
 *       and {@link io.lopq.spark.search.BucketRequests} (requests per task).</li>
 *   <li>Scanning, Spark-free: {@link io.lopq.search.batch.CellBlock} (encoded rows grouped by
 *       unit), {@link io.lopq.search.batch.QueryBlock}, {@link io.lopq.search.batch.BlockScanner}
 *       with {@link io.lopq.search.batch.BatchedTables} or {@link io.lopq.search.batch.PerQueryTables},
 *       {@link io.lopq.search.batch.PartialResult} (mergeable top-k).</li>
 *   <li>Plans: {@link io.lopq.spark.search.AdcSearch} (broadcast and shuffle),
 *       {@link io.lopq.spark.search.ExactRerank} with {@link io.lopq.spark.search.IdShards} and
 *       {@link io.lopq.search.batch.RawBlock}.</li>
 *   <li>Output and measures: {@link io.lopq.spark.search.ResultWriter},
 *       {@link io.lopq.spark.search.SearchReport}, {@link io.lopq.spark.search.StageClock},
 *       {@link io.lopq.spark.common.TaskTimes}.</li>
 * </ul>
 */
package io.lopq.spark.search;

import io.lopq.spark.common.TaskTimes;
