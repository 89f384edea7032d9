package io.lopq.io.vectors;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.format.vectors.VectorFormat;
import io.lopq.io.fs.InputFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
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
 *   id = (data lines in earlier splits, files in path order) + position in this split
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
      List<StructField> kept = new ArrayList<>();
      for (String name : input.keepCols()) {
        kept.add(DataTypes.createStructField(name, DataTypes.StringType, true));
      }
      return VectorDataset.empty(spark, files, input, VectorSchema.of(DataTypes.LongType, kept), skipped);
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
      starts = SplitStarts.of(lines.mapPartitionsWithInputSplit(new LineCounter(layout.hasHeader()), true).collect());
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

  /** Counts each split's data lines (first pass, runs on executors): one count per split. */
  private static final class LineCounter implements
      Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<SplitCount>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean header;

    LineCounter(boolean header) {
      this.header = header;
    }

    @Override
    public Iterator<SplitCount> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
      long count = 0;
      while (lines.hasNext()) {
        Tuple2<LongWritable, Text> line = lines.next();
        if (isDataLine(header, line._1().get(), line._2())) {
          count++;
        }
      }
      FileSplit fileSplit = (FileSplit) split;
      return List.of(new SplitCount(fileSplit.getPath().toString(), fileSplit.getStart(), count)).iterator();
    }
  }

  /**
   * The data lines of the split of {@code file} that starts at byte {@code start}. A plain class,
   * not a record: Spark's Kryo serializer (which ships task results) cannot build records.
   */
  private static final class SplitCount implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long start;
    private final long count;

    SplitCount(String file, long start, long count) {
      this.file = file;
      this.start = start;
      this.count = count;
    }

    String file() {
      return file;
    }

    long start() {
      return start;
    }

    long count() {
      return count;
    }

    String key() {
      return splitKey(file, start);
    }
  }

  private static String splitKey(String file, long start) {
    return start + "@" + file;
  }

  /**
   * Where each split's rows start, from the first pass's counts: as a row number over all files
   * (the id), and within the split's file (for error messages). Keyed by the split itself (file
   * and start), not by partition number, so a later coalesce cannot mix them up.
   */
  private static final class SplitStarts implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, long[]> starts;

    private SplitStarts(Map<String, long[]> starts) {
      this.starts = starts;
    }

    static SplitStarts of(List<SplitCount> counts) {
      List<SplitCount> ordered = new ArrayList<>(counts);
      ordered.sort(Comparator.comparing(SplitCount::file).thenComparingLong(SplitCount::start));
      Map<String, long[]> starts = new HashMap<>();
      Map<String, Long> fileRows = new HashMap<>();
      long total = 0;
      for (SplitCount split : ordered) {
        long inFile = fileRows.getOrDefault(split.file(), 0L);
        starts.put(split.key(), new long[] {total, inFile});
        fileRows.put(split.file(), inFile + split.count());
        total += split.count();
      }
      return new SplitStarts(starts);
    }

    /** {global row number, row within the file} of the first data line of a split. */
    long[] of(FileSplit split) {
      long[] start = starts.get(splitKey(split.getPath().toString(), split.getStart()));
      if (start == null) {
        throw new IllegalStateException("split " + split + " was not counted");
      }
      return start;
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
      FileSplit fileSplit = (FileSplit) split;
      String file = fileSplit.getPath().toString();
      long[] start = starts == null ? null : starts.of(fileSplit);
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
        return parse(line._2().toString(), file, offset, start, position);
      });
    }

    /** The row of a data line; {@code start} is the split's {global, in-file} start (no id column). */
    private Row parse(String line, String file, long offset, long[] start, long position) {
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
        where = RowValidator.row(start[1] + position, file);
        id = start[0] + position;
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
