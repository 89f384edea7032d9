package io.lopq.format.encoded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.format.vectors.InvalidInputException;
import io.lopq.model.ModelMetadata;
import io.lopq.model.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manifest's JSON: round trips, the manifests checked in under {@code schema-v1/} (written by
 * the build that introduced schema version 1) still parse and render to the same bytes, and
 * malformed text is refused naming the file and the field.
 */
class ManifestJsonTest {
  private static final String WHERE = "hdfs://nn/encoded/_lopq_manifest-0000000002.json";
  private static final String PARTITIONED = "schema-v1/partitioned/_lopq_manifest-0000000002.json";
  private static final String UNPARTITIONED = "schema-v1/unpartitioned/_lopq_manifest-0000000001.json";
  private static final String FIXTURE_FINGERPRINT = "5a0947a61939c5392484cbdfcc530467";

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = ManifestJsonTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  private static EncodedManifest sample() {
    List<KeptColumn> kept = List.of(new KeptColumn("url", KeptColumn.Type.STRING, true),
        new KeptColumn("views", KeptColumn.Type.LONG, false));
    EncodedManifest manifest = EncodedManifest.empty(TestModels.random(3, 8, 3, 4, 5, ModelMetadata.EMPTY), true,
        kept, "date");
    manifest = manifest.withPartition(new EncodedPartition("date=a", "a", 30, 1, "2026-11-25T02:38:51Z", List.of(
        new EncodedFile("date=a/part-0.parquet", 10, 100, 0, 0, 1, 2),
        new EncodedFile("date=a/part-1.parquet", 20, 200, 1, 2, 2, 2))));
    return manifest.withPartition(new EncodedPartition("date=b", "b", 0, 4, "2026-11-26T02:38:51Z", List.of()));
  }

  private static String sampleJson() {
    return new String(ManifestJson.render(sample()), StandardCharsets.UTF_8);
  }

  @Test
  void renderThenParseGivesTheSameManifestAndBytes() {
    EncodedManifest manifest = sample();
    byte[] json = ManifestJson.render(manifest);
    EncodedManifest back = ManifestJson.parse(json, WHERE);
    assertEquals(manifest, back);
    assertEquals(manifest.toString(), back.toString());
    assertArrayEquals(json, ManifestJson.render(back));
  }

  @Test
  void partitionedSchemaV1FixtureParsesAndRendersToTheSameBytes() throws IOException {
    byte[] json = fixture(PARTITIONED);
    EncodedManifest m = ManifestJson.parse(json, PARTITIONED);
    assertEquals(1, m.schemaVersion());
    assertEquals(2, m.revision());
    assertEquals(new ModelIdentity(FIXTURE_FINGERPRINT, 8, 3, 4, 5), m.model());
    assertTrue(m.stringIds());
    assertEquals(List.of(
        new KeptColumn("url", KeptColumn.Type.STRING, true),
        new KeptColumn("views", KeptColumn.Type.LONG, false),
        new KeptColumn("score", KeptColumn.Type.DOUBLE, true),
        new KeptColumn("thumb", KeptColumn.Type.BYTES, false),
        new KeptColumn("width", KeptColumn.Type.INT, false),
        new KeptColumn("ratio", KeptColumn.Type.FLOAT, true),
        new KeptColumn("safe", KeptColumn.Type.BOOLEAN, false)), m.keptColumns());
    assertEquals("date", m.partitionColumn());
    assertEquals(307, m.rows());
    EncodedPartition first = m.partition("date=2026-11-24");
    assertEquals("2026-11-24", first.value());
    assertEquals(2, first.skippedRows());
    assertEquals(5000, first.bytes());
    assertEquals("2026-11-25T02:38:51Z", first.committedAt());
    assertEquals(new EncodedFile("date=2026-11-24/part-00001-20261125T023810Z-1f0c2a9e-a0.parquet", 180, 2900,
        1, 2, 2, 2), first.files().get(1));
    assertEquals(List.of("date=2026-11-24", "date=2026-11-25"),
        m.partitions().stream().map(EncodedPartition::name).toList());
    assertArrayEquals(json, ManifestJson.render(m), "schema version 1 is rendered byte for byte as it was written");
  }

