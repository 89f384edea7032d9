/**
 * Throughput benchmarks ({@link io.lopq.bench.CoreBenchmark}, run by {@code scripts/bench-core})
 * and the random models and data they (and the tests) use ({@link io.lopq.model.RandomModels}).
 */
package io.lopq.bench;

import io.lopq.model.RandomModels;
