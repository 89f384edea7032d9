package io.lopq.bench.jmh;

import io.lopq.math.Blas;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the core's JMH benchmarks ({@link EncodeThroughput}, {@link SearchThroughput}) and prints one
 * line per benchmark: vectors or queries per wall-clock second and per CPU second of the benchmark
 * thread. Run by {@code scripts/dev/bench-core} (with {@code OPENBLAS_NUM_THREADS=1}, for per-thread
 * numbers). JMH's own command line ({@code org.openjdk.jmh.Main}) runs the same benchmarks with every
 * JMH option.
 */
@Command(name = "bench-core", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Single-thread throughput of the core (JMH): batch and single encode, ADC and exact search.")
public final class CoreBenchmarks implements Callable<Integer> {
  /** The benchmarks run by default. */
  static final String DEFAULT_INCLUDE = EncodeThroughput.class.getName() + "|" + SearchThroughput.class.getName();
  /** Counter of CPU seconds (see {@link Counted}). */
  static final String CPU_COUNTER = "cpuSeconds";
  /** Counters of units, one of which each benchmark reports. */
  static final List<String> UNIT_COUNTERS = List.of("vectors", "queries");

  @Spec CommandSpec spec;

  @Option(names = "--include", paramLabel = "REGEX", description = "Benchmarks to run (default: all of the core's).")
  String include = DEFAULT_INCLUDE;

  @Option(names = "--vectors", paramLabel = "N", description = "Vectors of the encode benchmarks (default 16384).")
  Integer vectors;

  @Option(names = "--block", paramLabel = "B", description = "Rows per batch of the batch encoder (default 2048).")
  Integer block;

  @Option(names = "--items", paramLabel = "N", description = "Items in the search index (default 60000).")
  Integer items;

  @Option(names = "--queries", paramLabel = "N", description = "Query vectors of the search benchmarks (default 500).")
  Integer queries;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the model and data (default 42).")
  Long seed;

  @Option(names = "--iterations", paramLabel = "N", description = "Measured iterations (default 5).")
  Integer iterations;

  @Option(names = "--warmup-iterations", paramLabel = "N", description = "Warm-up iterations (default 3).")
  Integer warmupIterations;

  @Option(names = "--seconds", paramLabel = "S", description = "Seconds per iteration (default 1).")
  Integer seconds;

  @Option(names = "--forks", paramLabel = "N", description = "JVM forks per benchmark (default 1).")
  Integer forks;

  /** Runs the benchmarks and exits with the command's status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new CoreBenchmarks()).execute(args));
  }

  @Override
  public Integer call() throws RunnerException {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "java %s, BLAS %s, OPENBLAS_NUM_THREADS=%s, %d processors%n",
        System.getProperty("java.version"), Blas.implementation(), System.getenv("OPENBLAS_NUM_THREADS"),
        Runtime.getRuntime().availableProcessors());
    out.flush();
    ChainedOptionsBuilder options = new OptionsBuilder().include(include).shouldFailOnError(true);
    param(options, "vectors", vectors);
    param(options, "block", block);
    param(options, "items", items);
    param(options, "queries", queries);
    param(options, "seed", seed);
    if (iterations != null) {
      options.measurementIterations(iterations);
    }
    if (warmupIterations != null) {
      options.warmupIterations(warmupIterations);
    }
    if (seconds != null) {
      options.measurementTime(TimeValue.seconds(seconds)).warmupTime(TimeValue.seconds(seconds));
    }
    if (forks != null) {
      options.forks(forks);
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    out.println();
    out.printf(Locale.ROOT, "%-58s %14s %14s%n", "benchmark (mean of the measured iterations)", "per wall s",
        "per CPU s");
    for (RunResult result : results) {
      rate(result).ifPresent(rate -> out.printf(Locale.ROOT, "%-58s %14.0f %14.0f  %s/s%n", label(result),
          rate.perWallSecond(), rate.perCpuSecond(), rate.unit()));
    }
    out.flush();
    return 0;
  }

  /** Units per wall second and per CPU second of one benchmark, from its counters. */
  record Rate(String unit, double perWallSecond, double perCpuSecond) {}

  /** The rate of a result: its unit counter's score, and that divided by the CPU counter's score. */
  static Optional<Rate> rate(RunResult result) {
    Map<String, Result> counters = result.getSecondaryResults();
    Result cpu = counters.get(CPU_COUNTER);
    for (String unit : UNIT_COUNTERS) {
      Result units = counters.get(unit);
      if (units != null && cpu != null) {
        double perWall = units.getScore();
        return Optional.of(new Rate(unit, perWall, perWall / cpu.getScore()));
      }
    }
    return Optional.empty();
  }

  /** "EncodeThroughput.batchClustered" plus the candidates, for the benchmarks that vary them. */
  private static String label(RunResult result) {
    String name = result.getParams().getBenchmark();
    String shortName = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
    List<String> params = new ArrayList<>();
    for (String key : result.getParams().getParamsKeys()) {
      if (key.equals("candidates")) {
        params.add(key + "=" + result.getParams().getParam(key));
      }
    }
    return params.isEmpty() ? shortName : shortName + " (" + String.join(", ", params) + ")";
  }

  private static void param(ChainedOptionsBuilder options, String name, Object value) {
    if (value != null) {
      options.param(name, String.valueOf(value));
    }
  }
}
