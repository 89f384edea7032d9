package io.lopq.model;

/**
 * Which codebooks a model's subquantizers use.
 *
 * <pre>
 *   GLOBAL   P_m shared by every cell (Yahoo's LOPQ; the rotations alone are local)
 *   LOCAL    P_{m,c} per coarse cluster c of subquantizer m's half, indexed like the rotations
 *            (the LOPQ paper's fully local variant: V times the codebook memory)
 * </pre>
 */
public enum CodebookScope {
  /** One codebook per subquantizer, shared by all cells. */
  GLOBAL,
  /** One codebook per subquantizer and coarse cluster of its half. */
  LOCAL
}
