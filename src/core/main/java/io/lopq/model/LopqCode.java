package io.lopq.model;

import java.util.Arrays;

/**
 * One encoded vector: the cell of the inverted multi-index and the fine codes.
 *
 * <pre>
 *   code = (c1, c2, f_1 .. f_M),   c_h in [0, V),   f_m in [0, K)  (K &lt;= 256, one unsigned byte each)
 * </pre>
 *
 * Fine codes are stored as bytes and read back unsigned with {@link #fine(int)}.
 */
public final class LopqCode {
  private final int coarse0;
  private final int coarse1;
  private final byte[] fine;

  /** Creates a code; {@code fine} is copied. */
  public LopqCode(int coarse0, int coarse1, byte[] fine) {
    if (coarse0 < 0 || coarse1 < 0) {
      throw new IllegalArgumentException(
          "coarse indices must be >= 0, got (" + coarse0 + ", " + coarse1 + ")");
    }
    this.coarse0 = coarse0;
    this.coarse1 = coarse1;
    this.fine = fine.clone();
  }

  /** Coarse index of the first half. */
  public int coarse0() {
    return coarse0;
  }

  /** Coarse index of the second half. */
  public int coarse1() {
    return coarse1;
  }

  /** Coarse index of half {@code h} (0 or 1). */
  public int coarse(int h) {
    return h == 0 ? coarse0 : coarse1;
  }

  /** Number of fine codes (M). */
  public int fineCount() {
    return fine.length;
  }

  /** Fine code {@code m} as an unsigned value in [0, 256). */
  public int fine(int m) {
    return fine[m] & 0xFF;
  }

  /** A copy of the fine codes as bytes. */
  public byte[] fineBytes() {
    return fine.clone();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LopqCode)) {
      return false;
    }
    LopqCode other = (LopqCode) o;
    return coarse0 == other.coarse0 && coarse1 == other.coarse1 && Arrays.equals(fine, other.fine);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * coarse0 + coarse1) + Arrays.hashCode(fine);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(").append(coarse0).append(", ").append(coarse1).append(" |");
    for (int m = 0; m < fine.length; m++) {
      sb.append(' ').append(fine(m));
    }
    return sb.append(')').toString();
  }
}
