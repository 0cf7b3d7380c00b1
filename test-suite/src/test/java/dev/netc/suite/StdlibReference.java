package dev.netc.suite;

import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The torchvision counts of {@code test-suite/reference/torchvision_counts.json}: per model the input shape, exact
 * parameter, buffer and MAC totals (MACs of convolutions and linear layers, batch 1), and every convolution and
 * linear layer with torchvision's module name, output shape, parameters and MACs.
 */
record StdlibReference(String name, List<Integer> inputShape, List<Integer> outputShape, long params, long buffers,
    long macs, List<Layer> layers) {

  /** One Conv2d or Linear module; {@code outputShape} is without the batch dimension. */
  record Layer(String name, String type, List<Integer> outputShape, long params, long macs) {}

  static List<StdlibReference> load() throws IOException {
    Path file = Repo.reference().resolve("torchvision_counts.json");
    Map<String, Object> root = Json.parseObject(Files.readString(file));
    return list(root.get("models")).stream().map(m -> model(map(m))).toList();
  }

  private static StdlibReference model(Map<String, Object> m) {
    List<Layer> layers = list(m.get("layers")).stream().map(o -> {
      Map<String, Object> l = map(o);
      return new Layer((String) l.get("name"), (String) l.get("type"), withoutBatch(l.get("out")),
          (Long) l.get("params"), (Long) l.get("macs"));
    }).toList();
    return new StdlibReference((String) m.get("model"), withoutBatch(m.get("input_shape")),
        withoutBatch(m.get("output_shape")), (Long) m.get("params"), (Long) m.get("buffers"), (Long) m.get("macs"),
        layers);
  }

  /** The JSON's shapes are batch first with batch 1; the compiler's shapes leave the batch out. */
  private static List<Integer> withoutBatch(Object shape) {
    List<Object> dims = list(shape);
    if (!dims.getFirst().equals(1L)) throw new IllegalStateException("expected batch 1 in " + dims);
    return dims.subList(1, dims.size()).stream().map(d -> Math.toIntExact((Long) d)).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) { return (List<Object>) o; }
}
