package io.lopq.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.model.BadYahooFiles;
import io.lopq.format.model.ModelFormatException;
import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.format.model.YahooLopqProtobuf;
import io.lopq.io.fs.FailingLocalFileSystem;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import io.lopq.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Yahoo LOPQ protobuf files on a Hadoop file system: atomic saves, and load errors that name the file. */
class YahooModelStoreTest {
  private static final int D = 8;
  private static final int V = 3;
  private static final int M = 4;
  private static final int K = 5;

  @TempDir
  java.nio.file.Path tmp;

  private final LopqModel model = TestModels.random(3, D, V, M, K, new ModelMetadata(9L, Map.of("a", 1), Map.of()));

  @Test
  void savesAndLoadsThroughTheFileSystem() throws IOException {
    java.nio.file.Path file = tmp.resolve("models").resolve("model.lopq");
    String uri = "file://" + file;
    YahooModelStore.save(model, uri, false);
    assertArrayEquals(YahooLopqProtobuf.toBytes(model), Files.readAllBytes(file));
    LopqModel loaded = YahooModelStore.load(uri);
    assertTrue(TestModels.sameArraysBitwise(model, loaded));
    assertEquals("file:" + file, loaded.metadata().parameters().get(YahooLopqProtobuf.SOURCE_PATH));

    LopqModel other = TestModels.random(77);
    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> YahooModelStore.save(other, uri, false));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    YahooModelStore.save(other, uri, true);
    assertEquals(other.fingerprint(), YahooModelStore.load(uri).fingerprint());
    try (var names = Files.list(file.getParent())) {
      assertEquals(List.of(), names.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(".") && !n.endsWith(".crc")).toList(), "no temporary leftovers");
    }
  }

  @Test
  void failureMidWriteLeavesNothing() throws IOException {
    java.nio.file.Path parent = tmp.resolve("models");
    org.apache.hadoop.fs.Path target = FailingLocalFileSystem.path(parent.resolve("model.lopq"));
    // The temporary sibling is named .model.lopq.tmp-UUID, so its writes fail too.
    var conf = FailingLocalFileSystem.configuration("model.lopq", 100);
    IOException e = assertThrows(IOException.class, () -> YahooModelStore.save(model, target, false, conf));
    assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
    try (var names = Files.list(parent)) {
      assertEquals(List.of(), names.toList(), "neither the target nor a temporary file is left");
    }

    YahooModelStore.save(model, "file://" + parent.resolve("model.lopq"), false);
    byte[] before = Files.readAllBytes(parent.resolve("model.lopq"));
    assertThrows(IOException.class, () -> YahooModelStore.save(TestModels.random(77), target, true, conf));
    assertArrayEquals(before, Files.readAllBytes(parent.resolve("model.lopq")), "a failed overwrite keeps the old file");
    try (var names = Files.list(parent)) {
      assertEquals(List.of("model.lopq"), names.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".crc")).toList());
    }
  }

  @Test
  void loadingErrorsNameThePath() throws IOException {
    java.nio.file.Path file = tmp.resolve("absent.lopq");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> YahooModelStore.load("file://" + file));
    assertEquals(Problem.MISSING, e.problem());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());

    Files.write(file, Arrays.copyOf(YahooLopqProtobuf.toBytes(model), 50));
    e = assertThrows(ModelFormatException.class, () -> YahooModelStore.load("file://" + file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());

    java.nio.file.Path dir = Files.createDirectory(tmp.resolve("a-directory"));
    e = assertThrows(ModelFormatException.class, () -> YahooModelStore.load("file://" + dir));
    assertEquals(Problem.NOT_A_MODEL, e.problem());
    IOException refused = assertThrows(IOException.class, () -> YahooModelStore.save(model, "file://" + dir, true));
    assertTrue(refused.getMessage().contains("is a directory"), refused.getMessage());
  }

  /**
   * What {@code lopq model import} reads: a truncated file, a wrong wire type and a shape mismatch
   * each name the file.
   */
  @Test
  void parseErrorsOfAFileNameTheFile() throws IOException {
    assertLoadFails("truncated.lopq", BadYahooFiles.truncated(model, 7), Problem.MALFORMED,
        "not a valid protobuf message");
    assertLoadFails("wire-type.lopq", BadYahooFiles.wrongWireTypeForD(model), Problem.MALFORMED,
        "D has wire type 2, expected 0 (varint)");
    assertLoadFails("shape.lopq", BadYahooFiles.missingRotation(model), Problem.SHAPE_MISMATCH,
        "Rs has 5 matrices, expected 2V = 6");
  }

  private void assertLoadFails(String name, byte[] bytes, Problem problem, String fragment) throws IOException {
    java.nio.file.Path file = tmp.resolve(name);
    Files.write(file, bytes);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> YahooModelStore.load("file://" + file));
    assertEquals(problem, e.problem(), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), "expected the path in: " + e.getMessage());
    assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
  }
}
