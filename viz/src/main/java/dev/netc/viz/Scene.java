package dev.netc.viz;

import java.util.List;

/**
 * A picture after layout, in pixels with the origin top left: frames (clusters, outermost first), boxes with their
 * lines of text and fill, and wires (polylines from box to box) with the position of their label. SVG and PNG are
 * both drawn from it.
 */
public record Scene(double width, double height, String caption, List<Frame> frames, List<Placed> boxes,
    List<Wire> wires) {
  public Scene {
    frames = List.copyOf(frames);
    boxes = List.copyOf(boxes);
    wires = List.copyOf(wires);
  }

  /** A cluster's frame; {@code level} 0 for the outermost. */
  public record Frame(GraphView.Cluster cluster, double x, double y, double w, double h, int level) {}

  /** A box in place. */
  public record Placed(GraphView.Box box, List<String> lines, double x, double y, double w, double h, String fill,
      boolean dark) {}

  /** A tensor's route: at least two points; its label's box (zero size when unplaced). */
  public record Wire(GraphView.Link link, List<Point> points, double labelX, double labelY, double labelW,
      double labelH) {}

  /** A point. */
  public record Point(double x, double y) {}
}
