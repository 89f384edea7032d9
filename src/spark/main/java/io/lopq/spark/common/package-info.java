/**
 * What every Spark job shares; the stage packages ({@code spark.train}, {@code spark.encode},
 * {@code spark.search}, {@code spark.eval}) use it and never each other's internals.
 *
 * <ul>
 *   <li>{@link io.lopq.spark.common.Sessions}: the session of a command-line job.</li>
 *   <li>Reading vectors: {@link io.lopq.spark.common.VectorBlocks} (a dataset's vectors as RDDs of
 *       {@link io.lopq.spark.common.VectorBlock}s or single vectors) with
 *       {@link io.lopq.spark.common.VectorReader}, the one reader of Spark's internal rows.</li>
 *   <li>{@link io.lopq.spark.common.TaskTimes}: the one task-time meter of the jobs' reports.</li>
 *   <li>{@link io.lopq.spark.common.SerializableModel} (a model that travels to executors) and
 *       {@link io.lopq.spark.common.Errors} (our input errors inside Spark's exceptions).</li>
 * </ul>
 */
package io.lopq.spark.common;
