package io.lopq.search.batch;

import io.lopq.model.LopqModel;
import io.lopq.search.AdcTables;

/**
 * Tables built one query at a time by {@link AdcTables} itself (matrix-vector products): bit for
 * bit the tables of {@link io.lopq.search.InMemorySearcher}, so a batched search gives exactly
 * its distances. Slower than {@link BatchedTables}; used to check the batched and distributed search.
 */
public final class PerQueryTables implements TableBuilder {
  private final AdcTables tables;
  private final int dimension;
  private final int tableSize;
  private long built;

  /** Tables for {@code model}. */
  public PerQueryTables(LopqModel model) {
    this.tables = new AdcTables(model);
    this.dimension = model.dimension();
    this.tableSize = model.subquantizersPerHalf() * model.subquantizerClusters();
  }

  @Override
  public int tableSize() {
    return tableSize;
  }

  @Override
  public void build(int h, int c, float[] queries, int[] rows, int n, float[] out) {
    for (int i = 0; i < n; i++) {
      tables.setQuery(queries, rows[i] * dimension);
      System.arraycopy(tables.table(h, c), 0, out, i * tableSize, tableSize);
    }
    built += n;
  }

  @Override
  public long tablesBuilt() {
    return built;
  }
}
