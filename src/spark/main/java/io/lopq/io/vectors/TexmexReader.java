package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.format.vectors.TexmexLayout;
import io.lopq.format.vectors.VectorFormat;
import io.lopq.io.fs.InputFiles;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.FixedLengthInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Reads TEXMEX {@code .fvecs}/{@code .bvecs} files in parallel splits; records are decoded by
 * {@link TexmexLayout}.
 *
 * <pre>
 *   record = int32 d (little-endian), then d float32 (fvecs) or d uint8 (bvecs)
 *   record length L = 4 + d * width;    id = (rows in earlier files) + byte offset / L
 * </pre>
 *
 * The driver only reads the first 4 bytes of the first non-empty file (for d) and the file
 * lengths (each must be a multiple of L); executors read the records with Hadoop's
 * {@link FixedLengthInputFormat}, whose key is the record's byte offset in its file.
 */
final class TexmexReader {
  private TexmexReader() {}

  static VectorDataset read(SparkSession spark, Configuration conf, InputFiles files, VectorFormat format,
      VectorInput input, LongAccumulator skipped) {
    if (!input.keepCols().isEmpty()) {
      throw new InvalidInputException(
          "keep columns " + input.keepCols() + " are not available for " + format.extension() + " input " + files.path());
    }
    if (input.idColRequired()) {
      throw new InvalidInputException("id column '" + input.idCol() + "' is not available for "
          + format.extension() + " input " + files.path() + ": its ids are row numbers");
    }
    if (files.totalBytes() == 0) {
      return VectorDataset.empty(spark, files, input, VectorSchema.withLongIds(), skipped);
    }
    FileStatus first = files.files().stream().filter(f -> f.getLen() > 0).findFirst().orElseThrow();
    int d = readDimension(first, format, conf);
    if (input.dimension() != null && input.dimension() != d) {
      throw new InvalidInputException(first.getPath() + " has dimension " + d + " (its first record), expected "
          + input.dimension());
    }
    int recordLength = recordLength(d, format, first);

    Map<String, Long> firstIds = new HashMap<>();
    long rows = 0;
    for (FileStatus file : files.files()) {
      if (file.getLen() % recordLength != 0) {
        throw new InvalidInputException("truncated " + format.extension() + ": " + file.getPath() + " has "
            + file.getLen() + " bytes, not a multiple of the record length " + recordLength + " (4 + " + d + " x "
            + format.valueBytes() + " bytes for dimension " + d + ")");
      }
      firstIds.put(file.getPath().toString(), rows);
      rows += file.getLen() / recordLength;
    }

    Configuration jobConf = jobConf(conf, files, recordLength, input.maxSplitBytes(files.totalBytes(), recordLength));
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, BytesWritable> records = (JavaNewHadoopRDD<LongWritable, BytesWritable>)
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .newAPIHadoopRDD(jobConf, FixedLengthInputFormat.class, LongWritable.class, BytesWritable.class);
    RowValidator validator = new RowValidator(d, skipped);
    JavaRDD<Row> decoded = records.mapPartitionsWithInputSplit(
        new Decoder(format, recordLength, firstIds, validator), true);
    return new VectorDataset(spark.createDataFrame(decoded, VectorSchema.withLongIds()), d, skipped, rows);
  }

  private static Configuration jobConf(Configuration conf, InputFiles files, int recordLength, long maxSplitBytes) {
    try {
      Job job = Job.getInstance(conf);
      FileInputFormat.setInputPaths(job, files.paths());
      FixedLengthInputFormat.setRecordLength(job.getConfiguration(), recordLength);
      if (maxSplitBytes != Long.MAX_VALUE) {
        FileInputFormat.setMaxInputSplitSize(job, maxSplitBytes);
      }
      return job.getConfiguration();
    } catch (IOException e) {
      throw new InvalidInputException("cannot set up reading " + files.path() + ": " + e.getMessage(), e);
    }
  }

  /** The dimension in the first record of {@code file}. */
  private static int readDimension(FileStatus file, VectorFormat format, Configuration conf) {
    if (file.getLen() < TexmexLayout.DIMENSION_BYTES) {
      throw new InvalidInputException("truncated " + format.extension() + ": " + file.getPath() + " has only "
          + file.getLen() + " bytes, less than one record's dimension field");
    }
    byte[] head = new byte[TexmexLayout.DIMENSION_BYTES];
    try (FSDataInputStream in = file.getPath().getFileSystem(conf).open(file.getPath())) {
      in.readFully(head);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file.getPath() + ": " + e.getMessage(), e);
    }
    int d = TexmexLayout.readDimension(TexmexLayout.buffer(head, 0, head.length));
    if (d <= 0) {
      throw new InvalidInputException(file.getPath() + " starts with dimension " + d
          + ", expected a positive dimension (is it a " + format.name().toLowerCase(Locale.ROOT) + " file?)");
    }
    return d;
  }

  private static int recordLength(int d, VectorFormat format, FileStatus file) {
    long length = format.texmexLayout().recordLength(d);
    if (length > Integer.MAX_VALUE) {
      throw new InvalidInputException(file.getPath() + " starts with dimension " + d
          + ", too large for a record (is it a " + format.name().toLowerCase(Locale.ROOT) + " file?)");
    }
    return (int) length;
  }

  /** Turns one split's records into normalized rows (runs on executors). */
  private static final class Decoder
      implements Function2<InputSplit, Iterator<Tuple2<LongWritable, BytesWritable>>, Iterator<Row>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final VectorFormat format;
    private final int recordLength;
    private final Map<String, Long> firstIds;
    private final RowValidator validator;

    Decoder(VectorFormat format, int recordLength, Map<String, Long> firstIds, RowValidator validator) {
      this.format = format;
      this.recordLength = recordLength;
      this.firstIds = new HashMap<>(firstIds);
      this.validator = validator;
    }

    @Override
    public Iterator<Row> call(InputSplit split, Iterator<Tuple2<LongWritable, BytesWritable>> records) {
      String file = ((FileSplit) split).getPath().toString();
      Long firstId = firstIds.get(file);
      if (firstId == null) {
        throw new IllegalStateException("split of unlisted file " + file + "; listed: " + firstIds.keySet());
      }
      return new SkippingIterator<>(records, record -> decode(file, firstId, record._1().get(), record._2()));
    }

    private Row decode(String file, long firstId, long offset, BytesWritable value) {
      long row = offset / recordLength;
      ByteBuffer bytes = TexmexLayout.buffer(value.getBytes(), 0, value.getLength());
      int d = TexmexLayout.readDimension(bytes);
      if (d != validator.dimension()) {
        validator.reject(RowValidator.row(row, file), "has dimension " + d + ", expected " + validator.dimension());
        return null;
      }
      float[] vector = new float[d];
      format.texmexLayout().readFloats(bytes, vector);
      if (!validator.accept(vector, () -> RowValidator.row(row, file))) {
        return null;
      }
      return RowFactory.create(firstId + row, vector);
    }
  }
}
