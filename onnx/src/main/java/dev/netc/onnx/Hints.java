package dev.netc.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a layer's label comes from: the PyTorch module path of its ONNX node. A weight initializer named like a
 * {@code state_dict} key ({@code features.3.expand1x1.weight}) gives it directly; otherwise the node's scoped
 * name does, as {@code torch.onnx.export} writes it ({@code /features/features.3/expand1x1/Conv}: each scope is a
 * module, named relative to its parent, the last part is the op).
 */
final class Hints {
  private Hints() {}

  static String of(NodeView n) {
    for (int i = 1; i < n.node.getInputCount(); i++) {
      String w = n.node.getInput(i);
      if (w.endsWith(".weight") && !w.startsWith("onnx::") && w.length() > ".weight".length()) {
        return w.substring(0, w.length() - ".weight".length());
      }
    }
    return modulePath(n.node.getName());
  }

  /**
   * {@code /features/features.1/conv/conv.0/conv.0.0/Conv} to {@code features.1.conv.0.0}; a name without the
   * leading slash is a layer path ({@code layer1.0.conv1}, or {@code encoder.self_attn/MatMul} for one of the
   * nodes netc writes for a layer); null for none.
   */
  static String modulePath(String nodeName) {
    if (nodeName.isEmpty()) return null;
    if (!nodeName.startsWith("/")) {
      int slash = nodeName.indexOf('/');
      return slash == 0 ? null : slash > 0 ? nodeName.substring(0, slash) : nodeName;
    }
    String[] parts = nodeName.substring(1).split("/");
    if (parts.length < 2) return null;
    List<String> path = new ArrayList<>();
    for (int i = 0; i < parts.length - 1; i++) {
      String seg = parts[i];
      if (seg.isEmpty()) continue;
      if (!path.isEmpty() && seg.startsWith(path.getLast() + ".")) path.set(path.size() - 1, seg);
      else path.add(seg);
    }
    return path.isEmpty() ? null : String.join(".", path);
  }

  /** A {@code .net} name for any text: letters, digits and underscores, not starting with a digit. */
  static String identifier(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
    }
    String out = b.toString().replaceAll("_+", "_");
    if (out.length() > 1 && out.endsWith("_")) out = out.substring(0, out.length() - 1);
    if (out.isEmpty() || out.equals("_")) return "t";
    return Character.isDigit(out.charAt(0)) ? "l" + out : out;
  }
}
