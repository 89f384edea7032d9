package io.lopq.io.model;

import com.fasterxml.jackson.core.json.JsonWriteFeature;

import com.fasterxml.jackson.core.json.JsonReadFeature;

import com.fasterxml.jackson.databind.json.JsonMapper;

import io.lopq.format.model.YahooLopqProtobuf;

import io.lopq.format.model.NativeModelFormat;

import io.lopq.format.model.ModelFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lopq.io.fs.FailingLocalFileSystem;
import io.lopq.model.TestModels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

  private static final Configuration CONF = new Configuration();

  @TempDir
  java.nio.file.Path tmp;

  private LopqModel model;
  private String uri;
  private FileSystem fs;

  @BeforeEach
  void setUp() throws IOException {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("coarseIterations", 20);
    parameters.put("bigCount", 12_345_678_901L);
    parameters.put("learningRate", 0.125);
    parameters.put("name", "unit test");
    parameters.put("refine", true);
    parameters.put("nothing", null);
    Map<String, Object> statistics = new LinkedHashMap<>();
    statistics.put("distortion", List.of(3.5, 2.25, Double.NaN));
    statistics.put("clusterSizes", Map.of("half0", List.of(4, 5, 6)));
    statistics.put("rotationFallbacks", List.of(Map.of("half", 1, "cluster", 2, "kind", "identity")));
    LopqModel base = TestModels.random(11, 8, 3, 4, 5, new ModelMetadata(42L, parameters, statistics));
    base.codebook(0)[0] = -0.0f;
    base.codebook(0)[1] = Float.MIN_VALUE;
    base.codebook(0)[2] = Float.MAX_VALUE;
    model = base;
    uri = "file://" + tmp.resolve("models").resolve("m1");
    fs = FileSystem.getLocal(CONF);
  }

  @Test
  void roundTripIsExact() throws IOException {
    ModelStore.save(model, uri, false);
    LopqModel loaded = ModelStore.load(uri);
    assertTrue(TestModels.sameArraysBitwise(model, loaded), "arrays must come back bit for bit");
    assertEquals(model.metadata(), loaded.metadata());
    assertEquals(model.fingerprint(), loaded.fingerprint());
    assertEquals(42L, loaded.metadata().seed());
    assertTrue(Double.isNaN((Double) ((List<?>) loaded.metadata().statistics().get("distortion")).get(2)));
    assertEquals(List.of(), hiddenSiblings(), "no temporary leftovers");
  }

  @Test
  void modelJsonDescribesTheArrayFile() throws IOException {
    ModelStore.save(model, uri, false);
    JsonNode json = JSON.readTree(read(child(NativeModelFormat.METADATA_FILE)));
    byte[] arrays = read(child(NativeModelFormat.ARRAY_FILE));
    assertEquals("lopq-spark-model", json.get("format").asText());
    assertEquals(1, json.get("formatVersion").asInt());
    assertEquals(8, json.get("D").asInt());
    assertEquals(3, json.get("V").asInt());
    assertEquals(4, json.get("M").asInt());
    assertEquals(5, json.get("K").asInt());
    assertEquals(model.fingerprint(), json.get("fingerprint").asText());
    assertEquals(arrays.length, json.at("/arrayFile/bytes").asLong());
    CRC32 crc = new CRC32();
    crc.update(arrays);
    assertEquals(String.format("%08x", crc.getValue()), json.at("/arrayFile/checksum/value").asText());
    assertEquals("little-endian", json.at("/arrayFile/byteOrder").asText());
    JsonNode list = json.get("arrays");
    assertEquals(6 + 4, list.size());
    assertEquals("rotations[1]", list.get(5).get("name").asText());
    assertEquals("[3,4,4]", list.get(5).get("shape").toString());
  }

  @Test
  void arrayFileFollowsTheDocumentedLayout() throws IOException {
    ModelStore.save(model, uri, false);
    ByteBuffer bytes = ByteBuffer.wrap(read(child(NativeModelFormat.ARRAY_FILE))).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[8];
    bytes.get(magic);
    assertEquals("LOPQARR\0", new String(magic, StandardCharsets.US_ASCII));
    assertEquals(1, bytes.getInt(8), "version");
    assertEquals(32, bytes.getInt(12), "header length");
    assertArrayEquals(new int[] {8, 3, 4, 5},
        new int[] {bytes.getInt(16), bytes.getInt(20), bytes.getInt(24), bytes.getInt(28)});
    // C0, C1, mu0, mu1, R0, R1, P0..P3, each V*D/2, V*D/2*D/2 or K*D/M floats, in that order.
    List<float[]> order = new ArrayList<>();
    for (int h = 0; h < 2; h++) {
      order.add(model.coarseCentroids(h));
    }
    for (int h = 0; h < 2; h++) {
      order.add(model.residualMeans(h));
    }
    for (int h = 0; h < 2; h++) {
      order.add(model.rotations(h));
    }
    for (int m = 0; m < 4; m++) {
      order.add(model.codebook(m));
    }
    int offset = 32;
    for (float[] array : order) {
      for (float value : array) {
        assertEquals(Float.floatToRawIntBits(value), bytes.getInt(offset), "value at byte " + offset);
        offset += 4;
      }
    }
    assertEquals(bytes.capacity(), offset, "no bytes after the last codebook");
  }

  @Test
  void existingTargetWithoutOverwriteIsRefused() throws IOException {
    ModelStore.save(model, uri, false);
    LopqModel other = TestModels.random(99);
    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> ModelStore.save(other, uri, false));
    assertTrue(e.getMessage().contains(tmp.resolve("models").resolve("m1").toString()), e.getMessage());
    assertEquals(model.fingerprint(), ModelStore.load(uri).fingerprint(), "the old model is untouched");
    assertEquals(List.of(), hiddenSiblings());
  }

  @Test
  void overwriteReplacesTheModel() throws IOException {
    ModelStore.save(model, uri, false);
    LopqModel other = TestModels.random(99);
    ModelStore.save(other, uri, true);
    LopqModel loaded = ModelStore.load(uri);
    assertEquals(other.fingerprint(), loaded.fingerprint());
    assertEquals(8, loaded.dimension());
    assertEquals(List.of(), hiddenSiblings(), "the replaced model is deleted");
  }

  @Test
  void overwriteRefusesADirectoryThatIsNotAModel() throws IOException {
    java.nio.file.Path target = tmp.resolve("models").resolve("m1");
    Files.createDirectories(target);
    Files.writeString(target.resolve("precious.txt"), "keep me");
    IOException e = assertThrows(IOException.class, () -> ModelStore.save(model, uri, true));
    assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
    assertEquals("keep me", Files.readString(target.resolve("precious.txt")));
    assertEquals(List.of(), hiddenSiblings());
  }

  @Test
  void metadataThatCannotBeStoredFailsBeforeWriting() {
    LopqModel bad = model.withMetadata(new ModelMetadata(1L, Map.of("callback", new Object()), Map.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelStore.save(bad, uri, false));
    assertTrue(e.getMessage().contains("parameters.callback"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("models")), "nothing was written");
  }

  @Test
  void targetThatCannotBeCreatedLeavesNothing() throws IOException {
    java.nio.file.Path blocker = tmp.resolve("not-a-dir");
    Files.writeString(blocker, "a file where a directory should be");
    String target = "file://" + blocker.resolve("m1");
    assertThrows(IOException.class, () -> ModelStore.save(model, target, false));
    assertEquals("a file where a directory should be", Files.readString(blocker));
    try (Stream<java.nio.file.Path> files = Files.list(tmp)) {
      assertEquals(List.of(blocker), files.toList());
    }
  }

  @Test
  void failureWhileWritingArraysLeavesNothing() throws IOException {
    assertFailedSaveLeavesNothing(NativeModelFormat.ARRAY_FILE, 100);
  }

  @Test
  void failureWhileWritingJsonLeavesNothing() throws IOException {
    assertFailedSaveLeavesNothing(NativeModelFormat.METADATA_FILE, 10);
  }

  private void assertFailedSaveLeavesNothing(String failingFile, long afterBytes) throws IOException {
    Configuration failing = FailingLocalFileSystem.configuration(failingFile, afterBytes);
    java.nio.file.Path parent = tmp.resolve("models");
    Path target = FailingLocalFileSystem.path(parent.resolve("m1"));
    IOException e = assertThrows(IOException.class, () -> ModelStore.save(model, target, false, failing));
    assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
    assertFalse(Files.exists(parent.resolve("m1")), "no model at the target");
    assertEquals(List.of(), hiddenSiblings(), "the temporary directory is deleted");

    ModelStore.save(model, uri, false);
    LopqModel other = TestModels.random(99);
    assertThrows(IOException.class, () -> ModelStore.save(other, target, true, failing));
    assertEquals(model.fingerprint(), ModelStore.load(uri).fingerprint(), "a failed overwrite keeps the old model");
    assertEquals(List.of(), hiddenSiblings());
  }

  @Test
  void missingDirectoryIsNamed() {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(uri));
    assertEquals(Problem.MISSING, e.problem());
    assertTrue(e.getMessage().contains(tmp.resolve("models").resolve("m1").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    ModelStore.save(model, uri, false);
    fs.delete(child(NativeModelFormat.ARRAY_FILE), false);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(uri));
    assertEquals(Problem.MISSING, e.problem());
    assertTrue(e.getMessage().contains("/m1/arrays.bin"), e.getMessage());

    fs.delete(child(NativeModelFormat.METADATA_FILE), false);
    e = assertThrows(ModelFormatException.class, () -> ModelStore.load(uri));
    assertEquals(Problem.MISSING, e.problem());
    assertTrue(e.getMessage().contains("/m1/model.json"), e.getMessage());
  }

  @Test
  void aFileIsNotAModelDirectory() throws IOException {
    java.nio.file.Path file = tmp.resolve("model.lopq");
    Files.write(file, YahooLopqProtobuf.toBytes(model));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load("file://" + file));
    assertEquals(Problem.NOT_A_MODEL, e.problem());
    assertTrue(e.getMessage().contains("not a model directory"), e.getMessage());
  }

  @Test
  void foreignJsonIsNotAModel() throws IOException {
    ModelStore.save(model, uri, false);
    rewrite(child(NativeModelFormat.METADATA_FILE), "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8));
    assertLoadFails(Problem.NOT_A_MODEL, "no \"format\" field", "model.json");

    rewrite(child(NativeModelFormat.METADATA_FILE), "{\"format\": \"spark-ml-pipeline\"}".getBytes(StandardCharsets.UTF_8));
    assertLoadFails(Problem.NOT_A_MODEL, "format is \"spark-ml-pipeline\", expected \"lopq-spark-model\"", "model.json");

    rewrite(child(NativeModelFormat.METADATA_FILE), "PK\u0003\u0004 zip bytes".getBytes(StandardCharsets.ISO_8859_1));
    assertLoadFails(Problem.NOT_A_MODEL, "not valid JSON", "model.json");
  }

  @Test
  void foreignBinaryIsNotAModel() throws IOException {
    ModelStore.save(model, uri, false);
    byte[] png = new byte[(int) fs.getFileStatus(child(NativeModelFormat.ARRAY_FILE)).getLen()];
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    System.arraycopy(signature, 0, png, 0, signature.length);
    rewrite(child(NativeModelFormat.ARRAY_FILE), png);
    assertLoadFails(Problem.NOT_A_MODEL, "expected the magic 4c 4f 50 51 41 52 52 00", "arrays.bin");
  }

  @Test
  void newerFormatVersionIsRefused() throws IOException {
    ModelStore.save(model, uri, false);
    editJson(json -> json.put("formatVersion", 3));
    assertLoadFails(Problem.NEWER_VERSION, "model format version 3 is newer than this build supports (2)", "model.json");
  }

  @Test
  void newerArrayFileVersionIsRefused() throws IOException {
    ModelStore.save(model, uri, false);
    byte[] arrays = read(child(NativeModelFormat.ARRAY_FILE));
    arrays[8] = 3;
    rewrite(child(NativeModelFormat.ARRAY_FILE), arrays);
    assertLoadFails(Problem.NEWER_VERSION, "array file format version 3 is newer than this build supports (2)",
        "arrays.bin");
  }

  @Test
  void truncatedArrayFileNamesBothSizes() throws IOException {
    ModelStore.save(model, uri, false);
    byte[] arrays = read(child(NativeModelFormat.ARRAY_FILE));
    int expected = arrays.length;
    rewrite(child(NativeModelFormat.ARRAY_FILE), java.util.Arrays.copyOf(arrays, expected - 100));
    assertLoadFails(Problem.TRUNCATED, "expected " + expected + " bytes", "found " + (expected - 100));

    rewrite(child(NativeModelFormat.ARRAY_FILE), java.util.Arrays.copyOf(arrays, 20));
    assertLoadFails(Problem.TRUNCATED, "expected " + expected + " bytes", "found 20");
  }

  @Test
  void corruptedArraysFailTheChecksum() throws IOException {
    ModelStore.save(model, uri, false);
    byte[] arrays = read(child(NativeModelFormat.ARRAY_FILE));
    arrays[arrays.length / 2] ^= 0x01;
    rewrite(child(NativeModelFormat.ARRAY_FILE), arrays);
    ModelFormatException e = assertLoadFails(Problem.CHECKSUM_MISMATCH, "records CRC32", "arrays.bin");
    CRC32 crc = new CRC32();
    crc.update(arrays);
    assertTrue(e.getMessage().contains(String.format("%08x", crc.getValue())), e.getMessage());
  }

  @Test
  void bitRotBehindTheFileSystemsBackIsCaught() throws IOException {
    ModelStore.save(model, uri, false);
    java.nio.file.Path file = tmp.resolve("models").resolve("m1").resolve(NativeModelFormat.ARRAY_FILE);
    byte[] arrays = Files.readAllBytes(file);
    arrays[arrays.length - 3] ^= 0x10;
    Files.write(file, arrays);
    assertLoadFails(Problem.CHECKSUM_MISMATCH, "checksum", "arrays.bin");
  }

  @Test
  void shapesThatDoNotMatchTheParametersAreNamed() throws IOException {
    ModelStore.save(model, uri, false);
    byte[] original = read(child(NativeModelFormat.METADATA_FILE));

    editJson(json -> json.put("V", 4));
    assertLoadFails(Problem.SHAPE_MISMATCH, "\"coarseCentroids[0]\" has shape [3, 4], expected V x D/2 = [4, 4]",
        "model.json");

    rewrite(child(NativeModelFormat.METADATA_FILE), original);
    editJson(json -> ((ObjectNode) json.get("arrays").get(9)).putArray("shape").add(5).add(3));
    assertLoadFails(Problem.SHAPE_MISMATCH, "\"codebooks[3]\" has shape [5, 3], expected K x D/M = [5, 2]",
        "model.json");

    rewrite(child(NativeModelFormat.METADATA_FILE), original);
    editJson(json -> ((ArrayNode) json.get("arrays")).remove(9));
    assertLoadFails(Problem.SHAPE_MISMATCH, "lists 9 arrays, expected 6 + M = 10", "model.json");
  }

  @Test
  void arrayFileOfAnotherModelIsNamed() throws IOException {
    ModelStore.save(model, uri, false);
    String otherUri = "file://" + tmp.resolve("models").resolve("m2");
    ModelStore.save(TestModels.random(5, 8, 4, 4, 5, ModelMetadata.EMPTY), otherUri, false);
    rewrite(child(NativeModelFormat.ARRAY_FILE), read(new Path(otherUri, NativeModelFormat.ARRAY_FILE)));
    assertLoadFails(Problem.SHAPE_MISMATCH, "array file header says V=4, model.json says V=3", "arrays.bin");
  }

  @Test
  void fingerprintMismatchIsNamed() throws IOException {
    ModelStore.save(model, uri, false);
    editJson(json -> json.put("fingerprint", "00000000000000000000000000000000"));
    assertLoadFails(Problem.FINGERPRINT_MISMATCH, "records 00000000000000000000000000000000",
        "the arrays give " + model.fingerprint());
  }

  private ModelFormatException assertLoadFails(Problem problem, String... fragments) {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(uri));
    assertEquals(problem, e.problem(), e.getMessage());
    assertTrue(e.getMessage().contains(tmp.resolve("models").resolve("m1").toString()), "names the path: " + e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
    return e;
  }

  private interface JsonEdit {
    void apply(ObjectNode json);
  }

  private void editJson(JsonEdit edit) throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(read(child(NativeModelFormat.METADATA_FILE)));
    edit.apply(json);
    rewrite(child(NativeModelFormat.METADATA_FILE), JSON.writeValueAsBytes(json));
  }

  private Path child(String name) {
    return new Path(uri, name);
  }

  private byte[] read(Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  /** Replaces a file through Hadoop, so that its .crc sidecar stays consistent. */
  private void rewrite(Path path, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(path, true)) {
      out.write(bytes);
    }
  }

  private List<String> hiddenSiblings() throws IOException {
    java.nio.file.Path parent = tmp.resolve("models");
    if (!Files.exists(parent)) {
      return List.of();
    }
    try (Stream<java.nio.file.Path> files = Files.list(parent)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }
}
