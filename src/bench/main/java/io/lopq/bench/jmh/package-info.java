/**
 * JMH micro-benchmarks of the core, single-threaded, on the reference setting (D=784, V=64, M=8,
 * K=256): encoding ({@link io.lopq.bench.jmh.EncodeThroughput}) and search
 * ({@link io.lopq.bench.jmh.SearchThroughput}), counted in vectors and queries per wall and per CPU
 * second ({@link io.lopq.bench.jmh.Counted}); {@link io.lopq.bench.jmh.CoreBenchmarks} runs them
 * for {@code scripts/dev/bench-core}.
 */
package io.lopq.bench.jmh;
