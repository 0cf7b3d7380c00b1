package dev.netc.onnx;

import dev.netc.onnx.proto.OnnxProto.AttributeProto;
import dev.netc.onnx.proto.OnnxProto.AttributeProto.AttributeType;
import java.util.List;

/** Short constructors for ONNX node attributes. */
final class Attr {
  private Attr() {}

  static AttributeProto i(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
  }

  static AttributeProto f(String name, double v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF((float) v).build();
  }

  static AttributeProto s(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
        .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
  }

  static AttributeProto ints(String name, List<? extends Number> v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (Number x : v) b.addInts(x.longValue());
    return b.build();
  }

  static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (long x : v) b.addInts(x);
    return b.build();
  }
}
