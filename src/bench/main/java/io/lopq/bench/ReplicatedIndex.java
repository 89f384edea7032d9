package io.lopq.bench;

import io.lopq.format.encoded.PackedIndexFile;
import io.lopq.io.model.ModelStore;
import io.lopq.model.LopqModel;
import io.lopq.search.CompactIndex;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A packed index R times the size of a real one, for measuring the online index's heap, load time
 * and latency at N the machine cannot synthesize and encode in time: every row of every cell is
 * repeated R times with new ids ({@code id + r * n}), so each cell holds R times its rows, as a
 * corpus R times larger from the same distribution would. Not for recall (the copies are exact
 * duplicates).
 *
 * <pre>
 *   ReplicatedIndex MODEL IN.lopqidx OUT.lopqidx R
 * </pre>
 */
public final class ReplicatedIndex {
  private ReplicatedIndex() {}

  /** Writes the replicated index. */
  public static void main(String[] args) throws Exception {
    LopqModel model = ModelStore.load(args[0]);
    CompactIndex in = PackedIndexFile.read(Path.of(args[1]), model);
    int r = Integer.parseInt(args[3]);
    int n = in.size();
    int m = model.subquantizers();
    long[] keys = in.cellKeyArray();
    int[] starts = in.cellStartArray();
    long[] ids = in.idArray();
    byte[] codes = in.codeArray();
    long[] outIds = new long[Math.multiplyExact(n, r)];
    byte[] outCodes = new byte[Math.multiplyExact(outIds.length, m)];
    int[] outStarts = new int[starts.length];
    int p = 0;
    for (int c = 0; c < keys.length; c++) {
      outStarts[c] = p;
      for (int copy = 0; copy < r; copy++) {
        for (int i = starts[c]; i < starts[c + 1]; i++, p++) {
          outIds[p] = ids[i] + (long) copy * n;
          System.arraycopy(codes, i * m, outCodes, p * m, m);
        }
      }
    }
    outStarts[keys.length] = p;
    in = null;
    CompactIndex out = new CompactIndex(model, keys.clone(), outStarts, outIds, outCodes);
    long bytes = PackedIndexFile.write(out, Path.of(args[2]));
    System.out.printf(Locale.ROOT, "wrote %s: %,d rows (%d x %,d) in %,d cells, %,d bytes%n", args[2], out.size(), r, n,
        out.nonEmptyCells(), bytes);
  }
}
