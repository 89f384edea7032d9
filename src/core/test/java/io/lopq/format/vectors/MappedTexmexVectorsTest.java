package io.lopq.format.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw vectors by row number from a memory-mapped fvecs or bvecs file. */
class MappedTexmexVectorsTest {
  @TempDir Path dir;

  private Path write(String name, TexmexLayout layout, int[] dims, int rows) throws IOException {
    ByteBuffer out = ByteBuffer.allocate(rows * 64).order(TexmexLayout.BYTE_ORDER);
    for (int i = 0; i < rows; i++) {
      int d = dims[i % dims.length];
      out.putInt(d);
      for (int j = 0; j < d; j++) {
        if (layout == TexmexLayout.FVECS) {
          out.putFloat(i * 10f + j + 0.5f);
        } else {
          out.put((byte) (200 + j));
        }
      }
    }
    Path path = dir.resolve(name);
    Files.write(path, java.util.Arrays.copyOf(out.array(), out.position()));
    return path;
  }

  @Test
  void readsRowsByTheirNumber() throws IOException {
    MappedTexmexVectors f = MappedTexmexVectors.open(write("a.fvecs", TexmexLayout.FVECS, new int[] {3}, 5),
        TexmexLayout.FVECS);
    assertEquals(3, f.dimension());
    assertEquals(5, f.count());
    float[] v = new float[3];
    f.copy(4, v);
    assertArrayEquals(new float[] {40.5f, 41.5f, 42.5f}, v);
    MappedTexmexVectors b = MappedTexmexVectors.open(write("a.bvecs", TexmexLayout.BVECS, new int[] {3}, 2),
        TexmexLayout.BVECS);
    b.copy(1, v);
    assertArrayEquals(new float[] {200, 201, 202}, v, "bytes are unsigned");
    IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> f.copy(5, v));
    assertTrue(past.getMessage().contains("id 5") && past.getMessage().contains("a.fvecs"), past.getMessage());
  }

  @Test
  void refusesMixedDimensionsAndMissingFilesNamingThem() throws IOException {
    Path mixed = write("mixed.fvecs", TexmexLayout.FVECS, new int[] {2, 2, 4, 0}, 4);
    MappedTexmexVectors v = MappedTexmexVectors.open(mixed, TexmexLayout.FVECS);
    InvalidInputException bad = assertThrows(InvalidInputException.class, () -> v.copy(2, new float[2]));
    assertTrue(bad.getMessage().contains(mixed + " row 2 has dimension 4"), bad.getMessage());
    Path ragged = write("ragged.fvecs", TexmexLayout.FVECS, new int[] {2, 3}, 2);
    InvalidInputException length = assertThrows(InvalidInputException.class,
        () -> MappedTexmexVectors.open(ragged, TexmexLayout.FVECS));
    assertTrue(length.getMessage().contains("not a whole number"), length.getMessage());
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> MappedTexmexVectors.open(dir.resolve("none.fvecs"), TexmexLayout.FVECS));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
  }
}
