package io.lopq.io.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lopq.format.vectors.VectorFormat;
import org.junit.jupiter.api.Test;

class VectorInputFormatTest {
  @Test
  void explicitFormatOverridesThePath() {
    assertEquals(VectorFormat.BVECS, VectorInput.of("/data/folder").withFormat("bvecs").format());
    assertEquals(VectorFormat.FVECS, VectorInput.of("/data/x.fvecs").withFormat((String) null).format());
  }
}
