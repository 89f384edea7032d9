package io.lopq.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lopq.format.model.NativeModelFormat;
import io.lopq.model.LopqModel;
import io.lopq.model.TestModels;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with local codebooks saved by format version 2, checked in under
 * {@code src/spark/test/resources/io/lopq/io/model/format-v2}: the version 1 fixture's model plus one
 * codebook per (subquantizer, coarse cluster). Later builds must keep loading it and writing the same
 * bytes for it while the format version stays 2.
 */
class FormatV2FixtureTest {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

  static final String FIXTURE = "format-v2/model";

  @TempDir
  java.nio.file.Path tmp;

  /** The fixture's model: version 1's with exactly representable local codebooks. */
  static LopqModel fixtureModel() {
    LopqModel shared = FormatV1FixtureTest.fixtureModel();
    int m = shared.subquantizers();
    int v = shared.coarseClusters();
    float[][][] local = new float[m][v][];
    for (int s = 0; s < m; s++) {
      for (int c = 0; c < v; c++) {
        float[] codebook = shared.codebook(s).clone();
        for (int i = 0; i < codebook.length; i++) {
          codebook[i] += 0.0625f * (1 + s + 2 * c) * (i % 3 - 1);
        }
        local[s][c] = codebook;
      }
    }
    return shared.withLocalCodebooks(local);
  }

  private java.nio.file.Path fixture() throws URISyntaxException {
    return Paths.get(FormatV2FixtureTest.class.getResource(FIXTURE).toURI());
  }

  @Test
  void aVersion2ModelStillLoads() throws Exception {
    LopqModel loaded = ModelStore.load("file://" + fixture());
    LopqModel expected = fixtureModel();
    assertTrue(loaded.hasLocalCodebooks());
    assertTrue(TestModels.sameArraysBitwise(expected, loaded));
    assertEquals(expected.metadata(), loaded.metadata());
    assertEquals(expected.fingerprint(), loaded.fingerprint());
  }

  @Test
  void version2IsStillWrittenTheSameWay() throws IOException, URISyntaxException {
    java.nio.file.Path target = tmp.resolve("model");
    ModelStore.save(fixtureModel(), "file://" + target, false);
    assertArrayEquals(Files.readAllBytes(fixture().resolve(NativeModelFormat.ARRAY_FILE)),
        Files.readAllBytes(target.resolve(NativeModelFormat.ARRAY_FILE)), "arrays.bin bytes");
    JsonNode written = JSON.readTree(Files.readAllBytes(target.resolve(NativeModelFormat.METADATA_FILE)));
    JsonNode stored = JSON.readTree(Files.readAllBytes(fixture().resolve(NativeModelFormat.METADATA_FILE)));
    assertEquals(stored, written, "model.json content");
    assertEquals(2, written.get("formatVersion").asInt());
    assertEquals("local", written.get("codebooks").asText());
  }
}
