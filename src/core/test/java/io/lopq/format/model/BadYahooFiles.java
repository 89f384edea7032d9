package io.lopq.format.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.lopq.model.LopqModel;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** Broken Yahoo LOPQ protobuf files made from a good model, for tests of the messages they cause. */
public final class BadYahooFiles {
  /** Field numbers of {@code LOPQModelParams} that the broken files touch. */
  private static final int FIELD_D = YahooLopqProtobuf.FIELD_D;
  private static final int FIELD_RS = YahooLopqProtobuf.FIELD_RS;

  private BadYahooFiles() {}

  /** The model's bytes without their last {@code missing} bytes. */
  public static byte[] truncated(LopqModel model, int missing) {
    byte[] bytes = YahooLopqProtobuf.toBytes(model);
    return Arrays.copyOf(bytes, bytes.length - missing);
  }

  /** The model's bytes with D written as a length-delimited field instead of a varint. */
  public static byte[] wrongWireTypeForD(LopqModel model) throws IOException {
    UnknownFieldSet ours = UnknownFieldSet.parseFrom(YahooLopqProtobuf.toBytes(model));
    UnknownFieldSet.Field asBytes = UnknownFieldSet.Field.newBuilder()
        .addLengthDelimited(ByteString.copyFrom(new byte[] {(byte) model.dimension()})).build();
    return UnknownFieldSet.newBuilder(ours).clearField(FIELD_D).addField(FIELD_D, asBytes).build().toByteArray();
  }

  /** The model's bytes without the last rotation matrix: {@code Rs} holds 2V - 1 matrices. */
  public static byte[] missingRotation(LopqModel model) throws IOException {
    return withoutLastRecords(model, FIELD_RS, 1);
  }

  /** The model's bytes without the last {@code count} records of repeated message field {@code field}. */
  public static byte[] withoutLastRecords(LopqModel model, int field, int count) throws IOException {
    UnknownFieldSet ours = UnknownFieldSet.parseFrom(YahooLopqProtobuf.toBytes(model));
    List<ByteString> records = ours.getField(field).getLengthDelimitedList();
    UnknownFieldSet.Field.Builder kept = UnknownFieldSet.Field.newBuilder();
    for (ByteString record : records.subList(0, records.size() - count)) {
      kept.addLengthDelimited(record);
    }
    return UnknownFieldSet.newBuilder(ours).clearField(field).addField(field, kept.build()).build().toByteArray();
  }
}
