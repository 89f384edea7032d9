package io.lopq.spark.encode;

import io.lopq.format.encoded.EncodedFile;
import java.io.Serializable;

/**
 * What a write task of {@link EncodeJob} reports back to the driver about the one Parquet file
 * it wrote: its name in the staging directory, rows, bytes and cell range. A plain class (not a
 * record) so that Kryo can serialize it.
 */
final class WrittenFile implements Serializable {
  private static final long serialVersionUID = 1L;

  final String name;
  final long rows;
  final long bytes;
  final int firstCoarse0;
  final int firstCoarse1;
  final int lastCoarse0;
  final int lastCoarse1;

  WrittenFile(String name, long rows, long bytes, int firstCoarse0, int firstCoarse1, int lastCoarse0,
      int lastCoarse1) {
    this.name = name;
    this.rows = rows;
    this.bytes = bytes;
    this.firstCoarse0 = firstCoarse0;
    this.firstCoarse1 = firstCoarse1;
    this.lastCoarse0 = lastCoarse0;
    this.lastCoarse1 = lastCoarse1;
  }

  /** The manifest entry of this file once committed in partition directory {@code partition}. */
  EncodedFile inPartition(String partition) {
    return new EncodedFile(partition + "/" + name, rows, bytes, firstCoarse0, firstCoarse1, lastCoarse0, lastCoarse1);
  }
}
