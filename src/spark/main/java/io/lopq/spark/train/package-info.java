/**
 * Distributed LOPQ training on Spark ({@code lopq train}).
 *
 * <p>{@link io.lopq.spark.train.TrainJob} reads the input, runs
 * {@link io.lopq.spark.train.DistributedTrainer} and publishes the model directory with its
 * training report. The trainer works on cached {@link io.lopq.spark.common.VectorBlock}s (rows as
 * row-major float matrices) and runs the steps of LOPQ.md as Spark jobs: the coarse k-means
 * (Spark MLlib's k-means|| then batched Lloyd iterations), the residual moments per (half,
 * cluster) reduced by key with the local rotations fitted in executor tasks, and the M subquantizer
 * k-means one task each; the driver only ever holds per-partition sums and the model's parts.
 * What to run is a {@link io.lopq.spark.train.TrainPlan} (the LOPQ parameters of
 * {@link io.lopq.train.TrainingParams} plus sampling and steps).
 */
package io.lopq.spark.train;
