/**
 * The bookkeeping of {@code scripts/dev/bench-fashion-mnist}: from the jobs' outputs (model, encode
 * report, eval reports) and the step times the script measured, the Markdown rows of the pipeline
 * table in {@code docs/BENCHMARKS.md} ({@link io.lopq.bench.pipeline.PipelineBenchmarkRecord}).
 */
package io.lopq.bench.pipeline;
