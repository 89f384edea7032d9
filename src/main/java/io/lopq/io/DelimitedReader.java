package io.lopq.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Reads CSV/TSV vectors, one per line, in parallel Hadoop text splits.
 *
 * <p>The driver reads the first lines of the files (in path order) up to the first data line: the
 * header, and a first row that gives the reference dimension and whether ids are integers. When
 * ids are row numbers, a first pass counts the data lines of each split, so that
 *
 * <pre>
 *   id = (data lines in earlier splits) + position in this split
 * </pre>
 *
 * and errors can name the row within its file. Blank lines are not rows; with a header, the first
 * line of every file is the header.
 */
final class DelimitedReader {
  private DelimitedReader() {}

  static VectorDataset read(SparkSession spark, Configuration conf, InputFiles files, VectorFormat format,
      VectorInput input, LongAccumulator skipped) {
    Probe probe = Probe.find(conf, files, format.delimiter(), input);
    if (probe == null) {
      throw files.noRows();
    }
    DelimitedLayout layout = probe.layout;
    String[] firstFields;
    float[] firstVector;
    try {
      firstFields = layout.fields(probe.firstLine);
      firstVector = layout.vector(firstFields);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(RowValidator.row(0, probe.file) + " " + e.getMessage()
          + (layout.hasHeader() ? "" : " (if the first line is a header, read with a header)"));
    }
    int dimension = input.dimension() != null ? input.dimension() : firstVector.length;
    boolean stringIds = layout.hasId() && !isLong(layout.id(firstFields));

    Configuration jobConf = jobConf(conf, files, input.maxSplitBytes(files.totalBytes(), 1));
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>)
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .newAPIHadoopRDD(jobConf, TextInputFormat.class, LongWritable.class, Text.class);

