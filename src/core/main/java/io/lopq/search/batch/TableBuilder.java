package io.lopq.search.batch;

/**
 * Builds the ADC look-up tables of many queries that share one {@code (half h, coarse index c)}:
 * each table is M/2 rows of K distances, row-major, as {@link io.lopq.search.AdcTables#table}
 * returns it.
 *
 * <pre>
 *   y_i          = R_h[c] (q_i,h - C_h[c] - mu_h[c])
 *   T_i[s][k]    = ||y_i,s||^2 - 2 P_m[k] . y_i,s + ||P_m[k]||^2,    m = h*M/2 + s
 * </pre>
 *
 * Implementations are not thread-safe (one per thread).
 */
public interface TableBuilder {
  /** Floats per table: {@code M/2 * K}. */
  int tableSize();

  /**
   * For each {@code i < n}, writes the table of the query at {@code queries[rows[i] * D ..]} for
   * {@code (h, c)} into {@code out[i * tableSize() ..]}.
   */
  void build(int h, int c, float[] queries, int[] rows, int n, float[] out);

  /** Tables built since this builder was made. */
  long tablesBuilt();
}
