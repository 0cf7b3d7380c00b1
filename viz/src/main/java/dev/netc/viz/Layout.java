package dev.netc.viz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.options.HierarchyHandling;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Lays a {@link GraphView} out with Eclipse ELK's layered algorithm (Sugiyama-style: layers top to bottom, few
 * crossings, orthogonal wires), clusters laid out together with their contents so that wires cross cluster borders
 * where they must. Pure Java: no program outside the JVM is run.
 */
public final class Layout {
  private Layout() {}

  static {
    LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
  }

  /** Room above a frame's contents for its title. */
  static final double FRAME_TITLE = 18;
  static final double CAPTION = 22;

  /** The view in place, boxes filled by the colouring; {@code caption} is drawn above it (empty: none). */
  public static Scene of(GraphView view, Coloring coloring, String caption) {
    Coloring.Palette palette = coloring.palette(view.boxes());
    ElkNode root = ElkGraphUtil.createGraph();
    root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    root.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
    root.setProperty(CoreOptions.HIERARCHY_HANDLING, HierarchyHandling.INCLUDE_CHILDREN);
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 22.0);
    root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 10.0);
    root.setProperty(CoreOptions.SPACING_NODE_NODE, 18.0);
    root.setProperty(CoreOptions.PADDING, new ElkPadding(12));
    Map<String, ElkNode> nodes = new HashMap<>();
    Map<ElkNode, GraphView.Cluster> frames = new HashMap<>();
    Map<String, List<String>> lines = new HashMap<>();
    add(view.root(), root, view, nodes, frames, lines, true);
    List<ElkEdge> edges = new ArrayList<>();
    for (GraphView.Link l : view.links()) {
      ElkEdge e = ElkGraphUtil.createSimpleEdge(nodes.get(l.from()), nodes.get(l.to()));
      ElkGraphUtil.updateContainment(e);
      ElkLabel label = ElkGraphUtil.createLabel(l.label(), e);
      label.setDimensions(Math.ceil(Text.width(l.label(), 9, false)) + 4, 12);
      label.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
      edges.add(e);
    }
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
    return scene(view, root, nodes, frames, lines, edges, palette, caption);
  }

  private static void add(GraphView.Cluster c, ElkNode parent, GraphView view, Map<String, ElkNode> nodes,
      Map<ElkNode, GraphView.Cluster> frames, Map<String, List<String>> lines, boolean top) {
    ElkNode container = parent;
    if (!top || !c.label().isEmpty()) {
      container = ElkGraphUtil.createNode(parent);
      container.setProperty(CoreOptions.PADDING, new ElkPadding(FRAME_TITLE + 6, 8, 8, 8));
      frames.put(container, c);
    }
    for (String id : c.boxes()) {
      ElkNode n = ElkGraphUtil.createNode(container);
      List<String> text = Text.lines(view.box(id));
      double[] size = Text.size(text);
      n.setDimensions(size[0], size[1]);
      nodes.put(id, n);
      lines.put(id, text);
    }
    for (GraphView.Cluster child : c.children()) add(child, container, view, nodes, frames, lines, false);
  }

  private static Scene scene(GraphView view, ElkNode root, Map<String, ElkNode> nodes,
      Map<ElkNode, GraphView.Cluster> frames, Map<String, List<String>> lines, List<ElkEdge> edges,
      Coloring.Palette palette, String caption) {
    double top = caption.isEmpty() ? 0 : CAPTION;
    List<Scene.Frame> fs = new ArrayList<>();
    collectFrames(root, frames, top, fs);
    List<Scene.Placed> placed = new ArrayList<>();
    for (GraphView.Box b : view.boxes()) {
      ElkNode n = nodes.get(b.id());
      double[] at = absolute(n);
      placed.add(new Scene.Placed(b, lines.get(b.id()), at[0], at[1] + top, n.getWidth(), n.getHeight(),
          palette.fill(b), palette.dark(b)));
    }
    List<Scene.Wire> wires = new ArrayList<>();
    for (int i = 0; i < edges.size(); i++) wires.add(wire(view.links().get(i), edges.get(i), top));
    // A narrow network (a chain of small boxes) must not cut its caption off.
    double width = Math.max(root.getWidth(), Math.ceil(Text.width(caption, 13, true)) + 24);
    return new Scene(width, root.getHeight() + top, caption, fs, placed, wires);
  }

  private static void collectFrames(ElkNode parent, Map<ElkNode, GraphView.Cluster> frames, double top,
      List<Scene.Frame> out) {
    for (ElkNode child : parent.getChildren()) {
      GraphView.Cluster c = frames.get(child);
      if (c == null) continue;
      double[] at = absolute(child);
      out.add(new Scene.Frame(c, at[0], at[1] + top, child.getWidth(), child.getHeight(), depth(child) - 1));
      collectFrames(child, frames, top, out);
    }
  }

  private static int depth(ElkNode n) {
    int d = 0;
    for (ElkNode p = n.getParent(); p != null; p = p.getParent()) d++;
    return d;
  }

  /** A node's position in root coordinates (ELK's are relative to the parent). */
  private static double[] absolute(ElkNode n) {
    double x = 0, y = 0;
    for (ElkNode p = n; p != null && p.getParent() != null; p = p.getParent()) {
      x += p.getX();
      y += p.getY();
    }
    return new double[] {x, y};
  }

  /** The edge's route in root coordinates (ELK's are relative to the edge's containing node). */
  private static Scene.Wire wire(GraphView.Link link, ElkEdge e, double top) {
    ElkNode container = e.getContainingNode();
    double[] off = container == null || container.getParent() == null ? new double[2] : absolute(container);
    List<Scene.Point> pts = new ArrayList<>();
    for (ElkEdgeSection s : e.getSections()) {
      pts.add(new Scene.Point(s.getStartX() + off[0], s.getStartY() + off[1] + top));
      s.getBendPoints().forEach(bp -> pts.add(new Scene.Point(bp.getX() + off[0], bp.getY() + off[1] + top)));
      pts.add(new Scene.Point(s.getEndX() + off[0], s.getEndY() + off[1] + top));
    }
    ElkLabel l = e.getLabels().isEmpty() ? null : e.getLabels().getFirst();
    if (l == null) return new Scene.Wire(link, pts, 0, 0, 0, 0);
    return new Scene.Wire(link, pts, l.getX() + off[0], l.getY() + off[1] + top, l.getWidth(), l.getHeight());
  }
}
