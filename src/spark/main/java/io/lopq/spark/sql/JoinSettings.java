package io.lopq.spark.sql;

import io.lopq.param.Check;
import io.lopq.param.Param;
import java.io.Serializable;
import java.util.Map;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.internal.SQLConf;

/**
 * The search settings of an indexed {@code NEAREST BY} join, each declared once: a table's option
 * wins, else the session's SQL setting {@code spark.lopq.<name>}, else the default.
 *
 * <pre>
 *   candidates       rows LOPQ ranks per query row (by ADC), as lopq search --candidates
 *   rerankDepth      the best of them by ADC on which the join's own expression is evaluated
 *                    exactly (at least k)
 *   allowStaleIndex  serve an index encoded from another version of the table (rows, ids)
 *   maxTableBytes    the largest table (estimated as collected: rows x unsafe-row bytes) the join
 *                    collects on the driver and broadcasts; a larger one is refused when the
 *                    join is planned, before any job runs (Spark's byte sizes: 1g, 512m, ...)
 * </pre>
 */
public final class JoinSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Prefix of a catalog table's properties: lopq.model, lopq.index, lopq.candidates, ... */
  public static final String PROPERTY_PREFIX = "lopq.";
  /** Prefix of the SQL settings. */
  public static final String CONF_PREFIX = "spark.lopq.";
  /** Candidates ranked per query row. */
  public static final Param<Long> CANDIDATES = Param.ofLong("candidates",
      "Rows LOPQ ranks per query row by ADC distance", 6_000L, Check.atLeast(1));
  /** Candidates on which the join's expression is evaluated exactly. */
  public static final Param<Integer> RERANK_DEPTH = Param.ofInt("rerankDepth",
      "Best candidates by ADC on which the join's ranking expression is evaluated exactly (at least k)", 100,
      Check.atLeast(1));
  /** Serve a stale index. */
  public static final Param<Boolean> ALLOW_STALE = Param.ofBoolean("allowStaleIndex",
      "Serve an index although the table changed since it was encoded (row count or ids)", false);
  /** The largest table collected and broadcast (about what {@code spark.driver.maxResultSize} lets through). */
  public static final Param<Long> MAX_TABLE_BYTES = Param.ofLong("maxTableBytes",
      "Largest table (estimated rows x row bytes) the join collects on the driver and broadcasts",
      1L << 30, Check.atLeast(0)).defaultText("1g").parser(text -> JavaUtils.byteStringAsBytes(text.strip()));
  /** The table options (lower case, as Spark passes them). */
  static final String CANDIDATES_OPTION = "candidates";
  static final String RERANK_DEPTH_OPTION = "rerankdepth";
  static final String ALLOW_STALE_OPTION = "allowstaleindex";
  static final String MAX_TABLE_BYTES_OPTION = "maxtablebytes";

  private final Long candidates;
  private final Integer rerankDepth;
  private final Boolean allowStale;
  private final Long maxTableBytes;

  private JoinSettings(Long candidates, Integer rerankDepth, Boolean allowStale, Long maxTableBytes) {
    this.candidates = candidates;
    this.rerankDepth = rerankDepth;
    this.allowStale = allowStale;
    this.maxTableBytes = maxTableBytes;
  }

  /** What a table's options set (null: not set), checked. */
  static JoinSettings fromOptions(String table, Map<String, String> options) {
    try {
      return new JoinSettings(
          options.containsKey(CANDIDATES_OPTION) ? CANDIDATES.parse(options.get(CANDIDATES_OPTION)) : null,
          options.containsKey(RERANK_DEPTH_OPTION) ? RERANK_DEPTH.parse(options.get(RERANK_DEPTH_OPTION)) : null,
          options.containsKey(ALLOW_STALE_OPTION) ? ALLOW_STALE.parse(options.get(ALLOW_STALE_OPTION)) : null,
          options.containsKey(MAX_TABLE_BYTES_OPTION) ? MAX_TABLE_BYTES.parse(options.get(MAX_TABLE_BYTES_OPTION))
              : null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("lopq table " + table + ": " + e.getMessage(), e);
    }
  }

  /** What a catalog table's properties {@code lopq.candidates}, ... set (null: not set), checked. */
  static JoinSettings fromProperties(String table, Map<String, String> properties) {
    Map<String, String> options = new java.util.HashMap<>();
    properties.forEach((key, value) -> {
      if (key.startsWith(PROPERTY_PREFIX)) {
        options.put(key.substring(PROPERTY_PREFIX.length()).toLowerCase(java.util.Locale.ROOT), value);
      }
    });
    return fromOptions(table, options);
  }

  /** The settings in force: this table's options, else {@code conf}'s {@code spark.lopq.*}, else defaults. */
  public Resolved resolve(SQLConf conf) {
    return new Resolved(
        candidates != null ? candidates : fromConf(conf, CANDIDATES),
        rerankDepth != null ? rerankDepth : fromConf(conf, RERANK_DEPTH),
        allowStale != null ? allowStale : fromConf(conf, ALLOW_STALE),
        maxTableBytes != null ? maxTableBytes : fromConf(conf, MAX_TABLE_BYTES));
  }

  private static <T> T fromConf(SQLConf conf, Param<T> param) {
    String key = CONF_PREFIX + param.name();
    String text = conf.getConfString(key, null);
    if (text == null) {
      return param.defaultValue();
    }
    try {
      return param.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SQL setting " + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * Settings in force for one join.
   *
   * @param candidates rows ranked by ADC per query row
   * @param rerankDepth rows on which the expression is evaluated (before raising it to k)
   * @param allowStale serve a stale index
   * @param maxTableBytes the largest table collected and broadcast
   */
  public record Resolved(long candidates, int rerankDepth, boolean allowStale, long maxTableBytes)
      implements Serializable {
    /** The re-rank depth for {@code k} results: at least k. */
    public int depth(int k) {
      return Math.max(k, rerankDepth);
    }

    /** The candidates for {@code k} results: at least the depth. */
    public long candidates(int k) {
      return Math.max(candidates, depth(k));
    }
  }
}
