package io.lopq.cli;

import io.lopq.search.SearchOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Exact re-ranking of a search ({@code --rerank RAW_PATH}, {@code --rerank-depth K2}), declared
 * once for the commands that search: {@code lopq search} and the sweep of {@code lopq eval}.
 */
public final class RerankOptions {
  @Option(names = "--rerank", paramLabel = "RAW_PATH",
      description = "Re-rank the best --rerank-depth candidates by ADC with exact distances on these raw vectors "
          + "(the corpus the index was encoded from, same ids).")
  String path;

  @Option(names = "--rerank-depth", paramLabel = "K2", descriptionKey = "search.rerankDepth")
  Integer depth;

  /** The raw vectors to re-rank on, or null for no re-ranking. */
  public String path() {
    return path;
  }

  /**
   * Candidates re-ranked per query by a search for {@code k} neighbours: {@code --rerank-depth},
   * else {@code max(k, 100)}; {@link SearchOptions#NO_RERANK} without {@code --rerank}.
   *
   * @throws ParameterException for {@code --rerank-depth} without {@code --rerank}
   */
  int depth(CommandSpec spec, int k) {
    if (depth != null && path == null) {
      throw new ParameterException(spec.commandLine(), "--rerank-depth needs --rerank RAW_PATH");
    }
    if (path == null) {
      return SearchOptions.NO_RERANK;
    }
    return depth != null ? depth : SearchOptions.defaultRerankDepth(k);
  }
}
