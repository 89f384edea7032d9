package io.lopq.spark.encode;

import java.io.Serializable;

/**
 * Splits the cells of a partition into contiguous ranges, one per output file, so that each file
 * covers a narrow cell range of about the same number of rows (a search that visits a few cells
 * then opens few files).
 *
 * <p>Cells are numbered in the order the files are sorted, {@code cell = coarse0 * V + coarse1},
 * and grouped into {@code B = min(}{@value #MAX_BINS}{@code , V^2)} equal bins of consecutive
 * cells. Given the rows per bin (a histogram from the encode stage), bin {@code b} goes to
 *
 * <pre>
 *   file(b) = min(F - 1, floor(F * rowsBefore(b) / totalRows))
 * </pre>
 *
 * which is non-decreasing in {@code b}: each file gets a contiguous range of cells.
 */
final class FileBuckets implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Largest number of histogram bins (a bin's count is a long: 32 KB per histogram). */
  static final int MAX_BINS = 4096;

  private final int coarseClusters;
  private final int bins;
  private final int files;
  private final int[] fileOfBin;

  private FileBuckets(int coarseClusters, int bins, int files, int[] fileOfBin) {
    this.coarseClusters = coarseClusters;
    this.bins = bins;
    this.files = files;
    this.fileOfBin = fileOfBin;
  }

  /** The number of histogram bins for {@code V} coarse clusters per half. */
  static int bins(int coarseClusters) {
    return (int) Math.min(MAX_BINS, (long) coarseClusters * coarseClusters);
  }

  /** The bin of cell {@code (coarse0, coarse1)}. */
  static int bin(int coarse0, int coarse1, int coarseClusters, int bins) {
    long cells = (long) coarseClusters * coarseClusters;
    long cell = (long) coarse0 * coarseClusters + coarse1;
    return (int) (cell * bins / cells);
  }

  /**
   * Balanced ranges for {@code files} files.
   *
   * @param histogram rows per bin, of length {@link #bins(int)}
   */
  static FileBuckets balanced(long[] histogram, int coarseClusters, int files) {
    int bins = bins(coarseClusters);
    if (histogram.length != bins || files < 1) {
      throw new IllegalArgumentException("need " + bins + " bins and at least one file, got " + histogram.length
          + " bins and " + files + " files");
    }
    long total = 0;
    for (long count : histogram) {
      total += count;
    }
    int[] fileOfBin = new int[bins];
    long before = 0;
    for (int b = 0; b < bins; b++) {
      fileOfBin[b] = total == 0 ? 0 : (int) Math.min(files - 1, (double) files * before / total);
      before += histogram[b];
    }
    return new FileBuckets(coarseClusters, bins, files, fileOfBin);
  }

  /** The number of files. */
  int files() {
    return files;
  }

  /** The file of cell {@code (coarse0, coarse1)}. */
  int fileOf(int coarse0, int coarse1) {
    return fileOfBin[bin(coarse0, coarse1, coarseClusters, bins)];
  }
}
