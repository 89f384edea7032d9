package io.lopq.spark.encode;

import io.lopq.io.encoded.EncodedFileWriter;
import io.lopq.format.encoded.KeptColumn;
import io.lopq.model.LopqModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * The write stage of {@link EncodeJob}, run once per output file: gathers the chunks of the
 * file's cell range, sorts the rows by (cell, id) ({@link CellOrder}) and writes them as one
 * Parquet file ({@link EncodedFileWriter}) into the partition's staging directory.
 *
 * <p>File names carry the run id and the task attempt, so a retried or speculative attempt never
 * writes over another; the driver keeps only the files of the attempts whose results it received.
 */
final class WriteTask implements Function2<Integer, Iterator<Tuple2<Integer, EncodedChunk>>, Iterator<WrittenFile>> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<LopqModel> model;
  private final SerializableConfiguration conf;
  private final String stagingDir;
  private final String runId;
  private final boolean stringIds;
  private final List<KeptColumn> kept;
  private final CompressionCodecName codec;
  private final boolean injectFailure;

  /**
   * A write task.
   *
   * @param injectFailure test hook: the task writing file 0 stops with an exception halfway through
   *     its rows, leaving a half-written file behind (as a killed executor would)
   */
  WriteTask(Broadcast<LopqModel> model, SerializableConfiguration conf, String stagingDir, String runId,
      boolean stringIds, List<KeptColumn> kept, CompressionCodecName codec, boolean injectFailure) {
    this.model = model;
    this.conf = conf;
    this.stagingDir = stagingDir;
    this.runId = runId;
    this.stringIds = stringIds;
    this.kept = List.copyOf(kept);
    this.codec = codec;
    this.injectFailure = injectFailure;
  }

  /** The name of file {@code index} written by task attempt {@code attempt} of run {@code runId}. */
  static String fileName(int index, String runId, int attempt) {
    return String.format("part-%05d-%s-a%d.parquet", index, runId, attempt);
  }

  @Override
  public Iterator<WrittenFile> call(Integer fileIndex, Iterator<Tuple2<Integer, EncodedChunk>> input)
      throws IOException {
    EncodedChunk rows = concatenate(input);
    if (rows == null) {
      return Collections.emptyIterator();
    }
    int[] order = CellOrder.of(rows);
    TaskContext task = TaskContext.get();
    int attempt = task == null ? 0 : task.attemptNumber();
    String name = fileName(fileIndex, runId, attempt);
    Configuration hadoop = conf.value();
    Path file = new Path(stagingDir, name);
    Object[] keptValues = new Object[kept.size()];
    int m = rows.subquantizers;
    try (EncodedFileWriter writer = EncodedFileWriter.create(file, hadoop, model.value(), stringIds, kept, codec)) {
      for (int j = 0; j < order.length; j++) {
        int i = order[j];
        if (injectFailure && fileIndex == 0 && j == order.length / 2) {
          throw new IllegalStateException("injected failure (test hook) while writing " + file + " after " + j
              + " of " + order.length + " rows");
        }
        for (int k = 0; k < keptValues.length; k++) {
          keptValues[k] = rows.kept[k][i];
        }
        writer.write(rows.id(i), rows.coarse0[i], rows.coarse1[i], rows.fine, i * m, keptValues);
      }
    }
    FileSystem fs = file.getFileSystem(hadoop);
    long bytes = fs.getFileStatus(file).getLen();
    int first = order[0];
    int last = order[order.length - 1];
    return List.of(new WrittenFile(name, order.length, bytes, rows.coarse0[first], rows.coarse1[first],
        rows.coarse0[last], rows.coarse1[last])).iterator();
  }

  /** All rows of the task's chunks in one chunk, or null if there are none. */
  private static EncodedChunk concatenate(Iterator<Tuple2<Integer, EncodedChunk>> input) {
    List<EncodedChunk> chunks = new ArrayList<>();
    long total = 0;
    while (input.hasNext()) {
      EncodedChunk c = input.next()._2();
      chunks.add(c);
      total += c.size;
    }
    if (total == 0) {
      return null;
    }
    if (chunks.size() == 1) {
      return chunks.get(0);
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a single output file would hold " + total
          + " rows, more than a file can; lower the rows per file");
    }
    EncodedChunk first = chunks.get(0);
    EncodedChunk all = new EncodedChunk((int) total, first.subquantizers, first.stringIdType(), first.kept.length);
    int to = 0;
    for (EncodedChunk c : chunks) {
      for (int i = 0; i < c.size; i++) {
        all.copyRow(c, i, to++);
      }
    }
    return all;
  }
}
