package io.lopq.spark.encode;

import java.io.Serializable;

/**
 * A block of encoded rows moving between the encode and the write stage of {@link EncodeJob}:
 * column arrays (ids, both coarse indices, the fine codes, the kept columns' values), so that
 * Spark handles one object per block rather than one per row.
 *
 * <pre>
 *   row i:  id = longIds[i] (or stringIds[i]),  coarse0[i], coarse1[i],
 *           codes = fine[i*M .. (i+1)*M),  kept column k = kept[k][i]
 * </pre>
 *
 * A plain class (not a record) so that Kryo can serialize it.
 */
final class EncodedChunk implements Serializable {
  private static final long serialVersionUID = 1L;

  final int size;
  final int subquantizers;
  final long[] longIds;
  final String[] stringIds;
  final int[] coarse0;
  final int[] coarse1;
  final byte[] fine;
  final Object[][] kept;

  /** An empty chunk with room for {@code size} rows. */
  EncodedChunk(int size, int subquantizers, boolean stringIdType, int keptCount) {
    this.size = size;
    this.subquantizers = subquantizers;
    this.longIds = stringIdType ? null : new long[size];
    this.stringIds = stringIdType ? new String[size] : null;
    this.coarse0 = new int[size];
    this.coarse1 = new int[size];
    this.fine = new byte[Math.multiplyExact(size, subquantizers)];
    this.kept = new Object[keptCount][size];
  }

  boolean stringIdType() {
    return stringIds != null;
  }

  /** The id of row {@code i} as a {@code Long} or {@code String} (boxes a long). */
  Object id(int i) {
    return stringIds != null ? stringIds[i] : (Object) longIds[i];
  }

  /** The first {@code n} rows as a chunk of size {@code n} (copies the ids and kept values). */
  EncodedChunk truncated(int n) {
    EncodedChunk out = new EncodedChunk(n, subquantizers, stringIdType(), kept.length);
    for (int i = 0; i < n; i++) {
      out.copyRow(this, i, i);
    }
    return out;
  }

  /** Copies row {@code from} of {@code source} into row {@code to} of this chunk. */
  void copyRow(EncodedChunk source, int from, int to) {
    if (longIds != null) {
      longIds[to] = source.longIds[from];
    } else {
      stringIds[to] = source.stringIds[from];
    }
    coarse0[to] = source.coarse0[from];
    coarse1[to] = source.coarse1[from];
    System.arraycopy(source.fine, from * subquantizers, fine, to * subquantizers, subquantizers);
    for (int k = 0; k < kept.length; k++) {
      kept[k][to] = source.kept[k][from];
    }
  }
}
