package io.lopq.search;

import java.util.Arrays;
import java.util.Objects;

/**
 * The multi-sequence algorithm of the inverted multi-index (Babenko &amp; Lempitsky, CVPR 2012):
 * visits the cells {@code (i, j)} in non-decreasing order of {@code d0(i) + d1(j)}, each exactly
 * once, without scoring all V^2 cells.
 *
 * <pre>
 *   o0, o1 = indices sorted by d0, d1 (ties by index; produced lazily from a heap, as far as read)
 *   frontier = { (0,0) }                       a priority queue keyed by d0(o0[a]) + d1(o1[b])
 *   pop (a,b), visit cell (o0[a], o1[b]), then push
 *     (a+1, b)  if b == 0 or (a+1, b-1) was popped
 *     (a, b+1)  if a == 0 or (a-1, b+1) was popped
 * </pre>
 *
 * A cell is pushed only after its left and upper neighbours in (a, b) were popped, so the popped
 * cells form a staircase: row {@code a} has popped exactly {@code b < popped[a]}. That makes the
 * "was popped" test an O(1) look-up in O(V) memory (no V^2 bitset), and the frontier never holds
 * more than V entries. Equal sums pop in (a, b) order, so the sequence is deterministic.
 *
 * <p>Reusable for many queries ({@link #start}); not thread-safe.
 */
public final class MultiSequence {
  /** How many items a cell holds. */
  @FunctionalInterface
  public interface CellSize {
    /** Items in cell {@code (c0, c1)}. */
    long size(int c0, int c1);
  }

  /** Receives the visited cells in order. */
  @FunctionalInterface
  public interface CellVisitor {
    /** Called once per visited cell, with {@code d0(c0) + d1(c1)}. */
    void visit(int c0, int c1, double distance);
  }

  private static final long LOW_INT_MASK = 0xFFFFFFFFL;
  private static final int SIGN_MASK = 0x7FFFFFFF;

  private final int clusters;
  private final long[] heap0;
  private final long[] heap1;
  private final int[] heapSizes = new int[2];
  private final int[] sortedCounts = new int[2];
  private final float[] d0;
  private final float[] d1;
  private final int[] order0;
  private final int[] order1;
  private final float[] sorted0;
  private final float[] sorted1;
  private final int[] popped;
  private final int[] heapA;
  private final int[] heapB;
  private final double[] heapKey;
  private int heapSize;
  private int currentA;
  private int currentB;
  private double currentDistance;
  private long visitedCells;
  private boolean started;

  /** Scratch for V coarse clusters per half. */
  public MultiSequence(int coarseClusters) {
    if (coarseClusters < 1) {
      throw new IllegalArgumentException("coarse clusters V must be >= 1, got " + coarseClusters);
    }
    this.clusters = coarseClusters;
    this.heap0 = new long[coarseClusters];
    this.heap1 = new long[coarseClusters];
    this.d0 = new float[coarseClusters];
    this.d1 = new float[coarseClusters];
    this.order0 = new int[coarseClusters];
    this.order1 = new int[coarseClusters];
    this.sorted0 = new float[coarseClusters];
    this.sorted1 = new float[coarseClusters];
    this.popped = new int[coarseClusters];
    this.heapA = new int[coarseClusters + 1];
    this.heapB = new int[coarseClusters + 1];
    this.heapKey = new double[coarseClusters + 1];
  }

  /** V. */
  public int coarseClusters() {
    return clusters;
  }

  /**
   * Starts a new sequence for a query's coarse distances (both of length V, finite).
   *
   * @throws IllegalArgumentException on a wrong length or a NaN
   */
  public void start(float[] d0, float[] d1) {
    prepare(d0, this.d0, heap0, 0);
    prepare(d1, this.d1, heap1, 1);
    Arrays.fill(popped, 0);
    heapSize = 0;
    visitedCells = 0;
    push(0, 0);
    started = true;
  }

  /**
   * Advances to the next cell.
   *
   * @return false once all V^2 cells were visited
   */
  public boolean next() {
    if (!started) {
      throw new IllegalStateException("call start(d0, d1) first");
    }
    if (heapSize == 0) {
      return false;
    }
    int a = heapA[0];
    int b = heapB[0];
    currentDistance = heapKey[0];
    heapSize--;
    if (heapSize > 0) {
      heapA[0] = heapA[heapSize];
      heapB[0] = heapB[heapSize];
      heapKey[0] = heapKey[heapSize];
      siftDown(0);
    }
    currentA = a;
    currentB = b;
    popped[a] = b + 1;
    visitedCells++;
    if (a + 1 < clusters && (b == 0 || popped[a + 1] >= b)) {
      push(a + 1, b);
    }
    if (b + 1 < clusters && (a == 0 || popped[a - 1] >= b + 2)) {
      push(a, b + 1);
    }
    return true;
  }

