package io.lopq.format.encoded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodedFormatTest {
  @Test
  void manifestFileNamesCarryTheRevisionInTenDigits() {
    assertEquals("_lopq_manifest-0000000007.json", EncodedFormat.manifestFileName(7));
    assertEquals(7, EncodedFormat.manifestRevision("_lopq_manifest-0000000007.json"));
    assertEquals(12345678901L, EncodedFormat.manifestRevision(EncodedFormat.manifestFileName(12345678901L)));
    assertEquals(-1, EncodedFormat.manifestRevision("._lopq_manifest-0000000007.json.tmp-1"));
    assertEquals(-1, EncodedFormat.manifestRevision("_lopq_manifest-x.json"));
    assertEquals(-1, EncodedFormat.manifestRevision("_lopq_manifest-0000000007.json.crc"));
    assertEquals(-1, EncodedFormat.manifestRevision("part-00000.parquet"));
  }

  @Test
  void fileMetadataNamesSchemaVersionFingerprintAndShape() {
    ModelIdentity model = new ModelIdentity("abc", 8, 3, 4, 5);
    assertEquals(Map.of("lopq.schema.version", "1", "lopq.model.fingerprint", "abc", "lopq.model.shape", "8,3,4,5"),
        EncodedFormat.fileMetadata(model));
    assertEquals(List.of("lopq.schema.version", "lopq.model.fingerprint", "lopq.model.shape"),
        List.copyOf(EncodedFormat.fileMetadata(model).keySet()));
  }

  @Test
  void ownColumnsInFileOrder() {
    assertEquals(List.of("id", "coarse0", "coarse1", "codes"), EncodedFormat.OWN_COLUMNS);
    assertEquals("string", EncodedFormat.idTypeName(true));
    assertEquals("long", EncodedFormat.idTypeName(false));
  }
}
