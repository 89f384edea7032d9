package io.lopq.spark.encode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import scala.Tuple2;

/**
 * Splits each encoded chunk into one sub-chunk per output file its rows go to
 * ({@link FileBuckets}), keyed by the file index, for the shuffle that gathers each file's rows
 * in one write task. One record per (chunk, file), not per row.
 */
final class SplitByFile implements PairFlatMapFunction<EncodedChunk, Integer, EncodedChunk> {
  private static final long serialVersionUID = 1L;

  private final FileBuckets buckets;

  SplitByFile(FileBuckets buckets) {
    this.buckets = buckets;
  }

  @Override
  public Iterator<Tuple2<Integer, EncodedChunk>> call(EncodedChunk chunk) {
    int files = buckets.files();
    int[] fileOf = new int[chunk.size];
    int[] counts = new int[files];
    for (int i = 0; i < chunk.size; i++) {
      fileOf[i] = buckets.fileOf(chunk.coarse0[i], chunk.coarse1[i]);
      counts[fileOf[i]]++;
    }
    List<Tuple2<Integer, EncodedChunk>> out = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      if (counts[f] == chunk.size) {
        out.add(new Tuple2<>(f, chunk));
        return out.iterator();
      }
    }
    EncodedChunk[] parts = new EncodedChunk[files];
    int[] filled = new int[files];
    for (int i = 0; i < chunk.size; i++) {
      int f = fileOf[i];
      if (parts[f] == null) {
        parts[f] = new EncodedChunk(counts[f], chunk.subquantizers, chunk.stringIdType(), chunk.kept.length);
      }
      parts[f].copyRow(chunk, i, filled[f]++);
    }
    for (int f = 0; f < files; f++) {
      if (parts[f] != null) {
        out.add(new Tuple2<>(f, parts[f]));
      }
    }
    return out.iterator();
  }

  /** Sends key {@code f} (a file index) to partition {@code f}. */
  static final class ByFileIndex extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int files;

    ByFileIndex(int files) {
      this.files = files;
    }

    @Override
    public int numPartitions() {
      return files;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByFileIndex p && p.files == files;
    }

    @Override
    public int hashCode() {
      return files;
    }
  }
}
