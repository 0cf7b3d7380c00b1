package dev.netc.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.netc.runtime.Tensor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an ONNX model in ONNX Runtime (its Java API, CPU, one thread) on float inputs. */
final class Ort {
  private Ort() {}

  /** The model's outputs by name, in the model's order. */
  static Map<String, Tensor> run(byte[] model, Map<String, Tensor> inputs) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      opts.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, opts)) {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
          for (var e : inputs.entrySet()) {
            long[] shape = Arrays.stream(e.getValue().shape().dims()).asLongStream().toArray();
            feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().data()), shape));
          }
          try (OrtSession.Result r = session.run(feeds)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : r) {
              OnnxTensor t = (OnnxTensor) e.getValue();
              int[] dims = Arrays.stream(t.getInfo().getShape()).mapToInt(Math::toIntExact).toArray();
              FloatBuffer fb = t.getFloatBuffer();
              float[] data = new float[fb.remaining()];
              fb.get(data);
              out.put(e.getKey(), Tensor.of(data, dims));
            }
            return out;
          }
        } finally {
          feeds.values().forEach(OnnxTensor::close);
        }
      }
    } catch (OrtException e) {
      throw new AssertionError("ONNX Runtime: " + e.getMessage(), e);
    }
  }
}
