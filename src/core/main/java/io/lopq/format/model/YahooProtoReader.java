package io.lopq.format.model;

import static io.lopq.format.model.YahooLopqProtobuf.FIELD_CS;
import static io.lopq.format.model.YahooLopqProtobuf.FIELD_D;
import static io.lopq.format.model.YahooLopqProtobuf.FIELD_K;
import static io.lopq.format.model.YahooLopqProtobuf.FIELD_M;
import static io.lopq.format.model.YahooLopqProtobuf.FIELD_MUS;
import static io.lopq.format.model.YahooLopqProtobuf.FIELD_RS;
import static io.lopq.format.model.YahooLopqProtobuf.FIELD_SUBS;
import static io.lopq.format.model.YahooLopqProtobuf.FIELD_V;
import static io.lopq.format.model.YahooLopqProtobuf.MATRIX_SHAPE;
import static io.lopq.format.model.YahooLopqProtobuf.MATRIX_VALUES;
import static io.lopq.format.model.YahooLopqProtobuf.VECTOR_VALUES;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.lopq.format.model.ModelFormatException.Problem;
import io.lopq.model.LopqModel;
import io.lopq.model.ModelMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses Yahoo LOPQ's {@code LOPQModelParams} message with a bare {@link CodedInputStream} (no
 * generated code), then checks every count and shape against D, V, M and K.
 *
 * <p>Accepts repeated floats and uint32s both packed and unpacked (protobuf parsers must), fields in
 * any order, and skips unknown fields. Messages name the field, what was found and what was
 * expected, e.g. {@code Rs has 127 matrices, expected 2V = 128}.
 */
final class YahooProtoReader {
  /** A parsed {@code Matrix} (or {@code Vector}, with an empty shape). */
  private record Matrix(float[] values, int[] shape) {
  }

  /** The largest Java array this reader allocates. */
  private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
  /**
   * At most this many values are allocated ahead on a packed field's length alone: a corrupt
   * length then fails on the missing bytes instead of on a huge allocation.
   */
  private static final int MAX_RESERVED_VALUES = 1 << 20;

  private final String path;
  private Integer dimension;
  private Integer coarseClusters;
  private Integer subquantizers;
  private Integer subquantizerClusters;
  private final List<Matrix> cs = new ArrayList<>();
  private final List<Matrix> rs = new ArrayList<>();
  private final List<Matrix> mus = new ArrayList<>();
  private final List<Matrix> subs = new ArrayList<>();
  private boolean sawKnownField;

  private YahooProtoReader(String path) {
    this.path = path;
  }

  /**
   * Reads one message from {@code in} and builds the model.
   *
   * @param path the source's name for messages, or {@code null}
   */
  static LopqModel read(CodedInputStream in, String path, ModelMetadata metadata) throws IOException {
    YahooProtoReader reader = new YahooProtoReader(path);
    in.setSizeLimit(Integer.MAX_VALUE);
    try {
      reader.parse(in);
    } catch (InvalidProtocolBufferException e) {
      throw reader.error(Problem.MALFORMED, "not a valid protobuf message: " + e.getMessage(), e);
    }
    return reader.build(metadata);
  }

