package io.lopq.cli;

import io.lopq.spark.sql.LopqExtensions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lopq sql}: runs SQL statements in the embedded Spark with the LOPQ extension loaded
 * ({@link LopqExtensions}: the data source {@code lopq} and {@code APPROX NEAREST BY} joins answered
 * by its index), and prints the last statement's result as tab-separated lines with a header
 * (nothing for a statement without result columns, e.g. {@code CREATE} or
 * {@code INSERT OVERWRITE DIRECTORY}).
 */
@Command(name = "sql", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Runs ';'-separated SQL statements in Spark with the lopq extension; prints the last one's result.",
      "Tables: CREATE TEMPORARY VIEW corpus USING lopq OPTIONS (path 'base.fvecs', model 'model', index 'encoded').",
      "Joins: ... FROM queries q JOIN corpus c APPROX NEAREST 10 BY DISTANCE vector_l2_distance(q.vector, c.vector)"})
final class SqlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** -e TEXT or --file F. */
  static final class Source {
    @Option(names = {"-e", "--execute"}, required = true, paramLabel = "SQL", description = "The statements.")
    String text;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "A file of statements.")
    Path file;
  }

  @Override
  public Integer call() throws IOException {
    String text = source.text != null ? source.text : Files.readString(source.file, StandardCharsets.UTF_8);
    List<String> statements = SqlStatements.split(text);
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("no SQL statement given");
    }
    String extensions = spark.conf.get(LopqExtensions.SETTING);
    if (extensions == null || Arrays.stream(extensions.split(",")).map(String::strip)
        .noneMatch(LopqExtensions.CLASS_NAME::equals)) {
      spark.conf.put(LopqExtensions.SETTING,
          extensions == null || extensions.isBlank() ? LopqExtensions.CLASS_NAME
              : extensions + "," + LopqExtensions.CLASS_NAME);
    }
    // A session of its own (temporary views, settings) on the one Spark context.
    SparkSession session = spark.session("lopq sql").newSession();
    Dataset<Row> last = null;
    for (String statement : statements) {
      last = session.sql(statement);
    }
    if (last.schema().fields().length > 0) {
      print(last, spec.commandLine().getOut());
    }
    return ExitCodes.OK;
  }

  private static void print(Dataset<Row> result, PrintWriter out) {
    // Planned before the header is printed: a statement refused when planned prints nothing.
    Iterator<Row> rows = result.toLocalIterator();
    out.println(String.join("\t", result.columns()));
    while (rows.hasNext()) {
      Row r = rows.next();
      out.println(java.util.stream.IntStream.range(0, r.length())
          .mapToObj(i -> r.isNullAt(i) ? "NULL" : text(r.get(i))).collect(Collectors.joining("\t")));
    }
    out.flush();
  }

  private static String text(Object value) {
    if (value instanceof scala.collection.Seq<?> seq) {
      return scala.jdk.javaapi.CollectionConverters.asJava(seq).toString();
    }
    return String.valueOf(value);
  }
}
