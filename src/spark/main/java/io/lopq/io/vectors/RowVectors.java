package io.lopq.io.vectors;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;

/**
 * Copies the value of a vector column of a Spark {@link org.apache.spark.sql.Row} into floats,
 * whatever external form Spark hands it in: a Scala {@code ArraySeq} wrapping a primitive
 * {@code float[]} or {@code double[]} (copied without boxing), any other Scala {@code Seq} or
 * Java {@code List} of numbers, a Java {@code float[]}/{@code double[]}, or a Spark ML
 * {@link Vector} (dense or sparse; sparse ones come out dense).
 *
 * <p>Note: Spark 4's generic {@code Row} deserializer hands an {@code array<float>} column over
 * as a {@code mutable.ArraySeq.ofRef} of boxed {@code Float}s; it is read without an iterator, but
 * the boxes are Spark's. A job that needs to avoid them can read the column with a typed encoder
 * (primitive {@code float[]}), which this class also accepts.
 */
public final class RowVectors {
  private RowVectors() {}

  /** The number of values in {@code value}. */
  public static int length(Object value) {
    if (value instanceof scala.collection.immutable.ArraySeq.ofFloat s) {
      return s.unsafeArray().length;
    } else if (value instanceof float[] a) {
      return a.length;
    } else if (value instanceof double[] a) {
      return a.length;
    } else if (value instanceof scala.collection.Seq<?> s) {
      return s.length();
    } else if (value instanceof List<?> l) {
      return l.size();
    } else if (value instanceof Vector v) {
      return v.size();
    }
    throw unsupported(value);
  }

  /** The values of {@code value} as a new float array. */
  public static float[] toFloats(Object value) {
    float[] out = new float[length(value)];
    copy(value, out, 0);
    return out;
  }

  /**
   * Copies all values of {@code value} into {@code dest} from {@code offset}.
   *
   * @return the number of values copied
   * @throws IllegalArgumentException if the value is null, holds a null element, or is of a type
   *     that is not a vector; the message completes a sentence like "row 3 of file:/x ..."
   */
  public static int copy(Object value, float[] dest, int offset) {
    if (value == null) {
      throw new IllegalArgumentException("has a null vector");
    } else if (value instanceof scala.collection.immutable.ArraySeq.ofFloat s) {
      float[] a = s.unsafeArray();
      System.arraycopy(a, 0, dest, offset, a.length);
      return a.length;
    } else if (value instanceof scala.collection.mutable.ArraySeq.ofFloat s) {
      float[] a = s.array();
      System.arraycopy(a, 0, dest, offset, a.length);
      return a.length;
    } else if (value instanceof float[] a) {
      System.arraycopy(a, 0, dest, offset, a.length);
      return a.length;
    } else if (value instanceof scala.collection.immutable.ArraySeq.ofDouble s) {
      return copyDoubles(s.unsafeArray(), dest, offset);
    } else if (value instanceof scala.collection.mutable.ArraySeq.ofDouble s) {
      return copyDoubles(s.array(), dest, offset);
    } else if (value instanceof double[] a) {
      return copyDoubles(a, dest, offset);
    } else if (value instanceof Vector v) {
      return copyDoubles(v.toArray(), dest, offset);
    } else if (value instanceof scala.collection.mutable.ArraySeq.ofRef<?> s) {
      return copyNumbers(s.array(), dest, offset);
    } else if (value instanceof scala.collection.Seq<?> s) {
      int i = 0;
      for (scala.collection.Iterator<?> it = s.iterator(); it.hasNext(); i++) {
        dest[offset + i] = number(it.next(), i);
      }
      return i;
    } else if (value instanceof List<?> l) {
      int i = 0;
      for (Object element : l) {
        dest[offset + i] = number(element, i);
        i++;
      }
      return i;
    }
    throw unsupported(value);
  }

  private static int copyDoubles(double[] a, float[] dest, int offset) {
    for (int i = 0; i < a.length; i++) {
      dest[offset + i] = (float) a[i];
    }
    return a.length;
  }

  private static int copyNumbers(Object[] a, float[] dest, int offset) {
    for (int i = 0; i < a.length; i++) {
      dest[offset + i] = number(a[i], i);
    }
    return a.length;
  }

  private static float number(Object element, int index) {
    if (element instanceof Number n) {
      return n.floatValue();
    }
    if (element == null) {
      throw new IllegalArgumentException("has a null value at index " + index);
    }
    throw new IllegalArgumentException(
        "has a non-numeric value of type " + element.getClass().getName() + " at index " + index);
  }

  private static IllegalArgumentException unsupported(Object value) {
    if (value == null) {
      return new IllegalArgumentException("has a null vector");
    }
    return new IllegalArgumentException("has a vector of unsupported type " + value.getClass().getName());
  }
}