  private void parse(CodedInputStream in) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      switch (field) {
        case FIELD_D -> dimension = readUInt32(in, wireType, "D");
        case FIELD_V -> coarseClusters = readUInt32(in, wireType, "V");
        case FIELD_M -> subquantizers = readUInt32(in, wireType, "M");
        case FIELD_K -> subquantizerClusters = readUInt32(in, wireType, "num_subquantizers");
        case FIELD_CS -> cs.add(readMatrix(in, wireType, "Cs", cs.size(), MATRIX_VALUES, true));
        case FIELD_RS -> rs.add(readMatrix(in, wireType, "Rs", rs.size(), MATRIX_VALUES, true));
        case FIELD_MUS -> mus.add(readMatrix(in, wireType, "mus", mus.size(), VECTOR_VALUES, false));
        case FIELD_SUBS -> subs.add(readMatrix(in, wireType, "subs", subs.size(), MATRIX_VALUES, true));
        default -> skip(in, tag);
      }
      if (field >= FIELD_D && field <= FIELD_SUBS) {
        sawKnownField = true;
      }
    }
  }

  private void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw error(Problem.MALFORMED, "unexpected end-group tag for field " + WireFormat.getTagFieldNumber(tag));
    }
  }

  private int readUInt32(CodedInputStream in, int wireType, String name) throws IOException {
    expectWireType(wireType, WireFormat.WIRETYPE_VARINT, name);
    return in.readUInt32();
  }

  private Matrix readMatrix(CodedInputStream in, int wireType, String name, int index, int valuesField,
      boolean hasShape) throws IOException {
    String what = name + "[" + index + "]";
    expectWireType(wireType, WireFormat.WIRETYPE_LENGTH_DELIMITED, what);
    int length = in.readRawVarint32();
    int outer = in.pushLimit(length);
    FloatList values = new FloatList();
    List<Integer> shape = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      int type = WireFormat.getTagWireType(tag);
      if (field == valuesField) {
        readFloats(in, type, what + ".values", values);
      } else if (hasShape && field == MATRIX_SHAPE) {
        readUInt32s(in, type, what + ".shape", shape);
      } else {
        skip(in, tag);
      }
    }
    in.popLimit(outer);
    return new Matrix(values.toArray(), shape.stream().mapToInt(Integer::intValue).toArray());
  }

  private void readFloats(CodedInputStream in, int wireType, String what, FloatList values) throws IOException {
    if (wireType == WireFormat.WIRETYPE_FIXED32) {
      values.add(in.readFloat());
      return;
    }
    expectWireType(wireType, WireFormat.WIRETYPE_LENGTH_DELIMITED, what);
    int length = in.readRawVarint32();
    if (length % Float.BYTES != 0) {
      throw error(Problem.MALFORMED, what + " is a packed float field of " + length
          + " bytes, expected a multiple of " + Float.BYTES);
    }
    int outer = in.pushLimit(length);
    int count = length / Float.BYTES;
    values.reserve(Math.min(count, MAX_RESERVED_VALUES));
    for (int i = 0; i < count; i++) {
      values.add(in.readFloat());
    }
    in.popLimit(outer);
  }

  private void readUInt32s(CodedInputStream in, int wireType, String what, List<Integer> shape) throws IOException {
    if (wireType == WireFormat.WIRETYPE_VARINT) {
      shape.add(in.readUInt32());
      return;
    }
    expectWireType(wireType, WireFormat.WIRETYPE_LENGTH_DELIMITED, what);
    int outer = in.pushLimit(in.readRawVarint32());
    while (!in.isAtEnd()) {
      shape.add(in.readUInt32());
    }
    in.popLimit(outer);
  }

  private void expectWireType(int found, int expected, String what) throws ModelFormatException {
    if (found != expected) {
      throw error(Problem.MALFORMED, what + " has wire type " + found + ", expected " + expected
          + " (" + wireTypeName(expected) + ")");
    }
  }

  private static String wireTypeName(int wireType) {
    return switch (wireType) {
      case WireFormat.WIRETYPE_VARINT -> "varint";
      case WireFormat.WIRETYPE_FIXED32 -> "fixed32";
      case WireFormat.WIRETYPE_LENGTH_DELIMITED -> "length-delimited";
      default -> "wire type " + wireType;
    };
  }

  private LopqModel build(ModelMetadata metadata) throws ModelFormatException {
    if (!sawKnownField) {
      throw error(Problem.NOT_A_MODEL,
          "not a Yahoo LOPQ model: no LOPQModelParams field (D, V, M, num_subquantizers, Cs, Rs, mus, subs) found");
    }
    int d = require(dimension, "D", FIELD_D);
    int v = require(coarseClusters, "V", FIELD_V);
    int m = require(subquantizers, "M", FIELD_M);
    int k = require(subquantizerClusters, "num_subquantizers", FIELD_K);
    try {
      LopqModel.checkParameters(d, v, m, k);
    } catch (IllegalArgumentException e) {
      throw error(Problem.MALFORMED, "invalid model parameters (num_subquantizers is K): " + e.getMessage(), e);
    }
    int half = d / 2;
    int sub = d / m;
    int halves = LopqModel.HALVES;
    checkCount("Cs", cs, halves, "2 (one per half)");
    checkCount("Rs", rs, 2L * v, "2V = " + 2L * v);
    checkCount("mus", mus, 2L * v, "2V = " + 2L * v);
    checkCount("subs", subs, m, "M = " + m);
    // Every matrix is checked before anything is allocated from D and V, which the file gives.
    float[][] centroids = new float[halves][];
    float[][] clusterRotations = new float[2 * v][];
    float[][] clusterMeans = new float[2 * v][];
    for (int h = 0; h < halves; h++) {
      centroids[h] = checked("Cs[" + h + "]", cs.get(h), new int[] {v, half}, "V x D/2");
      for (int i = 0; i < v; i++) {
        int j = h * v + i;
        String cluster = " (half " + h + ", cluster " + i + ")";
        clusterRotations[j] = checked("Rs[" + j + "]" + cluster, rs.get(j), new int[] {half, half}, "D/2 x D/2");
        clusterMeans[j] = checked("mus[" + j + "]" + cluster, mus.get(j), null, "D/2", half);
      }
    }
    float[][] codebooks = new float[m][];
    for (int q = 0; q < m; q++) {
      codebooks[q] = checked("subs[" + q + "]", subs.get(q), new int[] {k, sub}, "K x D/M");
    }
    float[][] means = new float[halves][];
    float[][] rotations = new float[halves][];
    for (int h = 0; h < halves; h++) {
      means[h] = concatenate("residual means of half " + h, clusterMeans, h * v, v);
      rotations[h] = concatenate("rotations of half " + h, clusterRotations, h * v, v);
    }
    try {
      return new LopqModel(d, v, m, k, centroids, means, rotations, codebooks, metadata);
    } catch (IllegalArgumentException e) {
      throw error(Problem.MALFORMED, "the arrays do not form a valid model: " + e.getMessage(), e);
    }
  }

  /** Arrays {@code from .. from+count-1}, all of one length, one after the other in one array. */
  private float[] concatenate(String what, float[][] arrays, int from, int count) throws ModelFormatException {
    int each = arrays[from].length;
    long total = (long) count * each;
    if (total > MAX_ARRAY_LENGTH) {
      throw error(Problem.MALFORMED, what + " hold " + count + " x " + each + " = " + total
          + " values, more than one Java array can hold");
    }
    float[] joined = new float[(int) total];
    for (int i = 0; i < count; i++) {
      System.arraycopy(arrays[from + i], 0, joined, i * each, each);
    }
    return joined;
  }

  private int require(Integer value, String name, int field) throws ModelFormatException {
    if (value == null) {
      throw error(Problem.MALFORMED, "field " + name + " (" + field + ") is missing");
    }
    return value;
  }

  private void checkCount(String name, List<Matrix> list, long expected, String formula) throws ModelFormatException {
    if (list.size() != expected) {
      String kind = name.equals("mus") ? "vectors" : "matrices";
      throw error(Problem.SHAPE_MISMATCH, name + " has " + list.size() + " " + kind + ", expected " + formula);
    }
  }

  private float[] checked(String what, Matrix matrix, int[] shape, String formula) throws ModelFormatException {
    return checked(what, matrix, shape, formula, (long) shape[0] * shape[1]);
  }

  private float[] checked(String what, Matrix matrix, int[] shape, String formula, long count)
      throws ModelFormatException {
    if (shape != null && matrix.shape().length > 0 && !Arrays.equals(matrix.shape(), shape)) {
      throw error(Problem.SHAPE_MISMATCH, what + " has shape " + Arrays.toString(matrix.shape())
          + ", expected " + formula + " = " + Arrays.toString(shape));
    }
    float[] values = matrix.values();
    if (values.length != count) {
      throw error(Problem.SHAPE_MISMATCH, what + " has " + values.length + " values, expected " + formula
          + (shape == null ? "" : " = " + shape[0] + " x " + shape[1]) + " = " + count);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw error(Problem.MALFORMED, what + " has a non-finite value " + values[i] + " at index " + i
            + " (Yahoo's trainer leaves NaN residual means for clusters that received no points)");
      }
    }
    return values;
  }

  private ModelFormatException error(Problem problem, String detail) {
    return error(problem, detail, null);
  }

  private ModelFormatException error(Problem problem, String detail, Throwable cause) {
    return new ModelFormatException(problem, path, "Yahoo LOPQ protobuf: " + detail, cause);
  }
}
