package io.lopq.format.encoded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import io.lopq.model.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedManifestTest {
  private static final LopqModel MODEL = TestModels.random(5, 8, 3, 4, 5, ModelMetadata.EMPTY);
  private static final KeptColumn URL = new KeptColumn("url", KeptColumn.Type.STRING, true);

  private static EncodedPartition partition(String name, long rows) {
    return new EncodedPartition(name, name, rows, 0, "2026-11-25T00:00:00Z",
        List.of(new EncodedFile(name + "/part-0.parquet", rows, 10 * rows, 0, 0, 2, 2)));
  }

  @Test
  void emptyManifestHoldsTheModelIdentityAndNoPartitions() {
    EncodedManifest empty = EncodedManifest.empty(MODEL, true, List.of(URL), "date");
    assertEquals(EncodedFormat.SCHEMA_VERSION, empty.schemaVersion());
    assertEquals(0, empty.revision());
    assertEquals(ModelIdentity.of(MODEL), empty.model());
    assertTrue(empty.model().matches(MODEL));
    assertEquals("8,3,4,5", empty.model().shape());
    assertEquals(List.of(URL), empty.keptColumns());
    assertEquals(List.of(), empty.partitions());
    assertEquals(0, empty.rows());
  }

  @Test
  void eachPartitionIsTheNextRevision() {
    EncodedManifest empty = EncodedManifest.empty(MODEL, false, List.of(), "date");
    EncodedManifest one = empty.withPartition(partition("a", 3));
    EncodedManifest two = one.withPartition(partition("b", 4));
    assertEquals(List.of(0L, 1L, 2L), List.of(empty.revision(), one.revision(), two.revision()));
    assertEquals(List.of(), empty.partitions(), "immutable: the earlier revision is unchanged");
    assertEquals(7, two.rows());
    assertEquals(70, two.bytes());
    assertEquals(List.of("a/part-0.parquet", "b/part-0.parquet"), two.files().stream().map(EncodedFile::path).toList());
    assertEquals(4, two.partition("b").rows());
    assertNull(two.partition("c"));
    assertEquals(two.model(), empty.model());
    assertTrue(two.toString().contains("revision=2") && two.toString().contains("D,V,M,K=8,3,4,5"), two.toString());
  }

  @Test
  void refusesDuplicatePartitionsAndAKeptColumnNamedLikeThePartitionColumn() {
    EncodedManifest one = EncodedManifest.empty(MODEL, false, List.of(), "date").withPartition(partition("a", 3));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> one.withPartition(partition("a", 1)))
        .getMessage().contains("listed twice"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> EncodedManifest.empty(MODEL, false, List.of(new KeptColumn("date", KeptColumn.Type.STRING, true)),
            "date")).getMessage().contains("name of the partition column"));
  }

  @Test
  void modelIdentityChecksItsShapeAndNamesItInMessages() {
    ModelIdentity identity = ModelIdentity.of(MODEL);
    assertEquals(MODEL.fingerprint() + " (D,V,M,K=8,3,4,5)", identity.toString());
    assertTrue(!identity.matches(TestModels.random(6, 8, 3, 4, 5, ModelMetadata.EMPTY)));
    assertThrows(IllegalArgumentException.class, () -> new ModelIdentity("f", 7, 3, 4, 5));
    assertThrows(NullPointerException.class, () -> new ModelIdentity(null, 8, 3, 4, 5));
  }
}
