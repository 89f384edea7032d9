package io.lopq.spark.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.vectors.InvalidInputException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void findsTheExceptionDeepInACauseChain() {
    InvalidInputException invalid = new InvalidInputException("row 3 of f has dimension 2, expected 4");
    RuntimeException wrapped = new RuntimeException("outer", new IllegalStateException("middle", invalid));
    assertSame(invalid, Errors.rootInvalidInput(wrapped).orElseThrow());
    assertSame(invalid, Errors.rootInvalidInput(invalid).orElseThrow());
  }

  @Test
  void findsASuppressedOneAndSurvivesCycles() {
    InvalidInputException invalid = new InvalidInputException("bad");
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertTrue(Errors.rootInvalidInput(b).isEmpty());
    a.addSuppressed(invalid);
    assertSame(invalid, Errors.rootInvalidInput(b).orElseThrow());
    assertTrue(Errors.rootInvalidInput(new RuntimeException()).isEmpty());
  }

  @Test
  void findsTheExceptionThrownInASparkTask() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
    Exception e = assertThrows(Exception.class, () -> jsc.parallelize(List.of(1, 2, 3), 3).foreach(i -> {
      if (i == 2) {
        throw new InvalidInputException("row 2 is bad");
      }
    }));
    assertTrue(!(e instanceof InvalidInputException), "Spark wraps task exceptions: " + e);
    assertEquals("row 2 is bad", Errors.rootInvalidInput(e).orElseThrow().getMessage());
  }
}
