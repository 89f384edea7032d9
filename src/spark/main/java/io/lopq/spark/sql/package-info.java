/**
 * Spark SQL's {@code APPROX NEAREST BY} join answered by an LOPQ index.
 *
 * <pre>
 *   LopqSource / LopqRelation   the data source "lopq": vectors as a table (id, vector, kept...),
 *                               optionally carrying a model and its encoded index (IndexBinding)
 *   LopqExtensions              spark.sql.extensions=io.lopq.spark.sql.LopqExtensions
 *     PlanNearestBy             post-hoc resolution rule: NearestByJoin -&gt; IndexedNearestBy when the
 *                               index can serve it, else a NearestByNote saying why (Spark's plan kept)
 *     NearestByStrategy         planner: IndexedNearestBy -&gt; IndexedNearestByExec (LOPQ candidates
 *                               from the search stage, the user's expression evaluated exactly on them);
 *                               refuses a table above maxTableBytes (TableSize) before any job runs
 *   JoinSpec / JoinSettings     the fields both join nodes share; the search settings (options, spark.lopq.*)
 * </pre>
 *
 * This package sits above the stage packages: it runs {@link io.lopq.spark.search.SearchJob} through
 * its {@link io.lopq.spark.common.StageApi} classes only.
 */
package io.lopq.spark.sql;
