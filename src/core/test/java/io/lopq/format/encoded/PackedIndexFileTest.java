package io.lopq.format.encoded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lopq.encode.BatchEncoder;
import io.lopq.encode.EncodedBatch;
import io.lopq.format.vectors.InvalidInputException;
import io.lopq.model.LopqModel;
import io.lopq.model.RandomModels;
import io.lopq.search.CompactIndex;
import io.lopq.search.SearchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packed index round-trips exactly, and a bad file is refused naming it. */
class PackedIndexFileTest {
  private static final int D = 16;
  private static final int N = 2500;

  @TempDir Path dir;

  private final LopqModel model = RandomModels.create(new Random(1), D, 8, 4, 32, 2.0, 1.0);

  private CompactIndex index(int n) {
    float[] vectors = RandomModels.clusteredVectors(new Random(2), model, n, 1.0);
    EncodedBatch codes = new BatchEncoder(model).encode(vectors, n);
    CompactIndex.Builder builder = CompactIndex.builder(model, n);
    for (int i = 0; i < n; i++) {
      builder.add(1_000_000_007L * i, codes.coarse(0, i), codes.coarse(1, i), codes.fineArray(), codes.fineOffset(i));
    }
    return builder.build();
  }

  @Test
  void roundTripsEveryArrayAndTheSearchResults() throws IOException {
    for (int n : new int[] {N, 1, 0}) {
      CompactIndex index = index(n);
      Path file = dir.resolve("index-" + n + PackedIndexFile.EXTENSION);
      long bytes = PackedIndexFile.write(index, file);
      assertEquals(Files.size(file), bytes);
      assertTrue(PackedIndexFile.isPacked(file));
      assertFalse(Files.exists(dir.resolve(file.getFileName() + ".tmp")), "no temporary file is left");
      CompactIndex read = PackedIndexFile.read(file, model);
      assertArrayEquals(index.cellKeyArray(), read.cellKeyArray());
      assertArrayEquals(index.cellStartArray(), read.cellStartArray());
      assertArrayEquals(index.idArray(), read.idArray());
      assertArrayEquals(index.codeArray(), read.codeArray());
      float[] query = RandomModels.clusteredVectors(new Random(3), model, 1, 1.0);
      assertEquals(index.search(query, SearchOptions.of(10, 200)), read.search(query, SearchOptions.of(10, 200)));
    }
  }

  @Test
  void refusesAnotherModelATruncatedFileAndAFileThatIsNotOne() throws IOException {
    Path file = dir.resolve("index" + PackedIndexFile.EXTENSION);
    PackedIndexFile.write(index(N), file);

    LopqModel other = RandomModels.create(new Random(9), D, 8, 4, 32, 2.0, 1.0);
    InvalidInputException wrongModel = assertThrows(InvalidInputException.class, () -> PackedIndexFile.read(file, other));
    assertTrue(wrongModel.getMessage().contains(file.toString()) && wrongModel.getMessage().contains(other.fingerprint()),
        wrongModel.getMessage());
    LopqModel otherShape = RandomModels.create(new Random(9), D, 4, 4, 32, 2.0, 1.0);
    InvalidInputException wrongShape = assertThrows(InvalidInputException.class,
        () -> PackedIndexFile.read(file, otherShape));
    assertTrue(wrongShape.getMessage().contains("D,V,M,K=16,8,4,32"), wrongShape.getMessage());

    byte[] whole = Files.readAllBytes(file);
    Path truncated = dir.resolve("truncated" + PackedIndexFile.EXTENSION);
    Files.write(truncated, Arrays.copyOf(whole, whole.length - 5));
    InvalidInputException cut = assertThrows(InvalidInputException.class, () -> PackedIndexFile.read(truncated, model));
    assertTrue(cut.getMessage().contains(truncated.toString()) && cut.getMessage().contains("truncated"),
        cut.getMessage());

    Path notOne = dir.resolve("vectors.fvecs");
    Files.write(notOne, new byte[64]);
    assertFalse(PackedIndexFile.isPacked(notOne));
    InvalidInputException magic = assertThrows(InvalidInputException.class, () -> PackedIndexFile.read(notOne, model));
    assertTrue(magic.getMessage().contains("not a packed LOPQ index"), magic.getMessage());

    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> PackedIndexFile.read(dir.resolve("missing"), model));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

    byte[] corrupt = whole.clone();
    int header = (44 + model.fingerprint().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 7) / 8 * 8;
    corrupt[header + Long.BYTES - 1] = (byte) 0x7f; // the first cell key's high byte: outside [0, V^2)
    Path bad = dir.resolve("corrupt" + PackedIndexFile.EXTENSION);
    Files.write(bad, corrupt);
    InvalidInputException inconsistent = assertThrows(InvalidInputException.class, () -> PackedIndexFile.read(bad, model));
    assertTrue(inconsistent.getMessage().contains(bad.toString()), inconsistent.getMessage());
  }
}
