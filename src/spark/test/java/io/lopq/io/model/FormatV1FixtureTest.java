package io.lopq.io.model;

import com.fasterxml.jackson.core.json.JsonWriteFeature;

import com.fasterxml.jackson.core.json.JsonReadFeature;

import com.fasterxml.jackson.databind.json.JsonMapper;

import io.lopq.format.model.NativeModelFormat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lopq.model.TestModels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model saved by format version 1, checked in under {@code src/test/resources/io/lopq/io/format-v1}.
 * Later builds must keep loading it, and must keep writing the same bytes for the same model while
 * the format version stays 1. If this test fails after a format change, bump the version instead.
 */
class FormatV1FixtureTest {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

  static final String FIXTURE = "format-v1/model";

  @TempDir
  java.nio.file.Path tmp;

  /** The fixture's model: small, with exactly representable values. */
  static LopqModel fixtureModel() {
    int d = 4;
    int v = 2;
    int m = 2;
    int k = 3;
    float[][] centroids = new float[2][];
    float[][] means = new float[2][];
    float[][] rotations = new float[2][];
    for (int h = 0; h < 2; h++) {
      centroids[h] = ramp(v * d / 2, h + 1, 0.5f);
      means[h] = ramp(v * d / 2, -h, 0.125f);
      rotations[h] = new float[v * 4];
      for (int i = 0; i < v; i++) {
        rotations[h][i * 4] = 1f;
        rotations[h][i * 4 + 3] = h == 0 ? 1f : -1f;
      }
    }
    float[][] codebooks = {ramp(k * d / m, -2, 0.25f), ramp(k * d / m, 3, -0.75f)};
    codebooks[0][0] = -0.0f;
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("fixture", "format-v1");
    parameters.put("iterations", 3);
    Map<String, Object> statistics = new LinkedHashMap<>();
    statistics.put("distortion", List.of(1.5, 0.75));
    return new LopqModel(d, v, m, k, centroids, means, rotations, codebooks,
        new ModelMetadata(7L, parameters, statistics));
  }

  private static float[] ramp(int n, float start, float step) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = start + i * step;
    }
    return values;
  }

  private java.nio.file.Path fixture() throws URISyntaxException {
    return Paths.get(FormatV1FixtureTest.class.getResource(FIXTURE).toURI());
  }

  @Test
  void aVersion1ModelStillLoads() throws Exception {
    LopqModel loaded = ModelStore.load("file://" + fixture());
    LopqModel expected = fixtureModel();
    assertTrue(TestModels.sameArraysBitwise(expected, loaded));
    assertEquals(expected.metadata(), loaded.metadata());
    assertEquals(expected.fingerprint(), loaded.fingerprint());
  }

  @Test
  void version1IsStillWrittenTheSameWay() throws IOException, URISyntaxException {
    java.nio.file.Path target = tmp.resolve("model");
    ModelStore.save(fixtureModel(), "file://" + target, false);
    assertArrayEquals(Files.readAllBytes(fixture().resolve(NativeModelFormat.ARRAY_FILE)),
        Files.readAllBytes(target.resolve(NativeModelFormat.ARRAY_FILE)), "arrays.bin bytes");
    JsonNode written = JSON.readTree(Files.readAllBytes(target.resolve(NativeModelFormat.METADATA_FILE)));
    JsonNode stored = JSON.readTree(Files.readAllBytes(fixture().resolve(NativeModelFormat.METADATA_FILE)));
    assertEquals(stored, written, "model.json content");
  }
}
