package io.lopq.format.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VectorFormatTest {
  @Test
  void formatFollowsTheExtension() {
    assertEquals(VectorFormat.FVECS, VectorFormat.fromPath("hdfs://nn:8020/data/sift_base.fvecs"));
    assertEquals(VectorFormat.BVECS, VectorFormat.fromPath("/data/bigann_base.BVECS"));
    assertEquals(VectorFormat.CSV, VectorFormat.fromPath("file:/tmp/v.csv"));
    assertEquals(VectorFormat.TSV, VectorFormat.fromPath("v.tsv/"));
    assertEquals(VectorFormat.PARQUET, VectorFormat.fromPath("/data/vectors.parquet"));
    assertEquals(VectorFormat.PARQUET, VectorFormat.fromPath("/data/vectors"));
    assertEquals(VectorFormat.PARQUET, VectorFormat.fromPath("/data/fvecs"));
  }

  @Test
  void explicitNameOverridesThePath() {
    assertEquals(VectorFormat.FVECS, VectorFormat.resolve("/data/folder", "fvecs"));
    assertEquals(VectorFormat.TSV, VectorFormat.resolve("/data/x.csv", " TSV "));
    assertEquals(VectorFormat.CSV, VectorFormat.resolve("/data/x.csv", null));
    assertEquals(VectorFormat.CSV, VectorFormat.resolve("/data/x.csv", ""));
  }

  @Test
  void unknownNameListsTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorFormat.fromName("hdf5"));
    assertEquals("unknown vector format 'hdf5', expected one of parquet, fvecs, bvecs, csv, tsv", e.getMessage());
  }

  @Test
  void formatTraits() {
    assertEquals(4, VectorFormat.FVECS.valueBytes());
    assertEquals(1, VectorFormat.BVECS.valueBytes());
    assertEquals('\t', VectorFormat.TSV.delimiter());
    assertEquals(true, VectorFormat.BVECS.isTexmex());
    assertEquals(false, VectorFormat.PARQUET.isTexmex() || VectorFormat.PARQUET.isDelimited());
  }
}
