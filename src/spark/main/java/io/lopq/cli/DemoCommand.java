package io.lopq.cli;

import io.lopq.search.SearchOptions;
import io.lopq.train.TrainingParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lopq demo}: the whole pipeline end to end on a generated data set, in one embedded Spark:
 * generate base and query vectors, train, encode, search with exact re-ranking, and evaluate
 * recall against exact ground truth. It runs the same commands a user would, with the same
 * options, so it shows what to type as well as what comes out.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run generate, train, encode, search and eval end to end on a generated data set.")
final class DemoCommand implements Callable<Integer> {
  /** Marks a work directory as the demo's own, so a re-run may clear it and nothing else. */
  static final String MARKER = ".lopq-demo";
  /** Clusters of the generated data when V is left to the trainer ({@code auto}). */
  static final int DATA_CLUSTERS_WITH_AUTO_V = 16;

  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--work-dir", defaultValue = "target/lopq-demo", paramLabel = "DIR",
      description = "Where the demo writes its data, model, index and results (default ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--rows", defaultValue = "20000", paramLabel = "N", description = "Base vectors (default ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--queries", defaultValue = "500", paramLabel = "Q", description = "Query vectors (default ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--dimension", defaultValue = "64", paramLabel = "D", description = "Dimension (default ${DEFAULT-VALUE}).")
  int dimension;

  @Option(names = "--coarse-clusters", paramLabel = "V", descriptionKey = "train.coarseClusters")
  Integer coarseClusters;

  @Option(names = "--subquantizers", paramLabel = "M", descriptionKey = "train.subquantizers")
  Integer subquantizers;

  @Option(names = "--k", paramLabel = "K", descriptionKey = "search.k")
  Integer k;

  @Option(names = "--candidates", defaultValue = "2000", paramLabel = "N",
      description = "Candidates ranked per query (default ${DEFAULT-VALUE}).")
  int candidates;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    prepareWorkDir();
    String base = path("base.fvecs");
    String queryFile = path("queries.fvecs");
    String model = path("model");
    String index = path("encoded");
    String results = path("results");
    String report = path("report");
    String dim = Integer.toString(dimension);
    int v = TrainingParams.COARSE_CLUSTERS.orDefault(coarseClusters);
    String m = Integer.toString(TrainingParams.SUBQUANTIZERS.orDefault(subquantizers));
    String neighbours = Integer.toString(SearchOptions.K.orDefault(k));
    boolean autoV = v == TrainingParams.AUTO_COARSE_CLUSTERS;
    String clusters = Integer.toString(autoV ? DATA_CLUSTERS_WITH_AUTO_V : Math.max(2, v));
    List<String[]> steps = List.of(
        new String[] {"generate", "--output", base, "--rows", Integer.toString(rows), "--dimension", dim,
            "--clusters", clusters, "--seed", Long.toString(seed)},
        new String[] {"generate", "--output", queryFile, "--rows", Integer.toString(queries), "--dimension", dim,
            "--clusters", clusters, "--seed", Long.toString(seed), "--first-row", Integer.toString(rows)},
        withSpark("train", "--input", base, "--output", model, "--coarse-clusters", autoV ? "auto" : Integer.toString(v),
            "--subquantizers", m, "--seed", Long.toString(seed)),
        withSpark("encode", "--model", model, "--input", base, "--output", index),
        withSpark("search", "--model", model, "--index", index, "--queries", queryFile, "--k", neighbours,
            "--candidates", Integer.toString(candidates), "--rerank", base, "--output", results),
        withSpark("eval", "--results", results, "--base", base, "--queries", queryFile, "--k", neighbours,
            "--report", report));
    PrintWriter out = spec.commandLine().getOut();
    for (String[] step : steps) {
      out.println();
      out.println("$ lopq " + String.join(" ", step));
      out.flush();
      long start = System.nanoTime();
      CommandLine fresh = LopqCli.commandLine();
      fresh.setOut(out);
      fresh.setErr(spec.commandLine().getErr());
      int code = fresh.execute(step);
      if (code != ExitCodes.OK) {
        spec.commandLine().getErr().println("demo: step '" + step[0] + "' failed with exit code " + code);
        return code;
      }
      out.printf("(%s took %.1f s)%n", step[0], (System.nanoTime() - start) / 1e9);
      out.flush();
    }
    out.println();
    out.println("demo: done; everything it wrote is under " + workDir.toAbsolutePath());
    out.flush();
    return ExitCodes.OK;
  }

  private String[] withSpark(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (spark.master != null) {
      all.add("--master");
      all.add(spark.master);
    }
    spark.conf.forEach((key, value) -> {
      all.add("--conf");
      all.add(key + "=" + value);
    });
    return all.toArray(new String[0]);
  }

  private String path(String name) {
    return workDir.resolve(name).toAbsolutePath().toUri().toString();
  }

  private void prepareWorkDir() throws IOException {
    if (Files.exists(workDir)) {
      if (!Files.exists(workDir.resolve(MARKER))) {
        throw new IllegalArgumentException("work directory " + workDir.toAbsolutePath()
            + " exists and was not made by lopq demo; choose another --work-dir");
      }
      try (Stream<Path> walk = Files.walk(workDir)) {
        for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(workDir);
    Files.createFile(workDir.resolve(MARKER));
    workDir = Paths.get(workDir.toAbsolutePath().toString());
  }
}
