package io.lopq.format.encoded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeptColumnTest {
  @Test
  void typesRoundTripThroughTheirManifestNames() {
    for (KeptColumn.Type type : KeptColumn.Type.values()) {
      assertEquals(type, KeptColumn.Type.fromManifestName(type.manifestName()));
    }
    assertEquals("bytes", KeptColumn.Type.BYTES.manifestName());
    String message = assertThrows(IllegalArgumentException.class,
        () -> KeptColumn.Type.fromManifestName("date")).getMessage();
    assertTrue(message.contains("'date'") && message.contains("boolean"), message);
  }

  @Test
  void namesMustBeAvroNamesOtherThanTheOwnColumns() {
    assertEquals("url string (nullable)", new KeptColumn("url", KeptColumn.Type.STRING, true).toString());
    assertEquals("_x1 int", new KeptColumn("_x1", KeptColumn.Type.INT, false).toString());
    for (String bad : new String[] {"image-url", "1st", "", "a b"}) {
      String message = assertThrows(IllegalArgumentException.class,
          () -> new KeptColumn(bad, KeptColumn.Type.STRING, true)).getMessage();
      assertTrue(message.contains("Avro field name"), message);
    }
    String message = assertThrows(IllegalArgumentException.class,
        () -> new KeptColumn("codes", KeptColumn.Type.BYTES, false)).getMessage();
    assertTrue(message.contains("its own column"), message);
  }

  @Test
  void equalityIsNameTypeAndNullability() {
    KeptColumn url = new KeptColumn("url", KeptColumn.Type.STRING, true);
    assertEquals(url, new KeptColumn("url", KeptColumn.Type.STRING, true));
    assertEquals(url.hashCode(), new KeptColumn("url", KeptColumn.Type.STRING, true).hashCode());
    assertTrue(!url.equals(new KeptColumn("url", KeptColumn.Type.STRING, false)));
    assertTrue(!url.equals(new KeptColumn("url", KeptColumn.Type.BYTES, true)));
  }
}
