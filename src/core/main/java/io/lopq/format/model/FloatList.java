package io.lopq.format.model;

import java.util.Arrays;

/** A growable list of primitive floats, for repeated protobuf fields whose count is not known up front. */
final class FloatList {
  private static final int INITIAL_CAPACITY = 16;
  private float[] values = new float[INITIAL_CAPACITY];
  private int size;

  /** Appends one value. */
  void add(float value) {
    reserve(1);
    values[size++] = value;
  }

  /** Makes room for {@code extra} more values without further growth. */
  void reserve(int extra) {
    long needed = (long) size + extra;
    if (needed > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many values for one array: " + needed);
    }
    if (needed > values.length) {
      long grown = Math.max(needed, Math.min((long) values.length * 2, Integer.MAX_VALUE - 8));
      values = Arrays.copyOf(values, (int) grown);
    }
  }

  /** Number of values. */
  int size() {
    return size;
  }

  /** The values as an array of exactly {@link #size()} elements. */
  float[] toArray() {
    return values.length == size ? values : Arrays.copyOf(values, size);
  }
}
