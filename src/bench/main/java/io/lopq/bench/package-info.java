/**
 * Benchmark programs of whole jobs, run by the developer tools under {@code scripts/dev}: Spark's own
 * kNN baselines ({@link io.lopq.bench.SparkBaselines}, {@code scripts/dev/bench-baselines}), search
 * recall and throughput over candidate counts ({@link io.lopq.bench.SearchBenchmark},
 * {@code scripts/dev/bench-search}) and their helpers. The core's micro-benchmarks are JMH benchmarks
 * in {@link io.lopq.bench.jmh}; the bookkeeping of the Fashion-MNIST pipeline benchmark is
 * {@link io.lopq.bench.pipeline}. Nothing here ships: lopq-bench is built, never released.
 */
package io.lopq.bench;
