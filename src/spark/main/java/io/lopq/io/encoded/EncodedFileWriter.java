package io.lopq.io.encoded;

import io.lopq.format.encoded.EncodedFormat;
import io.lopq.format.encoded.KeptColumn;
import io.lopq.format.encoded.ModelIdentity;
import io.lopq.model.LopqModel;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Writes one Parquet file of an encoded dataset through parquet-avro, in the
 * {@link EncodedSchema} layout, with the model's identity in the file's key-value metadata.
 *
 * <p>The settings are chosen for small files of codes sorted by cell:
 * <ul>
 *   <li>{@code coarse0}, {@code coarse1}: dictionary + run-length encoding; sorted by cell they
 *       form long runs and cost almost nothing.
 *   <li>{@code codes}, {@code id}: no dictionary (codes are near-random bytes and ids unique, so a
 *       dictionary only adds a page that is then abandoned), no statistics on {@code codes}.
 *   <li>the whole page then goes through a general compressor ({@link #DEFAULT_CODEC} by
 *       default), which removes the constant length prefix of each {@code codes} value and the
 *       high zero bytes of small ids.
 * </ul>
 *
 * <p>One Avro record and one {@link ByteBuffer} are reused for every row (parquet-avro copies a
 * reused buffer's bytes), so writing allocates nothing per row besides boxed ids. Not thread-safe.
 */
public final class EncodedFileWriter implements Closeable {
  /** The compression codec unless told otherwise. */
  public static final CompressionCodecName DEFAULT_CODEC = CompressionCodecName.ZSTD;

  private final ParquetWriter<GenericRecord> writer;
  private final GenericData.Record record;
  private final List<KeptColumn> kept;
  private final boolean stringIds;
  private final byte[] codeBytes;
  private final ByteBuffer codeBuffer;
  private final int keptStart;
  private long rows;

  private EncodedFileWriter(ParquetWriter<GenericRecord> writer, Schema schema, boolean stringIds,
      List<KeptColumn> kept, int subquantizers) {
    this.writer = writer;
    this.record = new GenericData.Record(schema);
    this.stringIds = stringIds;
    this.kept = List.copyOf(kept);
    this.codeBytes = new byte[subquantizers];
    this.codeBuffer = ByteBuffer.wrap(codeBytes);
    this.keptStart = EncodedFormat.OWN_COLUMNS.size();
  }

  /**
   * Creates the file {@code file} (it must not exist).
   *
   * @param model the model whose codes are written (its fingerprint and shape go into the metadata)
   * @param stringIds whether ids are strings (else longs)
   * @param kept the kept columns, in order
   * @param codec the compression codec
   */
  public static EncodedFileWriter create(Path file, Configuration conf, LopqModel model, boolean stringIds,
      List<KeptColumn> kept, CompressionCodecName codec) throws IOException {
    Schema schema = EncodedSchema.avro(stringIds, kept);
    ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(
            HadoopOutputFile.fromPath(file, conf))
        .withSchema(schema)
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .withCompressionCodec(codec)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withDictionaryEncoding(true)
        .withDictionaryEncoding(EncodedFormat.CODES, false)
        .withDictionaryEncoding(EncodedFormat.ID, false)
        .withStatisticsEnabled(EncodedFormat.CODES, false)
        .withExtraMetaData(EncodedFormat.fileMetadata(ModelIdentity.of(model)))
        .build();
    return new EncodedFileWriter(writer, schema, stringIds, kept, model.subquantizers());
  }

  /**
   * Appends a row.
   *
   * @param id a {@code Long} or {@code String}, as the dataset's id type says
   * @param fine the fine codes array; this row's M codes start at {@code fineOffset}
   * @param keptValues the kept columns' Spark values in order, or null when there are none
   */
  public void write(Object id, int coarse0, int coarse1, byte[] fine, int fineOffset, Object[] keptValues)
      throws IOException {
    if (stringIds != (id instanceof String)) {
      throw new IllegalArgumentException("id " + id + " is not of the dataset's id type ("
          + EncodedFormat.idTypeName(stringIds) + ")");
    }
    record.put(0, id);
    record.put(1, coarse0);
    record.put(2, coarse1);
    System.arraycopy(fine, fineOffset, codeBytes, 0, codeBytes.length);
    codeBuffer.clear();
    record.put(3, codeBuffer);
    for (int k = 0; k < kept.size(); k++) {
      record.put(keptStart + k, avroValue(kept.get(k), keptValues[k]));
    }
    writer.write(record);
    rows++;
  }

  /**
   * The Avro value of a Spark value of a kept column (widening small integers, wrapping binary).
   *
   * @throws IllegalArgumentException for a null in a column that is not nullable
   */
  private static Object avroValue(KeptColumn column, Object sparkValue) {
    if (sparkValue == null) {
      if (!column.nullable()) {
        throw new IllegalArgumentException("kept column '" + column.name()
            + "' holds a null, but is declared not nullable");
      }
      return null;
    }
    return switch (column.type()) {
      case INT -> ((Number) sparkValue).intValue();
      case BYTES -> ByteBuffer.wrap((byte[]) sparkValue);
      default -> sparkValue;
    };
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Finishes the file (writes the footer). */
  @Override
  public void close() throws IOException {
    writer.close();
  }
}