    SplitStarts starts = null;
    if (!layout.hasId()) {
      List<Tuple2<String, Long>> counts =
          lines.mapPartitionsWithInputSplit(new LineCounter(layout.hasHeader()), true).collect();
      starts = SplitStarts.of(counts);
    }
    DataType idType = stringIds ? DataTypes.StringType : DataTypes.LongType;
    List<StructField> kept = new ArrayList<>();
    for (String name : layout.keptNames()) {
      kept.add(DataTypes.createStructField(name, DataTypes.StringType, true));
    }
    Parser parser = new Parser(layout, probe.file, stringIds, starts, new RowValidator(dimension, skipped));
    JavaRDD<Row> rows = lines.mapPartitionsWithInputSplit(parser, true);
    return new VectorDataset(spark.createDataFrame(rows, VectorSchema.of(idType, kept)), dimension, skipped);
  }

  private static Configuration jobConf(Configuration conf, InputFiles files, long maxSplitBytes) {
    try {
      Job job = Job.getInstance(conf);
      FileInputFormat.setInputPaths(job, files.paths());
      if (maxSplitBytes != Long.MAX_VALUE) {
        FileInputFormat.setMaxInputSplitSize(job, maxSplitBytes);
      }
      return job.getConfiguration();
    } catch (IOException e) {
      throw new InvalidInputException("cannot set up reading " + files.path() + ": " + e.getMessage(), e);
    }
  }

  private static boolean isLong(String s) {
    try {
      Long.parseLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** True for a line that is a row: not blank, and not a file's header line. */
  private static boolean isDataLine(boolean header, long offset, Text line) {
    return !(header && offset == 0) && !line.toString().isBlank();
  }

  /** The header and the first data line, read on the driver from the files in path order. */
  private record Probe(DelimitedLayout layout, String file, String firstLine) {
    /** The probe, or null if no file has a data line. */
    static Probe find(Configuration conf, InputFiles files, char delimiter, VectorInput input) {
      DelimitedLayout layout = input.header() ? null : DelimitedLayout.withoutHeader(delimiter);
      if (!input.header() && !input.keepCols().isEmpty()) {
        throw new InvalidInputException("keep columns " + input.keepCols() + " need a header in input "
            + files.path());
      }
      if (!input.header() && input.idColRequired()) {
        throw new InvalidInputException("id column '" + input.idCol() + "' needs a header in input "
            + files.path() + " (without one, ids are row numbers)");
      }
      CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
      for (FileStatus status : files.files()) {
        Path file = status.getPath();
        try (BufferedReader reader = open(file, conf, codecs)) {
          String line = reader.readLine();
          if (line != null && input.header()) {
            if (layout == null) {
              layout = DelimitedLayout.fromHeader(delimiter, line, input, file.toString());
            }
            line = reader.readLine();
          }
          while (line != null && line.isBlank()) {
            line = reader.readLine();
          }
          if (line != null) {
            return new Probe(layout, file.toString(), line);
          }
        } catch (IOException e) {
          throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }
      return null;
    }

    private static BufferedReader open(Path file, Configuration conf, CompressionCodecFactory codecs)
        throws IOException {
      InputStream in = file.getFileSystem(conf).open(file);
      CompressionCodec codec = codecs.getCodec(file);
      if (codec != null) {
        in = codec.createInputStream(in);
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
  }

  /** Counts each split's data lines (first pass, runs on executors): one (file, count) per split. */
  private static final class LineCounter implements
      Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<Tuple2<String, Long>>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean header;

    LineCounter(boolean header) {
      this.header = header;
    }

    @Override
    public Iterator<Tuple2<String, Long>> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
      long count = 0;
      while (lines.hasNext()) {
        Tuple2<LongWritable, Text> line = lines.next();
        if (isDataLine(header, line._1().get(), line._2())) {
          count++;
        }
      }
      return List.of(new Tuple2<>(((FileSplit) split).getPath().toString(), count)).iterator();
    }
  }

  /**
   * Where each split's rows start, from the first pass's counts (splits in partition order): as a
   * row number over all files (the id), and within the split's file (for error messages).
   */
  private record SplitStarts(long[] global, long[] inFile) implements Serializable {
    static SplitStarts of(List<Tuple2<String, Long>> counts) {
      long[] global = new long[counts.size()];
      long[] inFile = new long[counts.size()];
      Map<String, Long> fileRows = new HashMap<>();
      long total = 0;
      for (int p = 0; p < counts.size(); p++) {
        String file = counts.get(p)._1();
        long count = counts.get(p)._2();
        global[p] = total;
        inFile[p] = fileRows.getOrDefault(file, 0L);
        fileRows.put(file, inFile[p] + count);
        total += count;
      }
      return new SplitStarts(global, inFile);
    }
  }

  /** Turns one split's lines into normalized rows (second pass, runs on executors). */
  private static final class Parser
      implements Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<Row>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final DelimitedLayout layout;
    private final String firstFile;
    private final boolean stringIds;
    private final SplitStarts starts;
    private final RowValidator validator;

    Parser(DelimitedLayout layout, String firstFile, boolean stringIds, SplitStarts starts, RowValidator validator) {
      this.layout = layout;
      this.firstFile = firstFile;
      this.stringIds = stringIds;
      this.starts = starts;
      this.validator = validator;
    }

    @Override
    public Iterator<Row> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
      String file = ((FileSplit) split).getPath().toString();
      int partition = TaskContext.getPartitionId();
      long[] next = {0};
      return new SkippingIterator<>(lines, line -> {
        long offset = line._1().get();
        if (layout.hasHeader() && offset == 0) {
          layout.checkHeader(line._2().toString(), file, firstFile);
          return null;
        }
        if (!isDataLine(layout.hasHeader(), offset, line._2())) {
          return null;
        }
        long position = next[0]++;
        return parse(line._2().toString(), file, offset, partition, position);
      });
    }

    private Row parse(String line, String file, long offset, int partition, long position) {
      String where;
      Object id;
      String[] fields;
      if (layout.hasId()) {
        try {
          fields = layout.fields(line);
        } catch (IllegalArgumentException e) {
          validator.reject("the row at byte " + offset + " of " + file, e.getMessage());
          return null;
        }
        String rawId = layout.id(fields);
        where = RowValidator.rowWithId(rawId, file);
        if (stringIds) {
          id = rawId;
        } else {
          try {
            id = Long.parseLong(rawId);
          } catch (NumberFormatException e) {
            validator.reject(where, "has an id that is not an integer, as the first row's id is");
            return null;
          }
        }
      } else {
        where = RowValidator.row(starts.inFile()[partition] + position, file);
        id = starts.global()[partition] + position;
        try {
          fields = layout.fields(line);
        } catch (IllegalArgumentException e) {
          validator.reject(where, e.getMessage());
          return null;
        }
      }
      float[] vector;
      try {
        vector = layout.vector(fields);
      } catch (IllegalArgumentException e) {
        validator.reject(where, e.getMessage());
        return null;
      }
      if (!validator.accept(vector, () -> where)) {
        return null;
      }
      Object[] kept = layout.kept(fields);
      Object[] values = new Object[2 + kept.length];
      values[0] = id;
      values[1] = vector;
      System.arraycopy(kept, 0, values, 2, kept.length);
      return RowFactory.create(values);
    }
  }
}
