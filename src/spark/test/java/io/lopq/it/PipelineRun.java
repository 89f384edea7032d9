package io.lopq.it;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The whole pipeline (train, encode, search with re-ranking, eval) run through {@code scripts/submit}
 * with the job definitions of {@code jobs/}, on the test cluster or in local mode, over the suite's
 * standard generated corpus. The fault-free cluster run is made once per JVM ({@link #clusterBaseline})
 * and shared: the pipeline test compares it with a local run, the fault tests compare their outputs
 * with it.
 */
final class PipelineRun {
  /** The steps, in order. */
  enum Step { TRAIN, ENCODE, SEARCH, EVAL }

  /** D of the standard corpus. */
  static final int DIMENSION = 32;
  /** Gaussian clusters in the generated data. */
  static final int DATA_CLUSTERS = 24;
  static final long DATA_SEED = 7;
  /** The base: this many .fvecs files (at least one split, i.e. one task, each) ... */
  static final int BASE_FILES = 8;
  /** ... of this many rows. */
  static final int ROWS_PER_FILE = 4_000;
  static final int QUERIES = 300;
  /** Queries are rows from here on (disjoint from the base). */
  static final long FIRST_QUERY_ROW = 10_000_000L;
  /** V, M, training seed. */
  static final int COARSE_CLUSTERS = 16;
  static final int SUBQUANTIZERS = 8;
  static final long TRAIN_SEED = 11;
  /** Neighbours per query, candidates scored, re-ranked. */
  static final int K = 10;
  static final int CANDIDATES = 1_000;

  private static PipelineRun baseline;

  final Path dir;
  final Path base;
  final Path queries;
  final Path model;
  final Path encoded;
  final Path results;
  final Path report;
  final Map<Step, SparkJob.Outcome> outcomes = new EnumMap<>(Step.class);

  private PipelineRun(Path dir, Path base, Path queries) {
    this.dir = dir;
    this.base = base;
    this.queries = queries;
    this.model = dir.resolve("model");
    this.encoded = dir.resolve("encoded");
    this.results = dir.resolve("results");
    this.report = dir.resolve("report");
  }

  static Corpus corpus() {
    return new Corpus(DIMENSION, DATA_CLUSTERS, DATA_SEED);
  }

  /** The standard base folder (written once per checkout's target/). */
  static Path base() {
    return corpus().writeFvecsFolder(Project.workDir("corpus").resolve("base.fvecs"), BASE_FILES, ROWS_PER_FILE);
  }

  /** The standard queries. */
  static Path queries() {
    return corpus().writeFvecs(Project.workDir("corpus").resolve("queries.fvecs"), FIRST_QUERY_ROW, QUERIES);
  }

  static int baseRows() {
    return BASE_FILES * ROWS_PER_FILE;
  }

  /** The fault-free cluster run, made on first use. */
  static synchronized PipelineRun clusterBaseline(LocalCluster cluster) {
    if (baseline == null) {
      baseline = run(cluster, false, Project.cleanDir("pipeline-cluster"));
    }
    return baseline;
  }

  /** The same steps in local mode. */
  static PipelineRun local(LocalCluster cluster) {
    return run(cluster, true, Project.cleanDir("pipeline-local"));
  }

  private static PipelineRun run(LocalCluster cluster, boolean local, Path dir) {
    PipelineRun run = new PipelineRun(dir, base(), queries());
    run.outcomes.put(Step.TRAIN, run.train(cluster, local).runSuccessfully());
    run.outcomes.put(Step.ENCODE, run.encode(cluster, run.encoded, local).runSuccessfully());
    run.outcomes.put(Step.SEARCH, run.search(cluster, run.results, local).runSuccessfully());
    run.outcomes.put(Step.EVAL, run.eval(cluster, local).runSuccessfully());
    return run;
  }

  SparkJob train(LocalCluster cluster, boolean local) {
    return mode(cluster.job("train").label("train")
        .env("LOPQ_TRAIN_INPUT", base)
        .env("LOPQ_MODEL", model)
        .env("LOPQ_COARSE_CLUSTERS", Integer.toString(COARSE_CLUSTERS))
        .env("LOPQ_SUBQUANTIZERS", Integer.toString(SUBQUANTIZERS))
        .env("LOPQ_SEED", Long.toString(TRAIN_SEED)), local);
  }

  /** Encodes the base with this run's model into {@code output}. */
  SparkJob encode(LocalCluster cluster, Path output, boolean local) {
    return mode(cluster.job("encode").label("encode")
        .env("LOPQ_MODEL", model)
        .env("LOPQ_BASE", base)
        .env("LOPQ_ENCODED", output), local);
  }

  /** Searches this run's encoded base, re-ranking against the raw base, into {@code output}. */
  SparkJob search(LocalCluster cluster, Path output, boolean local) {
    return mode(cluster.job("search").label("search")
        .env("LOPQ_MODEL", model)
        .env("LOPQ_ENCODED", encoded)
        .env("LOPQ_QUERIES", queries)
        .env("LOPQ_K", Integer.toString(K))
        .env("LOPQ_CANDIDATES", Integer.toString(CANDIDATES))
        .env("LOPQ_RERANK", base)
        .env("LOPQ_RESULTS", output), local);
  }

  SparkJob eval(LocalCluster cluster, boolean local) {
    return mode(cluster.job("eval").label("eval")
        .env("LOPQ_RESULTS", results)
        .env("LOPQ_BASE", base)
        .env("LOPQ_QUERIES", queries)
        .env("LOPQ_REPORT", report), local);
  }

  private static SparkJob mode(SparkJob job, boolean local) {
    return local ? job.local() : job;
  }
}
