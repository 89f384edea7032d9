package io.lopq;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.lopq.spark.common.StageApi;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@code docs/ARCHITECTURE.md}, checked on the compiled main classes of lopq-core and
 * lopq-spark (tests and lopq-bench excluded).
 *
 * <pre>
 *   core    model, math, train, encode, search, eval, format   no Spark, Hadoop, Parquet, Avro, Scala
 *   io      Hadoop/Spark I/O of vectors, models, encoded data   uses core
 *   common  sessions, row blocks, task meters                   uses io, core
 *   stages  spark.train, spark.encode, spark.search, spark.eval uses common, io, core; another stage
 *                                                               only through its {@link StageApi} classes
 *   sql     io.lopq.spark.sql: NEAREST BY joins by the index       uses stages only through {@link StageApi}
 *   ml, cli the Spark ML API and the command line                use anything below
 * </pre>
 *
 * No package cycles anywhere, and no core package split into another module.
 */
class ArchitectureTest {
  /** The packages of lopq-core. */
  static final String[] CORE = {
      "io.lopq.model..", "io.lopq.math..", "io.lopq.train..", "io.lopq.encode..", "io.lopq.search..",
      "io.lopq.eval..", "io.lopq.format..", "io.lopq.param.."};
  /** What the core must never use. */
  static final String[] ENGINES = {
      "org.apache.spark..", "org.apache.hadoop..", "org.apache.parquet..", "org.apache.avro..", "scala.."};
  /** The Spark stage packages, one per pipeline stage. */
  static final List<String> STAGES = List.of("train", "encode", "search", "eval");

  /** The SQL layer above the stages: the NEAREST BY join planned on the index. */
  static final String SQL = "io.lopq.spark.sql..";

  /** Main classes only: each module's test classes and test-jars (fixtures) are left out. */
  private static final ImportOption MAIN_CLASSES_ONLY =
      location -> !location.contains("/test-classes/") && !location.contains("-tests.jar");

  private static JavaClasses imported;

  @BeforeAll
  static void importClasses() {
    imported = new ClassFileImporter()
        .withImportOption(MAIN_CLASSES_ONLY)
        .importPackages("io.lopq");
  }

  @Test
  void coreUsesNoSparkHadoopParquetOrScala() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(ENGINES)
        .because("lopq-core runs in a serving JVM without Spark on its class path")
        .check(imported);
  }

  @Test
  void corePackagesComeOnlyFromLopqCore() {
    classes().that().resideInAnyPackage(CORE)
        .should(new ArchCondition<JavaClass>("be built by lopq-core (no split packages)") {
          @Override
          public void check(JavaClass c, ConditionEvents events) {
            String uri = c.getSource().map(source -> source.getUri().toString()).orElse("");
            if (!uri.contains("/target/core/") && !uri.contains("lopq-core")) {
              events.add(SimpleConditionEvent.violated(c, c.getName() + " comes from " + uri));
            }
          }
        })
        .check(imported);
  }

  @Test
  void layersOnlyLookDown() {
    layeredArchitecture().consideringOnlyDependenciesInAnyPackage("io.lopq..")
        .layer("core").definedBy(CORE)
        .layer("io").definedBy("io.lopq.io..")
        .layer("common").definedBy("io.lopq.spark.common..")
        .layer("stages").definedBy(STAGES.stream().map(s -> "io.lopq.spark." + s + "..").toArray(String[]::new))
        .layer("sql").definedBy(SQL)
        .layer("ml").definedBy("io.lopq.spark.ml..")
        .layer("cli").definedBy("io.lopq.cli..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("ml").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("sql").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("stages").mayOnlyBeAccessedByLayers("sql", "ml", "cli")
        .whereLayer("common").mayOnlyBeAccessedByLayers("stages", "sql", "ml", "cli")
        .whereLayer("io").mayOnlyBeAccessedByLayers("common", "stages", "sql", "ml", "cli")
        .check(imported);
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.lopq.(**)").should().beFreeOfCycles().check(imported);
  }

  @Test
  void stagesMeetOnlyThroughTheirApi() {
    for (String stage : STAGES) {
      String own = "io.lopq.spark." + stage + "..";
      String[] others = STAGES.stream().filter(s -> !s.equals(stage))
          .map(s -> "io.lopq.spark." + s + "..").toArray(String[]::new);
      ArchRule rule = noClasses().that().resideInAPackage(own)
          .should().dependOnClassesThat(internalsOf(others))
          .because("a stage uses another only through the classes it marks @StageApi");
      rule.check(imported);
    }
  }

  @Test
  void sqlUsesTheStagesOnlyThroughTheirApi() {
    String[] stages = STAGES.stream().map(s -> "io.lopq.spark." + s + "..").toArray(String[]::new);
    noClasses().that().resideInAPackage(SQL)
        .should().dependOnClassesThat(internalsOf(stages))
        .because("the SQL layer runs the stages only through the classes they mark @StageApi")
        .check(imported);
  }

  private static DescribedPredicate<JavaClass> internalsOf(String[] packages) {
    return DescribedPredicate.describe("internals (not @StageApi) of " + String.join(", ", packages),
        c -> JavaClass.Predicates.resideInAnyPackage(packages).test(c) && !isApi(c));
  }

  private static boolean isApi(JavaClass c) {
    JavaClass outer = c;
    while (outer.getEnclosingClass().isPresent()) {
      outer = outer.getEnclosingClass().get();
    }
    return outer.isAnnotatedWith(StageApi.class);
  }
}
