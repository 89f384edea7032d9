package io.lopq.spark.search;

import io.lopq.search.batch.CellBlock;
import java.io.Serializable;

/**
 * One encoded row on its way to the task of its unit ({@link BucketPlan}): the unit, the cell,
 * the id and the M fine codes. A plain class (not a record): Kryo serializes it.
 */
public final class CodeRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private long unit;
  private int cell0;
  private int cell1;
  private long id;
  private byte[] codes;

  /** For serializers. */
  public CodeRow() {}

  /** A row of unit {@code unit} (codes kept, not copied). */
  public CodeRow(long unit, int cell0, int cell1, long id, byte[] codes) {
    this.unit = unit;
    this.cell0 = cell0;
    this.cell1 = cell1;
    this.id = id;
    this.codes = codes;
  }

  /** Adds this row to a block under construction. */
  public void addTo(CellBlock.Builder builder) {
    builder.add(unit, cell0, cell1, id, codes, 0);
  }
}
