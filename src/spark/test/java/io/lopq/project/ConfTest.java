package io.lopq.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code conf/jvm-flags} is the one list of the JVM flags Spark needs; the copies Maven and Spark
 * read must say the same, flag for flag and in the same order: the parent pom's
 * {@code spark.jvm.flags} (surefire's and failsafe's argLine) and both
 * {@code *.defaultJavaOptions} of {@code conf/spark-defaults.conf} (drivers and executors that
 * spark-submit starts). A flag added to or removed from one of them without the others fails here.
 */
class ConfTest {
  private static final String POM_PROPERTY = "spark.jvm.flags";
  private static final List<String> SPARK_OPTIONS =
      List.of("spark.driver.defaultJavaOptions", "spark.executor.defaultJavaOptions");
  /** The module netlib's VectorBLAS (and the launchers' warning filter) are about. */
  private static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

  /** conf/jvm-flags without comments and blank lines, as scripts/lib/jvm.sh reads it. */
  static List<String> jvmFlags() throws IOException {
    return Files.readAllLines(ProjectDir.root().resolve("conf").resolve("jvm-flags"), StandardCharsets.UTF_8)
        .stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  private static List<String> split(String flags) {
    return Arrays.stream(flags.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  /** Fails naming the flags {@code where} lacks or adds, or, when it has the same ones, the order. */
  private static void assertSameFlags(List<String> expected, List<String> actual, String where) {
    List<String> missing = expected.stream().filter(flag -> !actual.contains(flag)).toList();
    List<String> extra = actual.stream().filter(flag -> !expected.contains(flag)).toList();
    assertTrue(missing.isEmpty() && extra.isEmpty(),
        where + " differs from conf/jvm-flags: lacks " + missing + ", adds " + extra);
    assertEquals(expected, actual, where + " lists the flags of conf/jvm-flags in another order");
  }

  @Test
  void jvmFlagsListTheModulesSparkAndTheVectorApiNeed() throws IOException {
    List<String> flags = jvmFlags();
    assertTrue(flags.contains(VECTOR_MODULE), "conf/jvm-flags lacks " + VECTOR_MODULE + ": " + flags);
    assertTrue(flags.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), flags.toString());
    assertEquals(flags.size(), flags.stream().distinct().count(), "a flag is listed twice: " + flags);
    flags.forEach(flag -> assertTrue(flag.startsWith("-") && !flag.contains(" "), "not one JVM flag: '" + flag + "'"));
  }

  @Test
  void pomPropertyEqualsJvmFlags() throws Exception {
    Path pom = ProjectDir.root().resolve("pom.xml");
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document document = factory.newDocumentBuilder().parse(pom.toFile());
    NodeList properties = document.getDocumentElement().getElementsByTagName("properties");
    String value = null;
    for (int i = 0; i < properties.getLength() && value == null; i++) {
      NodeList matches = ((Element) properties.item(i)).getElementsByTagName(POM_PROPERTY);
      if (matches.getLength() > 0) {
        value = matches.item(0).getTextContent();
      }
    }
    assertTrue(value != null, pom + " has no <" + POM_PROPERTY + "> property");
    assertSameFlags(jvmFlags(), split(value), "<" + POM_PROPERTY + "> of " + pom);
  }

  @Test
  void sparkDefaultJavaOptionsEqualJvmFlags() throws IOException {
    Path file = ProjectDir.root().resolve("conf").resolve("spark-defaults.conf");
    Properties spark = new Properties();
    // Read as spark-submit reads --properties-file: java.util.Properties (key, whitespace, value).
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      spark.load(in);
    }
    List<String> flags = jvmFlags();
    for (String key : SPARK_OPTIONS) {
      String value = spark.getProperty(key);
      assertTrue(value != null, file + " does not set " + key);
      assertSameFlags(flags, split(value), key + " in " + file);
    }
  }
}