  /** First-half coarse index of the current cell. */
  public int cell0() {
    return order0[currentA];
  }

  /** Second-half coarse index of the current cell. */
  public int cell1() {
    return order1[currentB];
  }

  /** {@code d0(cell0) + d1(cell1)} of the current cell. */
  public double distance() {
    return currentDistance;
  }

  /** Cells visited since {@link #start}. */
  public long visitedCells() {
    return visitedCells;
  }

  /**
   * Visits cells in order until they hold at least {@code minCandidates} items, or
   * {@code maxCells} cells were visited, or every cell was.
   *
   * @return the number of items in the visited cells
   */
  public long traverse(float[] d0, float[] d1, CellSize sizes, long minCandidates, long maxCells,
      CellVisitor visitor) {
    Objects.requireNonNull(sizes, "sizes");
    Objects.requireNonNull(visitor, "visitor");
    if (maxCells < 1) {
      throw new IllegalArgumentException("cell budget must be >= 1, got " + maxCells);
    }
    start(d0, d1);
    long candidates = 0;
    while (candidates < minCandidates && visitedCells < maxCells && next()) {
      int c0 = cell0();
      int c1 = cell1();
      candidates += sizes.size(c0, c1);
      visitor.visit(c0, c1, currentDistance);
    }
    return candidates;
  }

  /**
   * Copies half {@code half}'s distances and makes a min-heap of their sort keys (value, then
   * index): the order is produced lazily ({@link #sortedUpTo}), since a query's sequence reads only
   * the first tens to hundreds of the V positions of each half; sorting all V of both halves was a
   * large part of routing a query.
   */
  private void prepare(float[] d, float[] copy, long[] heap, int half) {
    Objects.requireNonNull(d, "coarse distances");
    if (d.length != clusters) {
      throw new IllegalArgumentException("coarse distances of half " + half + " have length " + d.length
          + ", expected V=" + clusters);
    }
    for (int i = 0; i < clusters; i++) {
      if (Float.isNaN(d[i])) {
        throw new IllegalArgumentException("coarse distance " + i + " of half " + half + " is NaN");
      }
      heap[i] = ((long) sortableBits(d[i]) << Integer.SIZE) | i;
    }
    System.arraycopy(d, 0, copy, 0, clusters);
    for (int i = clusters / 2 - 1; i >= 0; i--) {
      siftDownKey(heap, clusters, i);
    }
    heapSizes[half] = clusters;
    sortedCounts[half] = 0;
  }

  /** Makes positions {@code 0 .. position} of half {@code half}'s order known (popping the heap). */
  private void sortedUpTo(int half, int position) {
    int count = sortedCounts[half];
    if (position < count) {
      return;
    }
    long[] heap = half == 0 ? heap0 : heap1;
    int[] order = half == 0 ? order0 : order1;
    float[] sorted = half == 0 ? sorted0 : sorted1;
    float[] d = half == 0 ? d0 : d1;
    int size = heapSizes[half];
    while (count <= position) {
      long key = heap[0];
      size--;
      heap[0] = heap[size];
      siftDownKey(heap, size, 0);
      int index = (int) (key & LOW_INT_MASK);
      order[count] = index;
      sorted[count] = d[index];
      count++;
    }
    heapSizes[half] = size;
    sortedCounts[half] = count;
  }

  private static void siftDownKey(long[] heap, int size, int i) {
    long key = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= key) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = key;
  }

  /** Float bits as an int whose signed order is the float order (also for negative values). */
  private static int sortableBits(float value) {
    int bits = Float.floatToIntBits(value == 0f ? 0f : value);
    return bits ^ ((bits >> (Integer.SIZE - 1)) & SIGN_MASK);
  }

  private void push(int a, int b) {
    sortedUpTo(0, a);
    sortedUpTo(1, b);
    int i = heapSize++;
    heapA[i] = a;
    heapB[i] = b;
    heapKey[i] = (double) sorted0[a] + sorted1[b];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(i, parent)) {
        break;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int left = 2 * i + 1;
      if (left >= heapSize) {
        return;
      }
      int smallest = left;
      if (left + 1 < heapSize && less(left + 1, left)) {
        smallest = left + 1;
      }
      if (!less(smallest, i)) {
        return;
      }
      swap(i, smallest);
      i = smallest;
    }
  }

  private boolean less(int i, int j) {
    if (heapKey[i] != heapKey[j]) {
      return heapKey[i] < heapKey[j];
    }
    return heapA[i] != heapA[j] ? heapA[i] < heapA[j] : heapB[i] < heapB[j];
  }

  private void swap(int i, int j) {
    int a = heapA[i];
    heapA[i] = heapA[j];
    heapA[j] = a;
    int b = heapB[i];
    heapB[i] = heapB[j];
    heapB[j] = b;
    double key = heapKey[i];
    heapKey[i] = heapKey[j];
    heapKey[j] = key;
  }
}
