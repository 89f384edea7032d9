package io.lopq.cli;

import io.lopq.format.encoded.PackedIndexFile;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.format.vectors.MappedTexmexVectors;
import io.lopq.format.vectors.VectorFormat;
import io.lopq.io.encoded.EncodedIndexLoader;
import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import io.lopq.search.CompactIndex;
import io.lopq.search.RawVectors;
import io.lopq.search.SearchOptions;
import io.lopq.search.SearchResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lopq query}: online k-nearest-neighbour search without Spark. Loads the index (a packed
 * index file of {@code lopq index pack}, or an encoded dataset of {@code lopq encode}) into the
 * core's {@link CompactIndex}, then answers queries one at a time from a file or standard input,
 * printing each query's neighbours as soon as they are found (CSV rows or one JSON object per
 * query). The load time, the index's heap and the per-query latencies go to stderr.
 */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Online kNN search without Spark: load an index into memory and answer queries one at a time.",
      "Queries come from a file (fvecs, bvecs, csv, tsv) or standard input (one vector per line, values separated "
          + "by commas or spaces); ids are row numbers from 0.",
      "Prints query_id,rank,neighbor_id,distance (CSV, rank from 1, distances squared L2, ties by id) or one JSON "
          + "object per query."})
final class QueryCommand implements Callable<Integer> {
  /** The output formats. */
  enum OutputFormat { CSV, JSON }

  private static final double NANOS_PER_MILLI = 1e6;
  private static final double NANOS_PER_SECOND = 1e9;
  private static final double BYTES_PER_MB = 1 << 20;
  private static final double P50 = 0.50;
  private static final double P99 = 0.99;

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model that encoded the index.")
  String model;

  @Option(names = "--index", required = true, paramLabel = "INDEX",
      description = "A packed index file (lopq index pack) or an encoded dataset (lopq encode; long ids).")
  String index;

  @Option(names = "--queries", paramLabel = "PATH",
      description = "Query vectors: a local fvecs, bvecs, csv or tsv file; '-' or none for standard input.")
  String queries;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Format of --queries: fvecs, bvecs, csv or tsv (default: from the path name; text on stdin).")
  String format;

  @Option(names = "--k", paramLabel = "K", descriptionKey = "search.k")
  Integer k;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  SearchCommand.Work work = new SearchCommand.Work();

  @Mixin RerankOptions rerank;

  @Option(names = "--output-format", paramLabel = "FORMAT",
      description = "How neighbours are printed: csv (query_id,rank,neighbor_id,distance; the default) or json (one "
          + "object per query: {\"query_id\":..,\"neighbors\":[{\"id\":..,\"distance\":..},..]}).")
  String outputFormat;

  /** Standard input (tests replace it). */
  InputStream stdin = System.in;

  @Override
  public Integer call() throws IOException {
    int neighbours = SearchOptions.K.orDefault(k);
    SearchOptions.Builder options = SearchOptions.builder().k(neighbours).rerankDepth(rerank.depth(spec, neighbours));
    if (work.cells != null) {
      options.maxCells(work.cells).candidates(SearchOptions.UNLIMITED_CANDIDATES);
    } else if (work.candidates != null) {
      options.candidates(work.candidates);
    }
    SearchOptions checked = options.build();
    if (work.cells == null && checked.candidates() < checked.k()) {
      throw new ParameterException(spec.commandLine(), "--candidates must be >= k=" + checked.k() + ", got "
          + checked.candidates());
    }
    OutputFormat output = outputFormat();
    LopqModel loaded = ModelStore.load(model);
    RawVectors raw = rerank.path() == null ? null : raw(rerank.path(), loaded);
    PrintWriter err = spec.commandLine().getErr();
    try (QueryVectors in = QueryVectors.open(queries, format, stdin, loaded.dimension())) {
      long start = System.nanoTime();
      CompactIndex compact = load(index, loaded);
      long loadNanos = System.nanoTime() - start;
      err.printf(Locale.ROOT, "loaded %,d rows in %,d cells from %s in %.2f s (%.1f MB of arrays, %.1f bytes per row)%n",
          compact.size(), compact.nonEmptyCells(), index, loadNanos / NANOS_PER_SECOND,
          compact.arrayBytes() / BYTES_PER_MB,
          compact.size() == 0 ? 0.0 : (double) compact.arrayBytes() / compact.size());
      err.flush();
      return answer(in, compact.searcher(checked, raw), output, err);
    }
  }