  @Test
  void unpartitionedSchemaV1FixtureParsesAndRendersToTheSameBytes() throws IOException {
    byte[] json = fixture(UNPARTITIONED);
    EncodedManifest m = ManifestJson.parse(json, UNPARTITIONED);
    assertEquals(1, m.revision());
    assertEquals(FIXTURE_FINGERPRINT, m.model().fingerprint());
    assertEquals(false, m.stringIds());
    assertEquals(List.of(), m.keptColumns());
    assertNull(m.partitionColumn());
    EncodedPartition all = m.partition(EncodedPartition.UNPARTITIONED);
    assertNull(all.value());
    assertEquals(5, all.rows());
    assertTrue(all.files().get(0).mayContain(1, 2));
    assertArrayEquals(json, ManifestJson.render(m));
  }

  /** Parses {@code json}, expecting a refusal whose message names {@link #WHERE} and holds {@code fragments}. */
  private static void assertRefused(String json, String... fragments) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ManifestJson.parse(json.getBytes(StandardCharsets.UTF_8), WHERE));
    assertTrue(e.getMessage().contains(WHERE), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
  }

  @Test
  void malformedTextNamesTheFileAndTheField() {
    String json = sampleJson();
    assertRefused("{\"format\": \"lopq-encoded", "not valid JSON");
    assertRefused("[1, 2]", "not an encoded dataset manifest");
    assertRefused(json.replace("lopq-encoded-dataset", "lopq-spark-model"), "not an encoded dataset manifest");
    assertRefused(json.replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2"), "schema version 2", "newer");
    assertRefused(json.replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 0"), "invalid schema version 0");
    assertRefused(json.replace("\"schemaVersion\" : 1,", ""), "no field 'schemaVersion'");
    assertRefused(json.replace("\"dimension\" : 8", "\"dimension\" : \"8\""), "field 'model.dimension'",
        "expected an integer");
    assertRefused(json.replace("\"fingerprint\"", "\"fingerprints\""), "no field 'model.fingerprint'");
    assertRefused(json.replace("\"idType\" : \"string\"", "\"idType\" : \"uuid\""), "idType is 'uuid'");
    assertRefused(json.replace("\"type\" : \"long\"", "\"type\" : \"date\""), "at keptColumns[1]",
        "unknown kept column type 'date'");
    assertRefused(json.replace("\"nullable\" : true", "\"nullable\" : \"yes\""), "field 'keptColumns[0].nullable'",
        "true or false");
    assertRefused(json.replace("\"rows\" : 20,", "\"rows\" : -20,"), "field 'partitions[0].files[1].rows'",
        "a non-negative integer");
    assertRefused(json.replace("\"lastCell\" : [ 2, 2 ]", "\"lastCell\" : [ 2 ]"),
        "field 'partitions[0].files[1].lastCell'", "[coarse0, coarse1]");
    assertRefused(json.replace("\"lastCell\" : [ 2, 2 ]", "\"lastCell\" : [ 0, 0 ]"), "at partitions[0].files[1]",
        "invalid cell range");
    assertRefused(json.replace("\"rows\" : 30,", "\"rows\" : 31,"), "at partitions[0]", "records 31 rows");
    assertRefused(json.replace("\"name\" : \"date=b\"", "\"name\" : \"date=a\""), "is inconsistent",
        "partition date=a is listed twice");
    assertRefused(json.replace("\"dimension\" : 8", "\"dimension\" : 7"), "at model", "inconsistent");
    assertRefused(json.replace("\"partitions\" : [", "\"partitions\" : {\"a\": [").replaceFirst("} ]\\s*}\\s*$",
        "} ]} }"), "field 'partitions'", "expected an array");
  }
}
