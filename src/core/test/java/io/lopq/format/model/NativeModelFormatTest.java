package io.lopq.format.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.model.LopqModel;
import com.fasterxml.jackson.databind.JsonNode;
import io.lopq.model.RandomModels;
import io.lopq.model.TestModels;
import java.util.Random;
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
  void localCodebooksRoundTripAsFormatVersion2AndSharedOnesStayVersion1() throws IOException {
    LopqModel shared = TestModels.random(5);
    LopqModel local = RandomModels.withLocalCodebooks(new Random(6), shared, 0.5);
    Path sharedDir = write(shared, "shared");
    Path localDir = write(local, "local");
    LopqModel read = NativeModelFormat.read(localDir);
    assertTrue(read.hasLocalCodebooks());
    assertEquals(local.fingerprint(), read.fingerprint());
    assertTrue(TestModels.sameArraysBitwise(local, read));
    assertNotEquals(shared.fingerprint(), local.fingerprint(), "the local codebooks are part of the fingerprint");
    JsonNode localJson = ModelJson.MAPPER.readTree(localDir.resolve(NativeModelFormat.METADATA_FILE).toFile());
    assertEquals(2, localJson.get("formatVersion").asInt());
    assertEquals("local", localJson.get("codebooks").asText());
    assertEquals(2 * shared.subquantizers() + 6, localJson.get("arrays").size());
    JsonNode sharedJson = ModelJson.MAPPER.readTree(sharedDir.resolve(NativeModelFormat.METADATA_FILE).toFile());
    assertEquals(1, sharedJson.get("formatVersion").asInt(), "older builds keep reading shared-codebook models");
    assertFalse(sharedJson.has("codebooks"), "written exactly as version 1 was");
    LopqModel sharedRead = NativeModelFormat.read(sharedDir);
    assertFalse(sharedRead.hasLocalCodebooks());
    assertTrue(TestModels.sameArraysBitwise(shared, sharedRead));
  }

  @Test
  void localCodebooksClaimedByAVersion1DescriptionAreRefused() throws IOException {
    Path dir = write(RandomModels.withLocalCodebooks(new Random(7), TestModels.random(8), 0.5), "local");
    Path json = dir.resolve(NativeModelFormat.METADATA_FILE);
    Files.writeString(json, Files.readString(json).replace("\"formatVersion\" : 2", "\"formatVersion\" : 1"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> NativeModelFormat.read(dir));
    assertEquals(Problem.MALFORMED, e.problem());
    assertTrue(e.getMessage().contains("local codebooks need format version 2"), e.getMessage());
  }

  private Path write(LopqModel model, String name) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve(name));
    NativeModelFormat.prepare(model).writeTo(file -> Files.newOutputStream(dir.resolve(file)));
    return dir;
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