  /** Answers every query of {@code in}, printing each one's neighbours, then reports the latencies on stderr. */
  private int answer(QueryVectors in, CompactIndex.Searcher searcher, OutputFormat output, PrintWriter err) {
    PrintWriter out = spec.commandLine().getOut();
    boolean interactive = queries == null || queries.equals(QueryVectors.STDIN);
    if (output == OutputFormat.CSV) {
      out.println("query_id,rank,neighbor_id,distance");
    }
    long[] latencies = new long[1024];
    int count = 0;
    try {
      for (float[] query = in.next(); query != null; query = in.next()) {
        long t0 = System.nanoTime();
        SearchResult result = searcher.search(query);
        long nanos = System.nanoTime() - t0;
        if (count == latencies.length) {
          latencies = Arrays.copyOf(latencies, 2 * count);
        }
        latencies[count++] = nanos;
        print(out, output, in.id(), result);
        if (interactive) {
          out.flush();
        }
      }
    } finally {
      out.flush();
    }
    if (count > 0) {
      long[] sorted = Arrays.copyOf(latencies, count);
      Arrays.sort(sorted);
      err.printf(Locale.ROOT, "answered %,d queries: latency p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", count,
          percentile(sorted, P50) / NANOS_PER_MILLI, percentile(sorted, P99) / NANOS_PER_MILLI,
          sorted[count - 1] / NANOS_PER_MILLI);
    } else {
      err.println("answered 0 queries");
    }
    err.flush();
    return ExitCodes.OK;
  }

  private OutputFormat outputFormat() {
    if (outputFormat == null) {
      return OutputFormat.CSV;
    }
    for (OutputFormat f : OutputFormat.values()) {
      if (f.name().equalsIgnoreCase(outputFormat.strip())) {
        return f;
      }
    }
    throw new ParameterException(spec.commandLine(), "--output-format must be csv or json, got '" + outputFormat + "'");
  }

  /**
   * The index at {@code path}: a packed index file, else an encoded dataset on any Hadoop file system.
   *
   * @throws InvalidInputException naming the path if it is neither, or is for another model
   */
  static CompactIndex load(String path, LopqModel model) throws IOException {
    Path local = localPath(path);
    if (local != null && java.nio.file.Files.isRegularFile(local)) {
      if (!PackedIndexFile.isPacked(local)) {
        throw new InvalidInputException(path + " is a file but not a packed index (write one with lopq index pack), "
            + "nor an encoded dataset (a folder written by lopq encode)");
      }
      return PackedIndexFile.read(local, model);
    }
    return EncodedIndexLoader.load(new Configuration(), path, model);
  }

  private static Path localPath(String path) {
    if (path.startsWith("file:")) {
      return Path.of(java.net.URI.create(path));
    }
    return path.contains("://") ? null : Path.of(path);
  }

  private static RawVectors raw(String path, LopqModel model) {
    VectorFormat format = VectorFormat.fromPath(path);
    if (!format.isTexmex() || !format.texmexLayout().holdsVectors()) {
      throw new InvalidInputException("--rerank " + path + ": lopq query re-ranks on a local fvecs or bvecs file "
          + "(memory-mapped; ids are row numbers)");
    }
    MappedTexmexVectors vectors = MappedTexmexVectors.open(Path.of(path), format.texmexLayout());
    if (vectors.dimension() != model.dimension()) {
      throw new InvalidInputException("--rerank " + path + " has dimension " + vectors.dimension()
          + ", the model expects D=" + model.dimension());
    }
    return vectors;
  }

  private static void print(PrintWriter out, OutputFormat format, long queryId, SearchResult result) {
    if (format == OutputFormat.CSV) {
      for (int r = 0; r < result.size(); r++) {
        out.print(queryId);
        out.print(',');
        out.print(r + 1);
        out.print(',');
        out.print(result.id(r));
        out.print(',');
        out.println(result.distance(r));
      }
      return;
    }
    StringBuilder json = new StringBuilder("{\"query_id\":").append(queryId).append(",\"neighbors\":[");
    for (int r = 0; r < result.size(); r++) {
      json.append(r == 0 ? "" : ",").append("{\"id\":").append(result.id(r)).append(",\"distance\":")
          .append(result.distance(r)).append('}');
    }
    out.println(json.append("]}"));
  }

  private static double percentile(long[] sorted, double p) {
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    return sorted[i];
  }
}
