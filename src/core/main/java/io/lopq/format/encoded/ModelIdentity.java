package io.lopq.format.encoded;

import io.lopq.model.LopqModel;
import java.io.Serializable;
import java.util.Objects;

/**
 * The model an encoded dataset was written with, as its manifest and every Parquet file record
 * it: the fingerprint ({@link LopqModel#fingerprint()}, a hash of the arrays) and the shape
 * D, V, M, K. Codes are only meaningful with the very model that produced them, so readers
 * compare fingerprints; the shape makes messages readable.
 *
 * @param fingerprint the model's content hash
 * @param dimension D, the dimension of the vectors encoded
 * @param coarseClusters V, coarse clusters per half
 * @param subquantizers M, fine codes per row
 * @param subquantizerClusters K, clusters per subquantizer
 */
public record ModelIdentity(String fingerprint, int dimension, int coarseClusters, int subquantizers,
    int subquantizerClusters) implements Serializable {

  /**
   * A model identity.
   *
   * @throws IllegalArgumentException if D, V, M, K are not valid model parameters
   */
  public ModelIdentity {
    Objects.requireNonNull(fingerprint, "fingerprint");
    LopqModel.checkParameters(dimension, coarseClusters, subquantizers, subquantizerClusters);
  }

  /** The identity of {@code model}. */
  public static ModelIdentity of(LopqModel model) {
    return new ModelIdentity(model.fingerprint(), model.dimension(), model.coarseClusters(), model.subquantizers(),
        model.subquantizerClusters());
  }

  /** True if {@code model} is this model (same fingerprint). */
  public boolean matches(LopqModel model) {
    return fingerprint.equals(model.fingerprint());
  }

  /** The shape as written in the files' metadata: {@code D,V,M,K}, e.g. {@code 784,64,8,256}. */
  public String shape() {
    return dimension + "," + coarseClusters + "," + subquantizers + "," + subquantizerClusters;
  }

  /** For messages: {@code FINGERPRINT (D,V,M,K=784,64,8,256)}. */
  @Override
  public String toString() {
    return fingerprint + " (D,V,M,K=" + shape() + ")";
  }
}
