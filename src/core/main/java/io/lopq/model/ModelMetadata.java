package io.lopq.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a model remembers about how it was made: the seed, the training parameters and the
 * training statistics (distortion per step, cluster sizes, fallbacks taken). Values are JSON-like:
 * {@code String}, {@code Number}, {@code Boolean}, {@code List} or {@code Map} of those.
 */
public final class ModelMetadata {
  /** Metadata of a model whose origin is unknown (for example one imported from another tool). */
  public static final ModelMetadata EMPTY = new ModelMetadata(0L, Map.of(), Map.of());

  private final long seed;
  private final Map<String, Object> parameters;
  private final Map<String, Object> statistics;

  /** Creates metadata; the maps are copied, keeping their iteration order. */
  public ModelMetadata(long seed, Map<String, ?> parameters, Map<String, ?> statistics) {
    this.seed = seed;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parameters)));
    this.statistics = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(statistics)));
  }

  /** The random seed training used. */
  public long seed() {
    return seed;
  }

  /** Training parameters, by name. */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /** Training statistics, by name. */
  public Map<String, Object> statistics() {
    return statistics;
  }

  /** A copy with one more statistic (or a replaced one). */
  public ModelMetadata withStatistic(String name, Object value) {
    Map<String, Object> stats = new LinkedHashMap<>(statistics);
    stats.put(name, value);
    return new ModelMetadata(seed, parameters, stats);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ModelMetadata)) {
      return false;
    }
    ModelMetadata other = (ModelMetadata) o;
    return seed == other.seed && parameters.equals(other.parameters) && statistics.equals(other.statistics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seed, parameters, statistics);
  }

  @Override
  public String toString() {
    return "ModelMetadata{seed=" + seed + ", parameters=" + parameters + ", statistics=" + statistics + "}";
  }
}
