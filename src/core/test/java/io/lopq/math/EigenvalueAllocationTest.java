package io.lopq.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EigenvalueAllocationTest {

  private static double[] geometric(int n, double first, double ratio) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = first * Math.pow(ratio, i);
    }
    return values;
  }

  private static double spread(double[] sums) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double s : sums) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    return max - min;
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  @Test
  void isAPermutationWithExactlyNOverSPerSubspace() {
    for (int subspaces : new int[] {1, 2, 4, 8}) {
      int n = 32;
      int[] order = EigenvalueAllocation.allocate(geometric(n, 50, 0.8), subspaces);
      assertEquals(n, order.length);
      boolean[] seen = new boolean[n];
      for (int index : order) {
        assertTrue(index >= 0 && index < n && !seen[index], "not a permutation: " + index);
        seen[index] = true;
      }
      // Positions are grouped by subspace, and within a subspace in decreasing eigenvalue order.
      int size = n / subspaces;
      for (int s = 0; s < subspaces; s++) {
        for (int p = s * size + 1; p < (s + 1) * size; p++) {
          assertTrue(order[p] > order[p - 1], "subspace " + s + " is not in eigenvalue order");
        }
      }
    }
  }

  @Test
  void balancesLogProductsBetterThanIdentityOrderOnSkewedEigenvalues() {
    int n = 32;
    int subspaces = 4;
    for (double scale : new double[] {1e-6, 1.0, 1e6}) {
      double[] values = geometric(n, scale, 0.7);
      int[] order = EigenvalueAllocation.allocate(values, subspaces);
      double allocated = spread(EigenvalueAllocation.subspaceLogProducts(values, order, subspaces));
      double plain = spread(EigenvalueAllocation.subspaceLogProducts(values, identity(n), subspaces));
      assertTrue(allocated < plain / 4, "scale " + scale + ": allocated spread " + allocated
          + " vs identity order " + plain);
    }
  }

  @Test
  void doesNotDependOnTheScaleOfTheData() {
    double[] values = geometric(16, 3, 0.6);
    double[] scaled = values.clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= 1e-5;
    }
    assertArrayEquals(EigenvalueAllocation.allocate(values, 4), EigenvalueAllocation.allocate(scaled, 4));
  }

  @Test
  void equalEigenvaluesAndZerosGoRoundRobin() {
    assertArrayEquals(new int[] {0, 2, 1, 3}, EigenvalueAllocation.allocate(new double[] {1, 1, 1, 1}, 2));
    assertArrayEquals(new int[] {0, 2, 1, 3}, EigenvalueAllocation.allocate(new double[] {0, 0, 0, -1e-17}, 2));
  }

  @Test
  void rejectsBadInput() {
    IllegalArgumentException divide = assertThrows(IllegalArgumentException.class,
        () -> EigenvalueAllocation.allocate(new double[6], 4));
    assertTrue(divide.getMessage().contains("(6)") && divide.getMessage().contains("(4)"), divide.getMessage());
    IllegalArgumentException unsorted = assertThrows(IllegalArgumentException.class,
        () -> EigenvalueAllocation.allocate(new double[] {1, 2}, 1));
    assertTrue(unsorted.getMessage().contains("descending"), unsorted.getMessage());
  }
}
