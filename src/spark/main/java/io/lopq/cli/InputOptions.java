package io.lopq.cli;

import io.lopq.format.vectors.VectorFormat;
import io.lopq.format.vectors.VectorInputParams;
import io.lopq.io.vectors.VectorInput;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a command reads vectors: {@code --format}, {@code --id-col}, {@code --vector-col},
 * {@code --header} and {@code --min-partitions}, declared once ({@link VectorInputParams} holds
 * their docs and defaults) and mixed into every command that reads vectors (train, encode, search,
 * eval) with {@code @Mixin}, so that they all accept the same input options.
 */
public final class InputOptions {
  /** Per-command help where a command reads several inputs, by picocli's qualified key. */
  static final Map<String, String> COMMAND_TEXTS = Map.of(
      "lopq.search.input.format", "Format of --queries and --rerank: " + VectorFormat.names()
          + " (default: from the path name).",
      "lopq.search.input.minPartitions",
      "Read --queries and --rerank in at least about N splits (default: 2 x Spark's parallelism).",
      "lopq.eval.input.format", "Format of --base, --queries and --rerank: " + VectorFormat.names()
          + " (default: from the path name; --base-format and --queries-format set one input's).",
      "lopq.eval.input.minPartitions", "Read --base, --queries and --rerank in at least about N splits (default: "
          + "one per file block; a --sweep reads its queries and raw vectors in 2 x Spark's parallelism).");

  @Option(names = "--format", paramLabel = "FORMAT", descriptionKey = "input.format")
  String format;

  @Option(names = "--id-col", paramLabel = "NAME", descriptionKey = "input.idCol")
  String idCol;

  @Option(names = "--vector-col", paramLabel = "NAME", descriptionKey = "input.vectorCol")
  String vectorCol;

  @Option(names = "--header", descriptionKey = "input.header")
  boolean header;

  @Option(names = "--min-partitions", paramLabel = "N", descriptionKey = "input.minPartitions")
  Integer minPartitions;

  /** {@code --format}, or null for "from the path name". */
  public String format() {
    return format;
  }

  /** {@code --id-col}, or null for "'id' if present, else row numbers". */
  public String idCol() {
    return idCol;
  }

  /** {@code --vector-col}, or its default. */
  public String vectorCol() {
    return VectorInputParams.VECTOR_COL.orDefault(vectorCol);
  }

  /** {@code --header}. */
  public boolean header() {
    return header;
  }

  /** {@code --min-partitions}, or {@code fallback} when not given. */
  public int minPartitions(int fallback) {
    return VectorInputParams.MIN_PARTITIONS.check(minPartitions != null ? minPartitions : fallback);
  }

  /** The vectors at {@code path}, read as these options say (format: {@code format} if given, else --format). */
  public VectorInput read(String path, String format, int defaultMinPartitions) {
    VectorInput in = VectorInput.of(path)
        .withFormat(format != null ? format : this.format)
        .withVectorCol(vectorCol())
        .withHeader(header)
        .withMinPartitions(minPartitions(defaultMinPartitions));
    return idCol != null ? in.withIdCol(idCol) : in;
  }

  /** The vectors at {@code path}, read as these options say. */
  public VectorInput read(String path, int defaultMinPartitions) {
    return read(path, null, defaultMinPartitions);
  }
}
