package io.lopq.spark.search;

import io.lopq.format.vectors.InvalidInputException;
import java.io.Serializable;

/**
 * The check every index row's fine codes get where the search reads them (the shuffle plan's
 * shipping pass, the broadcast plan's collect): present and exactly {@code M} bytes. Checking
 * there, rather than in {@link IndexSummary}'s aggregation, keeps the per-cell count from reading
 * the {@code codes} column at all (at 10M rows that read was most of the summary's cost); rows the
 * search reads are checked before their codes are used, the others are never used.
 */
final class CodeCheck implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int subquantizers;
  private final String index;

  /**
   * A check of {@code subquantizers}-byte codes.
   *
   * @param index the index's description, for the message
   */
  CodeCheck(int subquantizers, String index) {
    this.subquantizers = subquantizers;
    this.index = index;
  }

  /** M. */
  int subquantizers() {
    return subquantizers;
  }

  /**
   * Returns {@code codes} if it holds M bytes.
   *
   * @throws InvalidInputException naming the index, the row's id and both lengths otherwise
   */
  byte[] require(byte[] codes, long id) {
    if (codes == null || codes.length != subquantizers) {
      throw new InvalidInputException("the encoded index " + index + " has rows whose codes are not "
          + subquantizers + " bytes (the model's M=" + subquantizers + "): the row of id " + id + " has "
          + (codes == null ? "none (null)" : codes.length + " bytes"));
    }
    return codes;
  }
}
