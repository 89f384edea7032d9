package io.lopq.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.vectors.VectorFormat;
import io.lopq.format.vectors.VectorInputParams;
import io.lopq.search.SearchOptions;
import io.lopq.train.TrainingParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParamTest {
  private static final Param<Integer> V = Param.ofInt("coarseClusters", "V, coarse clusters per half", 16,
      Check.atLeast(1)).label("coarse clusters V");

  @Test
  void checksNameTheParameterTheExpectationAndTheValue() {
    assertEquals(3, V.check(3));
    assertNull(V.check(null), "unset passes");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> V.check(0));
    assertEquals("coarse clusters V must be >= 1, got 0", e.getMessage());
    assertEquals("must be >= 1, got -2", V.problem(-2));
    assertNull(V.problem(1));
  }

  @Test
  void helpShowsTheDocWhatValuesMustBeAndTheDefault() {
    assertEquals("V, coarse clusters per half (>= 1; default 16).", V.help());
    Param<Integer> auto = Param.ofInt("minRotationClusterSize", "Clusters with fewer rows take the fallback", 0,
        Check.atLeast(0)).defaultText("D/2 + 1");
    assertEquals("Clusters with fewer rows take the fallback (>= 0; default: D/2 + 1).", auto.help());
    assertEquals("A switch.", Param.flag("on", "A switch").help(), "an off switch shows no default");
    assertEquals("Rotation (default global).", Param.ofEnum("fallback", "Rotation",
        TrainingParams.RotationFallback.class, TrainingParams.RotationFallback.GLOBAL).help());
  }

  @Test
  void parsesTextIntoCheckedValues() {
    assertEquals(64, V.parse(" 64 "));
    assertEquals("coarse clusters V must be a number, got 'many'",
        assertThrows(IllegalArgumentException.class, () -> V.parse("many")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> V.parse("0"));
    assertSame(TrainingParams.RotationFallback.IDENTITY, TrainingParams.ROTATION_FALLBACK.parse("Identity"));
    IllegalArgumentException sideways = assertThrows(IllegalArgumentException.class,
        () -> TrainingParams.ROTATION_FALLBACK.parse("sideways"));
    assertTrue(sideways.getMessage().contains("one of global, identity, got 'sideways'"), sideways.getMessage());
    assertSame(VectorFormat.FVECS, VectorInputParams.FORMAT.parse("fvecs"), "a declared parser");
    assertEquals(List.of("url", "caption"), VectorInputParams.KEEP_COLS.parse("url,caption"));
  }

  @Test
  void aDefaultThatFailsItsOwnCheckIsRefusedAtDeclaration() {
    assertThrows(IllegalArgumentException.class, () -> Param.ofInt("k", "Neighbours", 0, Check.atLeast(1)));
  }

  @Test
  void checksSayWhatTheyTest() {
    assertTrue(Check.inRange(1, 256).test(256) && !Check.inRange(1, 256).test(257));
    assertFalse(Check.evenAtLeast(2).test(3));
    assertTrue(Check.inOpenClosed(0, 1).test(1.0) && !Check.inOpenClosed(0, 1).test(0.0));
    assertEquals("in (0, 1]", Check.inOpenClosed(0, 1).expectation());
    assertFalse(Check.finiteAtLeast(0).test(Double.NaN));
    assertEquals("finite and >= 0", Check.finiteAtLeast(0).expectation());
    assertTrue(Check.oneOf("csv", "parquet").test(" CSV"));
    assertNull(Check.any().expectation());
  }

  @Test
  void paramsSurviveJavaSerialization() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(TrainingParams.SUBQUANTIZERS);
    }
    Param<?> back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (Param<?>) in.readObject();
    }
    assertEquals("subquantizers", back.name());
    assertThrows(IllegalArgumentException.class, () -> ((Param<Integer>) back).check(3), "the check travels too");
  }

  /** The declarations of the core: one name per holder, a doc, and a default that passes the check. */
  @Test
  void coreDeclarationsAreWellFormed() throws IllegalAccessException {
    for (Class<?> holder : List.of(TrainingParams.class, SearchOptions.class, VectorInputParams.class)) {
      Set<String> names = new HashSet<>();
      for (Param<?> param : declared(holder)) {
        assertTrue(names.add(param.name()), holder.getSimpleName() + " declares " + param.name() + " twice");
        assertFalse(param.doc().isBlank() || param.doc().endsWith("."), param + ": a doc phrase, no period");
        assertFalse(param.doc().contains("%"), param + ": picocli reads '%' as a format");
      }
      assertFalse(names.isEmpty(), holder.getSimpleName());
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Param<?>> declared(Class<?> holder) throws IllegalAccessException {
    List<Param<?>> params = new ArrayList<>();
    for (Field field : holder.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == Param.class) {
        params.add((Param<?>) field.get(null));
      }
    }
    return params;
  }
}
