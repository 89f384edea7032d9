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

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.lopq.model.LopqModel;
import java.io.IOException;

/**
 * Writes a {@link LopqModel} as Yahoo LOPQ's {@code LOPQModelParams} message, field by field in
 * field-number order, float values packed (as the .proto declares them) and {@code shape} entries
 * unpacked (proto2's default for a repeated uint32 without {@code [packed = true]}).
 */
final class YahooProtoWriter {
  private YahooProtoWriter() {
  }

  static void write(LopqModel model, CodedOutputStream out) throws IOException {
    int v = model.coarseClusters();
    int half = model.halfDimension();
    int k = model.subquantizerClusters();
    int sub = model.subDimension();
    out.writeUInt32(FIELD_D, model.dimension());
    out.writeUInt32(FIELD_V, v);
    out.writeUInt32(FIELD_M, model.subquantizers());
    out.writeUInt32(FIELD_K, k);
    for (int h = 0; h < LopqModel.HALVES; h++) {
      writeMatrix(out, FIELD_CS, model.coarseCentroids(h), 0, v, half);
    }
    for (int h = 0; h < LopqModel.HALVES; h++) {
      for (int i = 0; i < v; i++) {
        writeMatrix(out, FIELD_RS, model.rotations(h), model.rotationOffset(i), half, half);
      }
    }
    for (int h = 0; h < LopqModel.HALVES; h++) {
      for (int i = 0; i < v; i++) {
        writeVector(out, model.residualMeans(h), i * half, half);
      }
    }
    for (int m = 0; m < model.subquantizers(); m++) {
      writeMatrix(out, FIELD_SUBS, model.codebook(m), 0, k, sub);
    }
    out.flush();
  }

  private static void writeMatrix(CodedOutputStream out, int field, float[] values, int from, int rows, int columns)
      throws IOException {
    int count = rows * columns;
    int size = packedFloatsSize(MATRIX_VALUES, count)
        + CodedOutputStream.computeUInt32Size(MATRIX_SHAPE, rows)
        + CodedOutputStream.computeUInt32Size(MATRIX_SHAPE, columns);
    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(size);
    writePackedFloats(out, MATRIX_VALUES, values, from, count);
    out.writeUInt32(MATRIX_SHAPE, rows);
    out.writeUInt32(MATRIX_SHAPE, columns);
  }

  private static void writeVector(CodedOutputStream out, float[] values, int from, int count) throws IOException {
    out.writeTag(FIELD_MUS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(packedFloatsSize(VECTOR_VALUES, count));
    writePackedFloats(out, VECTOR_VALUES, values, from, count);
  }

  private static int packedFloatsSize(int field, int count) {
    int bytes = count * Float.BYTES;
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(bytes) + bytes;
  }

  private static void writePackedFloats(CodedOutputStream out, int field, float[] values, int from, int count)
      throws IOException {
    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(count * Float.BYTES);
    for (int i = from; i < from + count; i++) {
      out.writeFloatNoTag(values[i]);
    }
  }
}
