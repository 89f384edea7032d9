package io.lopq.format.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.model.LopqModel;
import io.lopq.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native format on the local file system, as a serving JVM without Hadoop uses it. */
class NativeModelFormatTest {
  @TempDir
  Path tmp;

  @Test
  void localWriteAndReadGiveTheSameModel() throws IOException {
    LopqModel model = TestModels.random(3);
    Path dir = Files.createDirectory(tmp.resolve("model"));
    NativeModelFormat.prepare(model).writeTo(name -> Files.newOutputStream(dir.resolve(name)));
    LopqModel read = NativeModelFormat.read(dir);
    assertEquals(model.fingerprint(), read.fingerprint());
    assertTrue(TestModels.sameArraysBitwise(model, read));
  }

  @Test
  void flippedByteIsACorruptModel() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("model"));
    NativeModelFormat.prepare(TestModels.random(4)).writeTo(name -> Files.newOutputStream(dir.resolve(name)));
    Path arrays = dir.resolve(NativeModelFormat.ARRAY_FILE);
    byte[] bytes = Files.readAllBytes(arrays);
    bytes[bytes.length - 3] ^= 0x10;
    Files.write(arrays, bytes);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> NativeModelFormat.read(dir));
    assertEquals(Problem.CHECKSUM_MISMATCH, e.problem());
    assertTrue(e.getMessage().contains(arrays.toString()), e.getMessage());
  }

  @Test
  void missingDirectoryIsNamed() {
    Path dir = tmp.resolve("nothing");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> NativeModelFormat.read(dir));
    assertEquals(Problem.MISSING, e.problem());
    assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
  }
}
