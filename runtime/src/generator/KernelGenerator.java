import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Writes the register-blocked vector micro-kernels of the convolution and depthwise plans (package
 * {@code dev.netc.runtime.kernels}) from one template per kernel family. Maven runs it in
 * {@code generate-sources} ({@code java KernelGenerator.java OUTPUT_DIR}, see the runtime pom); the
 * output lands in {@code target/generated-sources/kernels} and is compiled with the hand-written
 * sources. A file whose text is unchanged is not rewritten.
 *
 * <p>Why a generator: a micro-kernel is fast only as straight-line code in which every accumulator is
 * its own local variable, so that C2 keeps it in a register. Loops over pixels or vectors, arrays
 * of vectors, or a helper method per vector either spill or, where C2 runs out of its node budget
 * while inlining, box every vector on the heap. So each tile shape is written out in full, and the
 * copies differ only in the numbers this program varies: the vector width, pixels per tile, the
 * constant pixel distances, and the epilogue.
 *
 * <p>What to edit:
 * <ul>
 *   <li>a new activation fused into the epilogues in registers: one entry in {@link #FUSED};
 *       any other activation is applied after the store by {@code ActivationVector};</li>
 *   <li>a new vector width or tile shape: one entry in {@link #WIDTHS}; the dispatchers in
 *       {@code ConvStage}, {@code DepthwiseStage} and {@code PackedKernels} pick the width.</li>
 * </ul>
 */
public final class KernelGenerator {
  private static final String PACKAGE = "dev.netc.runtime.kernels";

  /**
   * An activation applied in registers before the store: the {@code Activation} constant, the
   * name of its kind constant, and the vector formula ({@code $} stands for the vector variable).
   */
  record Fused(String activation, String kind, String formula) {}

  /**
   * The activations the vector epilogues apply in registers, in the order of their kinds (from 1).
   * ReLU and ReLU6 are compares and blends with {@code Math.max}/{@code Math.min} semantics (NaN
   * stays NaN, -0 becomes +0, so the scalar twins agree bit for bit) without the vector max/min,
   * which C2 expands on AVX2 into five instructions and three temporaries each to get those
   * semantics (read with -XX:+PrintAssembly).
   */
  static final List<Fused> FUSED = List.of(
      new Fused("RELU", "RELU", "$.blend(0f, $.compare(VectorOperators.LE, 0f))"),
      new Fused("RELU6", "RELU6",
          "$.blend(0f, $.compare(VectorOperators.LE, 0f)).blend(6f, $.compare(VectorOperators.GT, 6f))"),
      new Fused("LEAKY_RELU", "LEAKY", "$.blend($.mul(e.alpha), $.compare(VectorOperators.LT, 0f))"));

  /**
   * One vector width and its tile shapes.
   *
   * @param bits      the vector size: a 16-channel block is {@code 512 / bits} vectors
   * @param convTiles pixels per direct-convolution tile, widest first (constant-step variants: the two widest,
   *                  or at 512 bits every tile of 4 pixels or more; a one-pixel tile always follows)
   * @param dwTiles   pixels per depthwise tile, widest first (single pixels always follow)
   * @param k3Pixels  output pixels per step of the 3-wide stride-1 depthwise kernel
   */
  record Width(int bits, List<Integer> convTiles, List<Integer> pairTiles, List<Integer> dwTiles, int k3Pixels) {
    int lanes() {
      return bits / 32;
    }

    /** Vectors per 16-channel block. */
    int vectors() {
      return 16 / lanes();
    }

    int widestConvTile() {
      return convTiles.get(0);
    }
  }

  /**
   * The widths generated. 256 bits: 5 x 2 conv tiles (10 accumulators, 2 weight vectors and one
   * broadcast: 13 of AVX2's 16 registers). On a Zen 3 host (AVX2), one thread, {@code ConvBench}
   * in sample mode, medians of alternating forks: 4 x 2 tiles ran the 3x3 64->64 layer at 74-77
   * GFLOP/s and the 1x1 256->64 at 75-78 (two forks; a third, disturbed, 47 and 43), 5 x 2 at 87-88
   * and 81-84 (three forks); 6 x 2 spilled (42 and 39): 8 chains are just the FMA latency times its throughput, and the loop's loads, bounds
   * checks and counter cost less per FMA over 5 pixels than over 4. 3 x 2 for
   * the depthwise 3-wide kernel. 512 bits: one vector per block, so twice the pixels keep as many
   * independent FMA chains (AVX-512 has 32 registers). A depthwise run expands the epilogue once
   * per pixel of each tile; at 512 bits one 8-pixel tile keeps the method no larger than the
   * 256-bit one (C2 boxes every vector of a method that outgrows its node budget). The 6-pixel tile cuts
   * 13-pixel rows (SqueezeNet's 13x13 layers) 7 + 6 instead of 7 + 4 + 2, whose 2-pixel tile has 4 chains
   * for a 4-cycle FMA latency: 3x3 256 -> 256 at 13x13, one thread, two builds alternating in one JVM
   * (scratch harness, Zen 5), 0.74-0.75x the time.
   */
  static final List<Width> WIDTHS = List.of(
      new Width(256, List.of(5, 4, 2), List.of(2), List.of(4), 3),
      new Width(512, List.of(8, 7, 6, 4, 2), List.of(8, 7, 6, 4, 2), List.of(8), 6));

  /** Pixel distances (in floats) that get their own widest conv tile: C2 then merges bounds checks. */
  static final List<Integer> CONV_STEPS = List.of(1, 2, 16, 32);

  /** Pixel distances that get their own depthwise run: stride 1 and 2 on blocked activations. */
  static final List<Integer> DW_STEPS = List.of(16, 32);

  private KernelGenerator() {}

  /** Writes every generated source under {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java KernelGenerator.java OUTPUT_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]).resolve(PACKAGE.replace('.', '/'));
    Files.createDirectories(dir);
    int written = 0;
    Map<String, String> sources = sources();
    for (Map.Entry<String, String> f : sources.entrySet()) {
      Path p = dir.resolve(f.getKey() + ".java");
      if (!Files.exists(p) || !Files.readString(p, StandardCharsets.UTF_8).equals(f.getValue())) {
        Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        written++;
      }
    }
    System.out.println("KernelGenerator: " + sources.size() + " sources, " + written + " rewritten");
  }

  /** Every generated class: simple name to source text. */
  static Map<String, String> sources() {
    Map<String, String> m = new TreeMap<>();
    m.put("FusedActivation", fusedActivation());
    for (Width w : WIDTHS) {
      if (w.bits() == 512) {
        m.put("GemmVector" + w.bits(), new GemmGen(w).source());
      }
      m.put("EpilogueVector" + w.bits(), new EpilogueGen(w).source());
      m.put("ConvTileVector" + w.bits(), new ConvGen(w).source());
      m.put("DepthwiseVector" + w.bits(), new DepthwiseGen(w).source());
    }
    return m;
  }

  // ---------------------------------------------------------------------------------------------
  // Text helpers

  /** A Java source being written, line by line, with the current indentation. */
  static final class Src {
    /** The longest line, as in the hand-written sources. */
    static final int WIDTH = 100;
    private final StringBuilder b = new StringBuilder();
    private int depth;

    /**
     * A line at the current indentation; code longer than {@link #WIDTH} columns is broken after a
     * comma, the rest indented by four more.
     */
    Src line(String s) {
      String indent = "  ".repeat(depth);
      while (indent.length() + s.length() > WIDTH && !s.startsWith("*") && !s.startsWith("/")) {
        int cut = s.lastIndexOf(", ", WIDTH - indent.length() - 1);
        if (cut < 0) {
          break;
        }
        b.append(indent).append(s, 0, cut + 1).append('\n');
        s = "    " + s.substring(cut + 2);
      }
      if (!s.isEmpty()) {
        b.append(indent).append(s);
      }
      b.append('\n');
      return this;
    }

    /** A line that opens a block: what follows is indented. */
    Src open(String s) {
      line(s);
      depth++;
      return this;
    }

    /** Ends a block with {@code s} (e.g. "}" or "} else {"). */
    Src close(String s) {
      depth--;
      return line(s);
    }

    Src close() {
      return close("}");
    }

    /** Lines of a block (Javadoc, a signature) given as one text, each at the current indentation. */
    Src lines(String text) {
      for (String l : text.strip().split("\n", -1)) {
        line(l.stripTrailing());
      }
      return this;
    }

    @Override
    public String toString() {
      return b.toString();
    }
  }

  /** {@code base} plus the constant {@code k} floats plus {@code v} vectors of {@code L} lanes. */
  static String at(String base, int k, int v) {
    String s = k == 0 ? base : base + " + " + k;
    return switch (v) {
      case 0 -> s;
      case 1 -> s + " + L";
      default -> s + " + " + v + " * L";
    };
  }

  /** {@code base} plus {@code p} times the variable distance {@code step}. */
  static String times(String base, int p, String step) {
    return p == 0 ? base : p == 1 ? base + " + " + step : base + " + " + p + " * " + step;
  }

  /** The file's first lines; {@code epilogue}: whether it applies the fused activations. */
  static String header(boolean epilogue) {
    return """
        // Generated by runtime/src/generator/KernelGenerator.java: edit the generator, not this file.
        package %s;

        import jdk.incubator.vector.FloatVector;
        %simport jdk.incubator.vector.VectorSpecies;
        """.formatted(PACKAGE, epilogue ? "import jdk.incubator.vector.VectorOperators;\n" : "");
  }

  /** {@code v} vectors of {@code L} lanes, as an offset. */
  static String vec(int v) {
    return v == 0 ? "0" : v == 1 ? "L" : v + " * L";
  }

  /**
   * A generated vector class: header, {@code doc} (its Javadoc), the declaration, {@code fields},
   * the species constants, a private constructor, then the members with a blank line before each.
   */
  static String classSource(Width w, boolean epilogue, String doc, String name, List<String> fields,
      List<Consumer<Src>> members) {
    Src s = new Src();
    s.lines(header(epilogue));
    s.line("");
    s.lines(doc);
    s.open("final class " + name + " {");
    fields.forEach(s::line);
    constants(s, w);
    s.line("");
    s.line("private " + name + "() {}");
    for (Consumer<Src> m : members) {
      s.line("");
      m.accept(s);
    }
    s.close();
    return s.toString();
  }

  /** The species constant and the lanes of one width, at the top of every vector class. */
  static void constants(Src s, Width w) {
    s.line("/** The species of every kernel here. */");
    s.line("private static final VectorSpecies<Float> S = FloatVector.SPECIES_" + w.bits() + ";");
    s.line("/** Lanes per vector: a 16-channel block is " + w.vectors() + " vector"
        + (w.vectors() > 1 ? "s" : "") + ". */");
    s.line("private static final int L = " + w.lanes() + ";");
  }

  // ---------------------------------------------------------------------------------------------
  // The fused epilogue, the one place that says what an epilogue does in registers

  static String fusedActivation() {
    Src s = new Src();
    s.lines("""
        // Generated by runtime/src/generator/KernelGenerator.java: edit the generator, not this file.
        package %s;

        /**
         * How the vector epilogues apply an {@link Activation}: the kinds they compute in registers
         * before the store, and {@link #AFTER_STORE} for the rest, which the activation's own array
         * kernel applies to the stored block ({@code EpilogueVector.afterStore}). The kernels switch
         * on {@link EpilogueParams#actKind}; the list lives in the generator ({@code FUSED}).
         */
        final class FusedActivation {""".formatted(PACKAGE));
    s.depth++;
    s.line("/** No activation. */");
    s.line("static final int IDENTITY = 0;");
    for (int i = 0; i < FUSED.size(); i++) {
      Fused f = FUSED.get(i);
      s.line("/** {@link Activation#" + f.activation() + "} in registers. */");
      s.line("static final int " + f.kind() + " = " + (i + 1) + ";");
    }
    s.line("/** Any other activation: applied to the stored block. */");
    s.line("static final int AFTER_STORE = " + (FUSED.size() + 1) + ";");
    s.line("");
    s.line("private FusedActivation() {}");
    s.line("");
    s.line("/** The kind of {@code a}. */");
    s.open("static int of(Activation a) {");
    s.open("return switch (a) {");
    s.line("case IDENTITY -> IDENTITY;");
    for (Fused f : FUSED) {
      s.line("case " + f.activation() + " -> " + f.kind() + ";");
    }
    s.line("default -> AFTER_STORE;");
    s.close("};");
    s.close();
    s.close();
    return s.toString();
  }

  /**
   * The epilogue of one pixel's 16-channel block held in {@code v0 ..}, after the scale and shift:
   * residual add, the fused activation, the store, then what is done on the stored values (other
   * activations, zeros in padding channels).
   *
   * @param out  the output array variable
   * @param o    the output index expression
   * @param r    the residual index expression
   * @param ch   the expression of the block's first channel
   *
   * <p>The depthwise kernels use this form: they carry the block through their own loops, and a copy of every path,
   * as {@link #epilogueStoredPerPath} writes, made them box.
   */
  static void epilogue(Src s, Width w, String out, String o, String r, String ch) {
    s.open("if (e.residual) {");
    addResidual(s, w, r);
    s.close();
    s.open("switch (e.actKind) {");
    for (Fused f : FUSED) {
      s.open("case FusedActivation." + f.kind() + " -> {");
      for (int v = 0; v < w.vectors(); v++) {
        s.line("v" + v + " = " + f.formula().replace("$", "v" + v) + ";");
      }
      s.close();
    }
    s.line("default -> { }");
    s.close();
    for (int v = 0; v < w.vectors(); v++) {
      s.line("v" + v + ".intoArray(" + out + ", " + at(o, 0, v) + ");");
    }
    afterStore(s, out, o, ch);
  }

  /**
   * As {@link #epilogue}, each path (residual or not, each fused activation) storing its own result: on an
   * AVX-512 host C2 boxed the vectors of {@link EpilogueGen#block16} where the paths merged before one store
   * (JFR: Winograd's output epilogue in VGG-16, 4 GB/s of allocation).
   */
  static void epilogueStoredPerPath(Src s, Width w, String out, String o, String r, String ch) {
    s.open("if (e.residual) {");
    addResidual(s, w, r);
    activateAndStore(s, w, out, o);
    s.depth--;
    s.open("} else {");
    activateAndStore(s, w, out, o);
    s.close();
    afterStore(s, out, o, ch);
  }

  /** {@code v0 .. += res[r ..]}. */
  private static void addResidual(Src s, Width w, String r) {
    for (int v = 0; v < w.vectors(); v++) {
      s.line("v" + v + " = v" + v + ".add(FloatVector.fromArray(S, res, " + at(r, 0, v) + "));");
    }
  }

  /** The activations applied after the store, and the padding channels' zeros. */
  private static void afterStore(Src s, String out, String o, String ch) {
    s.open("if (e.actKind == FusedActivation.AFTER_STORE || " + ch + " + 16 > e.channels) {");
    s.line("EpilogueVector.afterStore(e, " + ch + ", " + out + ", " + o + ");");
    s.close();
  }

  /** The fused activation of {@code v0 ..} and their store, one store per case. */
  private static void activateAndStore(Src s, Width w, String out, String o) {
    s.open("switch (e.actKind) {");
    for (Fused f : FUSED) {
      s.open("case FusedActivation." + f.kind() + " -> {");
      for (int v = 0; v < w.vectors(); v++) {
        s.line(f.formula().replace("$", "v" + v) + ".intoArray(" + out + ", " + at(o, 0, v) + ");");
      }
      s.close();
    }
    s.open("default -> {");
    for (int v = 0; v < w.vectors(); v++) {
      s.line("v" + v + ".intoArray(" + out + ", " + at(o, 0, v) + ");");
    }
    s.close();
    s.close();
  }

  /** Declares {@code prefix0 ..} as the block's {@code arr[idx ..]} vectors. */
  static void loadBlock(Src s, Width w, String prefix, String arr, String idx) {
    for (int v = 0; v < w.vectors(); v++) {
      s.line("FloatVector " + prefix + v + " = FloatVector.fromArray(S, " + arr + ", " + at(idx, 0, v) + ");");
    }
  }

  /** Declares one block's accumulators {@code p0 ..} for each prefix, all zero. */
  static void zeros(Src s, Width w, String... prefixes) {
    String first = prefixes[0] + 0;
    s.line("FloatVector " + first + " = FloatVector.zero(S);");
    for (String p : prefixes) {
      for (int v = 0; v < w.vectors(); v++) {
        if (!(p + v).equals(first)) {
          s.line("FloatVector " + p + v + " = " + first + ";");
        }
      }
    }
  }

  /**
   * {@code acc0 ..} plus the block's weights at {@code w[wi ..]} times {@code x}: a broadcast input
   * (direct convolution) or, when {@code x} is null, the block's inputs at {@code in[i ..]}
   * (depthwise, lane by lane).
   */
  static void fmaBlock(Src s, Width w, String acc, String x, String i, String wi) {
    for (int v = 0; v < w.vectors(); v++) {
      String weights = "FloatVector.fromArray(S, w, " + at(wi, 0, v) + ")";
      String lhs = x != null ? x : "FloatVector.fromArray(S, in, " + at(i, 0, v) + ")";
      s.line(acc + v + " = " + lhs + ".fma(" + weights + ", " + acc + v + ");");
    }
  }

  /** Stores {@code acc0 ..} (plus {@code plus0 ..} when not null) to {@code tile[to ..]}. */
  static void storeBlock(Src s, Width w, String acc, String plus, String to) {
    for (int v = 0; v < w.vectors(); v++) {
      String val = plus == null ? acc + v : acc + v + ".add(" + plus + v + ")";
      s.line(val + ".intoArray(tile, " + (to.equals("0") ? vec(v) : at(to, 0, v)) + ");");
    }
  }

  /** {@code EpilogueVectorN}: the epilogue of a block left in a tile array (conv, GEMM). */
  record EpilogueGen(Width w) {
    String source() {
      return classSource(w, true, """
          /**
           * The vector epilogue at %d bits for the tiles that leave their accumulators in a tile array
           * (the GEMM): {@code y = act(acc * mul[c] + add[c] + residual)} on one pixel's (one row's) 16
           * channels, then the store. The direct-convolution and depthwise tiles apply the same operations
           * in the same order in registers (see {@link ConvTileVector%d}, {@link DepthwiseVector%d}).
           * Loaded only when {@link PackedKernels#VECTOR}.
           */""".formatted(w.bits(), w.bits(), w.bits()), "EpilogueVector" + w.bits(), List.of(),
          List.of(this::block16, this::row16));
    }

    private void block16(Src s) {
      s.lines("""
          /**
           * Finishes one pixel's 16-channel block: {@code tile[t .. t+16)} through the epilogue of
           * channels {@code ch .. ch+16} (residual at {@code res[r ..]}) into {@code out[o .. o+16)};
           * padding channels (at or past {@code e.channels}) are stored as 0.
           */
          static void block16(EpilogueParams e, int ch, float[] tile, int t, float[] out, int o,
              float[] res, int r) {""");
      s.depth++;
      loadBlock(s, w, "v", "tile", "t");
      loadBlock(s, w, "a", "e.add", "ch");
      for (int v = 0; v < w.vectors(); v++) {
        s.line("v" + v + " = v" + v + ".fma(FloatVector.fromArray(S, e.mul, " + at("ch", 0, v) + "), a" + v + ");");
      }
      epilogueStoredPerPath(s, w, "out", "o", "r", "ch");
      s.close();
    }

    private void row16(Src s) {
      s.lines("""
          /**
           * Finishes one row of a GEMM tile: {@code tile[t .. t+16)} plus (unless {@code first}) the
           * partial sum already in {@code c[o ..]}, then the epilogue when {@code last} (channel = column,
           * from {@code col0}), into {@code c[o .. o+cols)}. A partial row ({@code cols < 16}, the last
           * column panel) is finished by the scalar formula.
           */
          static void row16(EpilogueParams e, int col0, float[] tile, int t, float[] c, int o, float[] res,
              int r, int cols, boolean first, boolean last) {""");
      s.depth++;
      s.open("if (cols < 16) {");
      s.open("for (int j = 0; j < cols; j++) {");
      s.line("float v = tile[t + j] + (first ? 0f : c[o + j]);");
      s.line("c[o + j] = last ? e.apply(v, col0 + j, e.residual ? res[r + j] : 0f) : v;");
      s.close();
      s.line("return;");
      s.close();
      loadBlock(s, w, "v", "tile", "t");
      s.open("if (!first) {");
      for (int v = 0; v < w.vectors(); v++) {
        s.line("v" + v + " = v" + v + ".add(FloatVector.fromArray(S, c, " + at("o", 0, v) + "));");
      }
      s.close();
      s.open("if (!last) {");
      for (int v = 0; v < w.vectors(); v++) {
        s.line("v" + v + ".intoArray(c, " + at("o", 0, v) + ");");
      }
      s.line("return;");
      s.close();
      loadBlock(s, w, "a", "e.add", "col0");
      for (int v = 0; v < w.vectors(); v++) {
        s.line("v" + v + " = v" + v + ".fma(FloatVector.fromArray(S, e.mul, " + at("col0", 0, v) + "), a" + v + ");");
      }
      // a full row lies inside the real columns, so the padding test of the shared epilogue is false
      epilogueStoredPerPath(s, w, "c", "o", "r", "col0");
      s.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // GEMM

  /**
   * {@code GemmVector512}: the GEMM's register tiles at 512 bits, {@code 4a} rows (A panels of 4) by {@code 16b}
   * columns (B panels of 16, one vector a row): 8 x 32, 4 x 32 and 8 x 16. The 256-bit tile ({@code GemmVector},
   * 4 x 16 in two vectors a row, with the one-row kernels and the finish) is written by hand.
   */
  record GemmGen(Width w) {
    /** The tiles generated: A panels and B panels. */
    static final int[][] SHAPES = {{2, 2}, {1, 2}, {2, 1}};

    String source() {
      List<Consumer<Src>> members = new ArrayList<>();
      for (int[] shape : SHAPES) {
        members.add(s -> kernel(s, shape[0], shape[1]));
      }
      return classSource(w, false, """
          /**
           * The GEMM micro-kernels at 512 bits ({@link PackedKernels#GEMM_BITS} 512): a 16-column B
           * panel row is one vector, so the widest tile spans two B panels and two A panels, 8 x 32
           * floats of C in 16 accumulators (per k step: 2 vector loads of B, 8 broadcasts of A, 16
           * FMAs, the shape of the conv's two-block tiles); 4 x 32 and 8 x 16 take the edges.
           * {@link GemmVector}'s 4 x 16 tile is written with 256-bit vectors and reaches at most half
           * of a 512-bit host's peak (bench/README.md, "Third round on a Zen 5 host").
           *
           * <p>Operands are {@link PackGemm}'s panels: A panel {@code p} at {@code ai + p*as}, B panel
           * {@code q} at {@code bi + q*bs}. The tile array holds one 8 x 16 tile per B panel, panel
           * q's row r at {@code to + 128q + 16r}, finished by {@link GemmVector#finish}. Every element
           * is the k-ordered chain of FMAs of {@link GemmVector#kernel} and {@link GemmScalar#kernel}:
           * the same sums.
           */""", "GemmVector512", List.of("/** Floats of the tile array: two 8 x 16 tiles. */",
          "static final int TILE = 2 * 8 * PackGemm.NR;"), members);
    }

    /** The tile of {@code ap} A panels by {@code bq} B panels. */
    private static void kernel(Src s, int ap, int bq) {
      int rows = 4 * ap;
      s.line("/** Rows 0-" + (rows - 1) + " (" + ap + " A panel" + (ap > 1 ? "s" : "") + ") times " + bq
          + " B panel" + (bq > 1 ? "s" : "") + ". */");
      s.open("static void kernel" + rows + "x" + 16 * bq + "(int kc, float[] ap, int ai, " + (ap > 1 ? "int as, " : "")
          + "float[] bp, int bi, " + (bq > 1 ? "int bs, " : "") + "float[] tile, int to) {");
      StringBuilder decl = new StringBuilder("FloatVector ");
      for (int r = 0; r < rows; r++) {
        for (int q = 0; q < bq; q++) {
          decl.append(r + q == 0 ? "" : ", ").append("c").append(r).append(q).append(r + q == 0 ? " = FloatVector.zero(S)" : " = c00");
        }
      }
      s.line(decl.append(";").toString());
      if (ap > 1) {
        s.line("int a2 = ai + as;");
      }
      if (bq > 1) {
        s.line("int b2 = bi + bs;");
      }
      // addressed from k (see {@code ConvGen.pairStep}): stepped indices kept a bounds check at every step
      s.open("for (int k = 0; k < kc; k++) {");
      s.line("int ak = ai + k * PackGemm.MR;");
      if (ap > 1) {
        s.line("int ak2 = a2 + k * PackGemm.MR;");
      }
      for (int q = 0; q < bq; q++) {
        s.line("FloatVector b" + q + " = FloatVector.fromArray(S, bp, " + (q == 0 ? "bi" : "b2") + " + k * PackGemm.NR);");
      }
      for (int r = 0; r < rows; r++) {
        String a = (r < 4 ? "ak" : "ak2") + (r % 4 == 0 ? "" : " + " + r % 4);
        s.line((r == 0 ? "FloatVector a = " : "a = ") + "FloatVector.broadcast(S, ap[" + a + "]);");
        for (int q = 0; q < bq; q++) {
          s.line("c" + r + q + " = a.fma(b" + q + ", c" + r + q + ");");
        }
      }
      s.close();
      for (int q = 0; q < bq; q++) {
        for (int r = 0; r < rows; r++) {
          int o = 128 * q + 16 * r;
          s.line("c" + r + q + ".intoArray(tile, " + (o == 0 ? "to" : "to + " + o) + ");");
        }
      }
      s.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Direct convolution

  /** {@code ConvTileVectorN}: the direct-convolution tiles of one width and their dispatcher. */
  record ConvGen(Width w) {
    /** The parameters every tile takes after its reduction arguments: where and how it finishes. */
    static final String OUT_PARAMS = "float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rd";
    /** The arguments passing {@link #OUT_PARAMS} on. */
    static final String OUT_ARGS = "out, ob, os, e, ch, res, rd";

    /** One output block a tile finishes: accumulator prefix, first channel, output base. */
    record Block(String prefix, String ch, String ob) {
      String acc(int p, int v) {
        return prefix + p + v;
      }
    }

    /** The one block of an ordinary tile. */
    static final List<Block> ONE = List.of(new Block("a", "ch", "ob"));
    /** The two blocks of a {@link #line2} tile. */
    static final List<Block> TWO = List.of(new Block("a", "ch", "ob"), new Block("b", "ch + 16", "ob2"));

    String source() {
      int p = w.widestConvTile();
      List<Consumer<Src>> members = new ArrayList<>(List.of(this::line));
      for (int n : stepTiles()) {
        members.add(s -> stepSwitch(s, n));
        for (int step : CONV_STEPS) {
          members.add(s -> tile(s, n, step));
        }
      }
      for (int n : w.convTiles()) {
        members.add(s -> tile(s, n, 0));
      }
      members.addAll(List.of(this::tile1, this::pixel, this::line2));
      for (int n : w.pairTiles()) {
        if (stepTiles().contains(n)) {
          members.add(s -> pairStepSwitch(s, n));
          for (int step : CONV_STEPS) {
            members.add(s -> tilePair(s, n, step));
          }
        }
        members.add(s -> tilePair(s, n, 0));
      }
      members.addAll(List.of(s -> tilePair(s, 1, 0), this::pixelPair));
      return classSource(w, true, """
          /**
           * The direct-convolution micro-kernels at %d bits: a tile of up to %d output pixels times one
           * 16-channel output block (%d vector%s per pixel), accumulated over one flat reduction range and
           * finished in registers: {@code y = act(acc * mul[c] + add[c] + residual)} (the epilogue of
           * {@link EpilogueVector%d#block16}, the same operations in the same order), stored straight to
           * the output. Pixel p of a tile goes to {@code out[ob + p*os ..]}, its residual is at
           * {@code res[ob + p*os + rd ..]}.
           *
           * <p>Each reduction step {@code r} (one input channel at one kernel tap) loads the weight
           * vectors of the block ({@code w[wb + 16r ..]}), broadcasts one input value per pixel
           * ({@code in[ib + off[r] + p*is]}) and does one FMA per pixel and vector: %d accumulators, %d
           * loads per %d FMAs. The offset table {@code off} turns the (tap, channel) nest into one counted
           * loop, which is what keeps C2 from spilling (PERF.md: nested loops ran at a third of the
           * speed). Arguments: {@code in, ib, is}: input, the first pixel's base, the distance between
           * pixels; {@code off, r0, r1}: the offset table and the reduction range; {@code w, wb}: the
           * packed weights of the block (entry r at {@code wb + 16r}).
           *
           * <p>Loaded only when {@link PackedKernels#BITS} is %d; {@link ConvTileScalar} is its twin.
           */""".formatted(w.bits(), p, w.vectors(), w.vectors() > 1 ? "s" : "", w.bits(),
          p * w.vectors(), w.vectors() + p, p * w.vectors(), w.bits()),
          "ConvTileVector" + w.bits(),
          Stream.concat(Stream.of("/** Floats of the scratch a call needs: none (the tiles finish in registers). */",
              "static final int TILE = 0;"), splitField().stream()).toList(),
          members);
    }

    /** The run of pixels sharing one reduction range, cut into tiles, each finished in registers. */
    private void line(Src s) {
      s.lines("""
          /**
           * A run of {@code count} pixels sharing one reduction range, cut into tiles; output pixel p goes
           * to {@code out[ob + p*os ..]}, its residual is at {@code res[ob + p*os + rd ..]}.
           */
          static void line(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
              float[] out, int ob, int os, int count, EpilogueParams e, int ch, float[] res, int rd) {""");
      s.depth++;
      tileLoopHead(s);
      List<Integer> tiles = w.convTiles();
      String outArgs = OUT_ARGS.replace("ob", "o");
      for (int k = 0; k < tiles.size(); k++) {
        int n = tiles.get(k);
        s.open((k == 0 ? "if" : "} else if") + " (n == " + n + ") {");
        s.line(tileCall(n) + "(in, i, is, off, r0, r1, w, wb, " + outArgs + ");");
        s.depth--;
      }
      s.open("} else {");
      s.line("tile1(in, i, off, r0, r1, w, wb, " + outArgs + ");");
      s.close();
      s.line("p += n;");
      s.close();
      s.close();
    }

    /**
     * The head of a run's loop over its tiles, shared by {@link #line} and {@link #line2}: the tile
     * width {@code n} chosen for the pixels left ({@link #pick}), the tile's first input {@code i} and
     * output {@code o}.
     */
    private void tileLoopHead(Src s) {
      s.open("for (int p = 0; p < count; ) {");
      s.line("int rem = count - p;");
      if (pairedOnly()) {
        // past the table the widest, but a narrower one first where the widest would leave one pixel over
        int wide = w.widestConvTile();
        s.line("int n = rem < SPLIT.length ? SPLIT[rem] : rem % " + wide + " == 1 ? " + w.convTiles().get(1)
            + " : " + wide + ";");
      } else {
        List<String> choices = pick(w.convTiles());
        for (int k = 0; k < choices.size(); k++) {
          s.line((k == 0 ? "int n = " : "    : ") + choices.get(k));
        }
        s.line("    : 1;");
      }
      s.line("int i = ib + p * is;");
      s.line("int o = ob + p * os;");
    }

    /** Whether every tile reduces two blocks at once (512 bits): then {@link #split} chooses the tiles. */
    boolean pairedOnly() {
      return w.pairTiles().equals(w.convTiles());
    }

    /** Runs up to this many pixels are cut by {@link #split}; longer ones take the widest tile first. */
    static final int SPLIT_MAX = 24;

    /**
     * The first tile of the cheapest cut of {@code v} pixels into tiles, for every {@code v} up to
     * {@link #SPLIT_MAX} (ties: the cut whose narrowest tile is widest, then the wider first tile). Cost per reduction step of an {@code n}-pixel
     * two-block tile: {@code max(n, 4)} cycles, its 2n FMAs on two FMA pipes, but at least the FMA latency
     * (4 cycles) where it has fewer than 8 independent chains. So 14 pixels are 7 + 7 (14 cycles per step)
     * rather than 8 + 4 + 2 (16), and 7 pixels one tile rather than 4 + 2 + 1 (12).
     */
    static int[] split(List<Integer> tiles) {
      int[] cost = new int[SPLIT_MAX + 1];
      int[] narrowest = new int[SPLIT_MAX + 1];
      int[] first = new int[SPLIT_MAX + 1];
      narrowest[0] = Integer.MAX_VALUE;
      for (int v = 1; v <= SPLIT_MAX; v++) {
        cost[v] = Integer.MAX_VALUE;
        List<Integer> all = new ArrayList<>(tiles);
        all.add(1);
        for (int t : all) {
          if (t > v) {
            continue;
          }
          int c = Math.max(t, 4) + cost[v - t];
          int n = Math.min(t, narrowest[v - t]);
          // ties: the cut whose narrowest tile is widest (21 = 7 + 7 + 7, not 8 + 7 + 6), then the wider first tile
          if (c < cost[v] || c == cost[v] && n > narrowest[v]) {
            cost[v] = c;
            narrowest[v] = n;
            first[v] = t;
          }
        }
      }
      return first;
    }

    /** The field {@link #split} becomes in the generated class (paired-only widths). */
    List<String> splitField() {
      if (!pairedOnly()) {
        return List.of();
      }
      StringBuilder b = new StringBuilder("private static final int[] SPLIT = {");
      int[] first = split(w.convTiles());
      for (int v = 0; v < first.length; v++) {
        b.append(v == 0 ? "" : ", ").append(first[v]);
      }
      return List.of("/** The first tile for runs of up to " + SPLIT_MAX
          + " pixels: the cheapest cut (KernelGenerator.split). */",
          b.append("};").toString());
    }

    /**
     * The expression choosing the next tile for {@code rem} pixels left: the widest that fits and
     * leaves a remainder the tiles can cover without a single pixel (tile1, the slowest per pixel),
     * else the widest that fits. With 5, 4 and 2: 6 = 4 + 2 and 8 = 4 + 4, not 5 + 1 and 5 + 2 + 1.
     */
    static List<String> pick(List<Integer> tiles) {
      int max = tiles.get(0);
      boolean[] ok = new boolean[2 * max + 1];
      ok[0] = true;
      for (int v = 1; v <= 2 * max; v++) {
        for (int t : tiles) {
          ok[v] |= v >= t && ok[v - t];
        }
      }
      // only where a few remainders are uncoverable (tiles of coprime sizes): with even sizes
      // alone every odd count needs its single pixel whatever is chosen
      boolean finite = true;
      for (int v = max + 1; v <= 2 * max; v++) {
        finite &= ok[v];
      }
      List<String> choices = new ArrayList<>();
      for (int t : tiles) {
        StringBuilder b = new StringBuilder("rem >= " + t);
        for (int v = 1; finite && v <= max; v++) {
          if (!ok[v]) {
            b.append(" && rem != ").append(t + v);
          }
        }
        choices.add(b.append(" ? ").append(t).toString());
      }
      if (finite) {
        // no tile leaves a coverable remainder (3 with 5, 4, 2): the narrowest that fits
        choices.add("rem >= " + tiles.get(tiles.size() - 1) + " ? " + tiles.get(tiles.size() - 1));
      }
      return choices;
    }

    /**
     * The tiles with variants for the common pixel distances ({@link #CONV_STEPS}): the two widest, and at
     * 512 bits (where {@link #split} cuts runs into any of the tiles) every tile of 4 pixels or more.
     * With a variable distance C2 checks the bounds of every pixel's input, one check per pixel and
     * step; in ResNet-50's layer4.0.conv2 (rows of 6 = 4 + 2 pixels, 32 floats apart) JFR put 68 % of
     * the samples in the variable-distance 4-pixel tile.
     */
    List<Integer> stepTiles() {
      return pairedOnly() ? w.convTiles().stream().filter(n -> n >= 4).toList() : w.convTiles().subList(0, 2);
    }

    /** The name of the call for an {@code n}-pixel tile at any distance {@code is}. */
    String tileCall(int n) {
      return stepTiles().contains(n) ? "tile" + n : "tile" + n + "StepAny";
    }

    /** The {@code p}-pixel tile, specialised for the common pixel distances. */
    private void stepSwitch(Src s, int p) {
      stepSwitch(s, "The " + p + "-pixel tile", "private static void tile" + p
          + "(float[] in, int i, int is, int[] off, int r0, int r1, float[] w, int wb, " + OUT_PARAMS + ") {",
          step -> "tile" + p + (step == 0 ? "StepAny" : "Step" + step), "off, r0, r1, w, wb, " + OUT_ARGS);
    }

    /**
     * A dispatcher ({@code head}: its signature, with {@code in, i, is} first) that calls the variant
     * {@code callee(step)} for each of {@link #CONV_STEPS} and {@code callee(0)} with {@code is} for any
     * other distance, passing {@code args} on after {@code in, i}.
     */
    private static void stepSwitch(Src s, String what, String head, IntFunction<String> callee, String args) {
      s.line("/** " + what + ", specialised for the common pixel distances. */");
      s.open(head);
      s.open("switch (is) {");
      for (int step : CONV_STEPS) {
        s.line("case " + step + " -> " + callee.apply(step) + "(in, i, " + args + ");");
      }
      s.line("default -> " + callee.apply(0) + "(in, i, is, " + args + ");");
      s.close();
      s.close();
    }

    /** {@code n} pixels {@code step} floats apart, or any distance {@code is} when step is 0. */
    private void tile(Src s, int n, int step) {
      int vs = w.vectors();
      if (step == 0) {
        s.line("/** " + n + " pixels, any pixel distance. */");
        s.open("static void tile" + n + "StepAny(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w,"
            + " int wb, " + OUT_PARAMS + ") {");
      } else {
        s.line("/** " + n + " pixels " + step + " float" + (step > 1 ? "s" : "")
            + " apart (constant: C2 merges the bounds checks into one). */");
        s.open("static void tile" + n + "Step" + step + "(float[] in, int ib, int[] off, int r0, int r1, float[] w,"
            + " int wb, " + OUT_PARAMS + ") {");
      }
      zeroAccumulators(s, n);
      s.open("for (int r = r0; r < r1; r++) {");
      s.line("int wi = wb + r * 16;");
      for (int v = 0; v < vs; v++) {
        s.line("FloatVector w" + v + " = FloatVector.fromArray(S, w, " + at("wi", 0, v) + ");");
      }
      s.line("int o = ib + off[r];");
      for (int p = 0; p < n; p++) {
        String idx = step == 0 ? times("o", p, "is") : at("o", p * step, 0);
        s.line((p == 0 ? "FloatVector x = " : "x = ") + "FloatVector.broadcast(S, in[" + idx + "]);");
        for (int v = 0; v < vs; v++) {
          s.line(acc(p, v) + " = x.fma(w" + v + ", " + acc(p, v) + ");");
        }
      }
      s.close();
      finishInRegisters(s, n, ONE);
      s.close();
    }

    /**
     * The epilogue of {@code n} pixels of one or more output blocks, in registers: the operations of
     * {@link EpilogueGen#block16} in the same order on every value (scale and shift as
     * {@code fma(acc, mul, add)}, residual, fused activation), each branch taken once for the whole
     * tile, then the stores (pixel p of a block at its {@code ob + p*os}), then what is done on the
     * stored values. Nothing is called while accumulators are live: with a call (or an uncommon
     * trap) between pixels, C2 spilled the accumulators inside the reduction loop, which then ran at
     * half speed.
     */
    private void finishInRegisters(Src s, int n, List<Block> blocks) {
      int vs = w.vectors();
      for (Block k : blocks) {
        String sfx = blocks.size() > 1 ? k.prefix() : "";
        loadBlock(s, w, "mul" + sfx, "e.mul", k.ch());
        loadBlock(s, w, "add" + sfx, "e.add", k.ch());
        for (int p = 0; p < n; p++) {
          for (int v = 0; v < vs; v++) {
            String a = k.acc(p, v);
            s.line(a + " = " + a + ".fma(mul" + sfx + v + ", add" + sfx + v + ");");
          }
        }
      }
      s.open("if (e.residual) {");
      for (Block k : blocks) {
        for (int p = 0; p < n; p++) {
          for (int v = 0; v < vs; v++) {
            String a = k.acc(p, v);
            s.line(a + " = " + a + ".add(FloatVector.fromArray(S, res, " + at(times(k.ob(), p, "os") + " + rd", 0, v) + "));");
          }
        }
      }
      s.close();
      s.open("switch (e.actKind) {");
      for (Fused f : FUSED) {
        s.open("case FusedActivation." + f.kind() + " -> {");
        for (Block k : blocks) {
          for (int p = 0; p < n; p++) {
            for (int v = 0; v < vs; v++) {
              String a = k.acc(p, v);
              s.line(a + " = " + f.formula().replace("$", a) + ";");
            }
          }
        }
        s.close();
      }
      s.line("default -> { }");
      s.close();
      for (Block k : blocks) {
        for (int p = 0; p < n; p++) {
          for (int v = 0; v < vs; v++) {
            s.line(k.acc(p, v) + ".intoArray(out, " + at(times(k.ob(), p, "os"), 0, v) + ");");
          }
        }
      }
      String last = blocks.get(blocks.size() - 1).ch();
      s.open("if (e.actKind == FusedActivation.AFTER_STORE || " + last + " + 16 > e.channels) {");
      for (Block k : blocks) {
        if (n == 1) {
          s.line("EpilogueVector.afterStore(e, " + k.ch() + ", out, " + k.ob() + ");");
        } else {
          s.open("for (int p = 0; p < " + n + "; p++) {");
          s.line("EpilogueVector.afterStore(e, " + k.ch() + ", out, " + k.ob() + " + p * os);");
          s.close();
        }
      }
      s.close();
    }

    /**
     * A run over two neighbouring output blocks (channels {@code ch ..} with weights at {@code wb},
     * output at {@code ob}; channels {@code ch + 16 ..} with weights at {@code wb2}, output at
     * {@code ob2}), which share the offset table: the tiles of {@link Width#pairTiles} and single pixels
     * take both blocks in one reduction, so that they keep twice the independent FMA chains (at 512 bits
     * every tile); the others (the 5- and 4-pixel tiles at 256 bits) run once per block over the same
     * input pixels (then still in L1).
     */
    private void line2(Src s) {
      s.lines("""
          /**
           * A run of {@code count} pixels over two output blocks sharing one reduction range: block 1 as
           * in {@link #line}, block 2 with weights at {@code wb2}, channels from {@code ch + 16} and
           * pixel p at {@code out[ob2 + p*os ..]} (its residual {@code rd} further on). The paired tiles
           * reduce both blocks at once: twice the independent FMA chains of a one-block tile.
           */
          static void line2(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
              int wb2, float[] out, int ob, int ob2, int os, int count, EpilogueParams e, int ch,
              float[] res, int rd) {""");
      s.depth++;
      tileLoopHead(s);
      s.line("int o2 = ob2 + p * os;");
      List<Integer> tiles = w.convTiles();
      for (int k = 0; k < tiles.size(); k++) {
        int n = tiles.get(k);
        s.open((k == 0 ? "if" : "} else if") + " (n == " + n + ") {");
        if (w.pairTiles().contains(n)) {
          s.line("tile" + n + "Pair(in, i, is, off, r0, r1, w, wb, wb2, out, o, o2, os, e, ch, res, rd);");
        } else {
          String name = tileCall(n);
          s.line(name + "(in, i, is, off, r0, r1, w, wb, out, o, os, e, ch, res, rd);");
          s.line(name + "(in, i, is, off, r0, r1, w, wb2, out, o2, os, e, ch + 16, res, rd);");
        }
        s.depth--;
      }
      s.open("} else {");
      s.line("tile1Pair(in, i, is, off, r0, r1, w, wb, wb2, out, o, o2, os, e, ch, res, rd);");
      s.close();
      s.line("p += n;");
      s.close();
      s.close();
    }

    /** The name of an {@code n}-pixel two-block tile at distance {@code step} (0: any). */
    String pairName(int n, int step) {
      if (!stepTiles().contains(n) || n == 1) {
        return "tile" + n + "Pair";
      }
      return "tile" + n + "Pair" + (step == 0 ? "StepAny" : "Step" + step);
    }

    /** The {@code n}-pixel two-block tile, specialised for the common pixel distances. */
    private void pairStepSwitch(Src s, int n) {
      stepSwitch(s, "The " + n + "-pixel two-block tile", "static void tile" + n + "Pair(float[] in, int i, int is,"
          + " int[] off, int r0, int r1, float[] w, int wb, int wb2, float[] out, int ob, int ob2, int os,"
          + " EpilogueParams e, int ch, float[] res, int rd) {", step -> pairName(n, step),
          "off, r0, r1, w, wb, wb2, out, ob, ob2, os, e, ch, res, rd");
    }

    /** {@code n} pixels {@code step} floats apart (0: any distance {@code is}) over two output blocks (see {@link #line2}). */
    private void tilePair(Src s, int n, int step) {
      s.line("/** " + n + " pixel" + (n > 1 ? "s" : "") + ", "
          + (step == 0 ? "any pixel distance" : step + " float" + (step > 1 ? "s" : "") + " apart")
          + ", two output blocks. */");
      s.open("static void " + pairName(n, step) + "(float[] in, int ib, " + (step == 0 ? "int is, " : "")
          + "int[] off, int r0, int r1, float[] w,"
          + " int wb, int wb2, float[] out, int ob, int ob2, int os, EpilogueParams e, int ch, float[] res,"
          + " int rd) {");
      zeroPair(s, n);
      s.open("for (int r = r0; r < r1; r++) {");
      s.line("int wi = wb + r * 16;");
      pairStep(s, n, "ib + off[r]", step);
      s.close();
      finishInRegisters(s, n, TWO);
      s.close();
    }

    private void zeroPair(Src s, int n) {
      List<String> rest = new ArrayList<>();
      for (Block k : TWO) {
        for (int p = 0; p < n; p++) {
          for (int v = 0; v < w.vectors(); v++) {
            rest.add(k.acc(p, v));
          }
        }
      }
      s.line("FloatVector " + rest.get(0) + " = FloatVector.zero(S);");
      s.line("FloatVector " + String.join(", ", rest.subList(1, rest.size()).stream()
          .map(a -> a + " = " + rest.get(0)).toList()) + ";");
    }

    /**
     * One reduction step {@code r} of an {@code n}-pixel two-block tile: weights at {@code wi} and {@code ui}, both
     * {@code r * 16} from their block's start. Addressed from {@code r}, not stepped as induction variables of their
     * own: the JIT then proves the weight loads in bounds once per loop rather than at every step (a hand copy of the
     * 8-pixel tile ran 12 % faster so on a Zen 5 host, bench/README.md).
     */
    private void pairStep(Src s, int n, String base, int step) {
      int vs = w.vectors();
      for (int v = 0; v < vs; v++) {
        s.line("FloatVector w" + v + " = FloatVector.fromArray(S, w, " + at("wi", 0, v) + ");");
      }
      s.line("int ui = wb2 + r * 16;");
      for (int v = 0; v < vs; v++) {
        s.line("FloatVector u" + v + " = FloatVector.fromArray(S, w, " + at("ui", 0, v) + ");");
      }
      s.line("int o = " + base + ";");
      for (int p = 0; p < n; p++) {
        String idx = step == 0 ? times("o", p, "is") : at("o", p * step, 0);
        s.line((p == 0 ? "FloatVector x = " : "x = ") + "FloatVector.broadcast(S, in[" + idx + "]);");
        for (int v = 0; v < vs; v++) {
          s.line(TWO.get(0).acc(p, v) + " = x.fma(w" + v + ", " + TWO.get(0).acc(p, v) + ");");
        }
        for (int v = 0; v < vs; v++) {
          s.line(TWO.get(1).acc(p, v) + " = x.fma(u" + v + ", " + TWO.get(1).acc(p, v) + ");");
        }
      }
    }

    /** One pixel over several tap ranges, two output blocks. */
    private void pixelPair(Src s) {
      s.lines("""
          /** As {@link #pixel} for two output blocks (see {@link #line2}). */
          static void pixelPair(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, int nic,
              float[] w, int wb, int wb2, float[] out, int ob, int ob2, EpilogueParams e, int ch,
              float[] res, int rd) {""");
      s.depth++;
      zeroPair(s, 1);
      s.open("for (int q = q0; q < q0 + nq; q++) {");
      s.line("int r1 = ranges[2 * q + 1] * nic;");
      s.open("for (int r = ranges[2 * q] * nic; r < r1; r++) {");
      s.line("int wi = wb + r * 16;");
      pairStep(s, 1, "ib + off[r]", 0);
      s.close();
      s.close();
      finishInRegisters(s, 1, TWO);
      s.close();
    }

    /**
     * One pixel: one accumulator set, the taps in order, so that every pixel sums its products in
     * the same order whichever tile it falls in (256 and 512 bits agree bit for bit); the tile
     * choice ({@link #pick}) leaves a single pixel only where no other cover exists.
     */
    private void tile1(Src s) {
      s.line("/** One pixel, one range, the taps in order (as every tile sums them). */");
      s.open("static void tile1(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb, "
          + OUT_PARAMS + ") {");
      zeroAccumulators(s, 1);
      s.open("for (int r = r0; r < r1; r++) {");
      s.line("int wi = wb + r * 16;");
      s.line("FloatVector x = FloatVector.broadcast(S, in[ib + off[r]]);");
      fmaBlock(s, w, "a0", "x", null, "wi");
      s.close();
      finishInRegisters(s, 1, ONE);
      s.close();
    }

    /** One pixel whose taps are several ranges, then its epilogue. */
    private void pixel(Src s) {
      s.lines("""
          /**
           * One pixel whose valid taps are several ranges ({@code ranges[2q], ranges[2q+1]} in taps for
           * {@code q} in {@code [q0, q0+nq)}, times {@code nic} channels each): corners and 3-D edges;
           * finished in registers into {@code out[ob ..]}.
           */
          static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, int nic,
              float[] w, int wb, float[] out, int ob, EpilogueParams e, int ch, float[] res, int rd) {""");
      s.depth++;
      zeroAccumulators(s, 1);
      s.open("for (int q = q0; q < q0 + nq; q++) {");
      s.line("int r1 = ranges[2 * q + 1] * nic;");
      s.open("for (int r = ranges[2 * q] * nic; r < r1; r++) {");
      s.line("int wi = wb + r * 16;");
      s.line("FloatVector x = FloatVector.broadcast(S, in[ib + off[r]]);");
      fmaBlock(s, w, "a0", "x", null, "wi");
      s.close();
      s.close();
      finishInRegisters(s, 1, ONE);
      s.close();
    }

    private void zeroAccumulators(Src s, int n) {
      s.line("FloatVector " + acc(0, 0) + " = FloatVector.zero(S);");
      List<String> rest = new ArrayList<>();
      for (int p = 0; p < n; p++) {
        for (int v = 0; v < w.vectors(); v++) {
          if (p + v > 0) {
            rest.add(acc(p, v) + " = " + acc(0, 0));
          }
        }
      }
      if (!rest.isEmpty()) {
        s.line("FloatVector " + String.join(", ", rest) + ";");
      }
    }
  }

  /** The accumulator of pixel {@code p}, vector {@code v}. */
  static String acc(int p, int v) {
    return "a" + p + v;
  }

  // ---------------------------------------------------------------------------------------------
  // Depthwise convolution

  /** {@code DepthwiseVectorN}: the depthwise runs of one width, epilogue fused in registers. */
  record DepthwiseGen(Width w) {
    String source() {
      List<Consumer<Src>> members = new ArrayList<>(List.of(this::line, s -> run(s, 0)));
      for (int step : DW_STEPS) {
        members.add(s -> run(s, step));
      }
      members.addAll(List.of(this::one, this::runK3, this::pixel));
      String plural = w.vectors() > 1 ? "s" : "";
      return classSource(w, true, """
          /**
           * Depthwise-convolution kernels at %d bits, on the blocked layout: output channel c reads only
           * input channel c, so the 16 channels of a pixel are %d vector%s multiplied lane-wise by the
           * tap's weight vector%s. Tiles of %s pixels, then single pixels. The layer is memory-bound: each
           * input row is read a few times from L1, each output written once, with the epilogue applied
           * in registers.
           *
           * <p>Arguments: {@code in, ib, is} input, first pixel's base, distance between pixels (all in
           * floats, within one channel block's plane); {@code off, r0, r1} tap offsets and tap range;
           * {@code w, wb} the block's packed weights (tap r at {@code wb + 16r}). Loaded only when
           * {@link PackedKernels#BITS} is %d; {@link DepthwiseScalar} is its twin.
           */""".formatted(w.bits(), w.vectors(), plural, plural, join(w.dwTiles()), w.bits()),
          "DepthwiseVector" + w.bits(), List.of(), members);
    }

    private static String join(List<Integer> xs) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < xs.size(); i++) {
        b.append(i == 0 ? "" : i == xs.size() - 1 ? " and " : ", ").append(xs.get(i));
      }
      return b.toString();
    }

    private void line(Src s) {
      s.lines("""
          /**
           * A run of {@code count} pixels sharing one tap range: output pixel p goes to
           * {@code out[ob + p*os ..]}, its residual is at {@code res[ob + p*os + rd ..]}. {@code k3}: the
           * taps are in order A of a 3-wide, undilated, stride-1 kernel ({@link #runK3} applies when
           * the pixels are adjacent and the range is whole kernel rows).
           */
          static void line(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
              float[] out, int ob, int os, int count, EpilogueParams e, int ch, float[] res, int rd,
              boolean k3) {""");
      s.depth++;
      s.open("if (k3 && is == 16 && r0 % 3 == 0 && r1 % 3 == 0) {");
      s.line("runK3(in, ib, off, r0, r1, w, wb, count, out, ob, os, e, ch, res, rd);");
      s.line("return;");
      s.close();
      s.open("switch (is) {");
      for (int step : DW_STEPS) {
        s.line("case " + step + " -> runStep" + step + "(in, ib, off, r0, r1, w, wb, count, out, ob, os, e, ch, res, rd);");
      }
      s.line("default -> run(in, ib, is, off, r0, r1, w, wb, count, out, ob, os, e, ch, res, rd);");
      s.close();
      s.close();
    }

    /**
     * Loads the block's addends {@code add0 ..}: every accumulator starts from them (the stage has
     * folded the epilogue's multiplier into the weights), so the epilogue needs no multiply-add.
     */
    private void loadAddends(Src s) {
      loadBlock(s, w, "add", "e.add", "ch");
    }

    /** Declares {@code n} pixels' accumulators {@code name(p, v)}, each starting at the addends. */
    private void addendAccumulators(Src s, int n, BiFunction<Integer, Integer, String> name) {
      List<String> decl = new ArrayList<>();
      for (int p = 0; p < n; p++) {
        for (int v = 0; v < w.vectors(); v++) {
          decl.add(name.apply(p, v) + " = add" + v);
        }
      }
      s.line("FloatVector " + String.join(", ", decl) + ";");
    }

    /** A run with pixels {@code step} floats apart, or {@code is} apart when step is 0. */
    private void run(Src s, int step) {
      int vs = w.vectors();
      String dist = step == 0 ? "is" : String.valueOf(step);
      if (step == 0) {
        s.lines("""
            /**
             * A whole run of {@code count} pixels of one channel block: tiles then single pixels, each
             * reduced over taps {@code r0 .. r1} and finished in registers (the reduction is only a few
             * taps long, so a round trip through a tile array would cost as much as the arithmetic).
             */
            static void run(float[] in, int ib, int is, int[] off, int r0, int r1, float[] w, int wb,
                int count, float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rd) {""");
      } else {
        s.lines("""
            /** As {@link #run} with pixels %d floats apart: the input loads share a bounds check. */
            static void runStep%d(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb,
                int count, float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rd) {"""
            .formatted(step, step));
      }
      s.depth++;
      loadAddends(s);
      s.line("int p = 0;");
      for (int n : w.dwTiles()) {
        s.open("for (; p + " + n + " <= count; p += " + n + ") {");
        addendAccumulators(s, n, (p, v) -> acc(p, v));
        s.line("int i0 = ib + p * " + dist + ";");
        s.open("for (int r = r0; r < r1; r++) {");
        s.line("int wi = wb + r * 16;");
        for (int v = 0; v < vs; v++) {
          s.line("FloatVector w" + v + " = FloatVector.fromArray(S, w, " + at("wi", 0, v) + ");");
        }
        s.line("int o = i0 + off[r];");
        for (int p = 0; p < n; p++) {
          if (step == 0 && p > 0) {
            s.line("o += is;");
          }
          for (int v = 0; v < vs; v++) {
            String idx = at("o", step * p, v);
            s.line(acc(p, v) + " = FloatVector.fromArray(S, in, " + idx + ").fma(w" + v + ", " + acc(p, v) + ");");
          }
        }
        s.close();
        s.line("int o = ob + p * os;");
        for (int p = 0; p < n; p++) {
          s.open("{");
          s.line("int t = " + times("o", p, "os") + ";");
          for (int v = 0; v < vs; v++) {
            s.line("FloatVector v" + v + " = " + acc(p, v) + ";");
          }
          epilogue(s, w, "out", "t", "t + rd", "ch");
          s.close();
        }
        s.close();
      }
      s.open("for (; p < count; p++) {");
      s.line("one(in, ib + p * " + dist + ", off, r0, r1, w, wb, out, ob + p * os, e, ch, res, rd);");
      s.close();
      s.close();
    }

    /**
     * One pixel of a run, in its own method: inline in {@link #run}, its accumulator was carried through the
     * pixel loop and the tap loop, and on an AVX-512 host C2 boxed it on every step (JFR: MobileNetV3's
     * depthwise layers, whose 14- and 7-pixel rows leave 6 and 7 single pixels after the 8-pixel tiles).
     */
    private void one(Src s) {
      s.lines("""
          /** One pixel (input at {@code i0}, output at {@code t}) of {@link #run}. */
          private static void one(float[] in, int i0, int[] off, int r0, int r1, float[] w, int wb, float[] out,
              int t, EpilogueParams e, int ch, float[] res, int rd) {""");
      s.depth++;
      loadAddends(s);
      addendAccumulators(s, 1, (p, v) -> "v" + v);
      s.open("for (int r = r0; r < r1; r++) {");
      s.line("int wi = wb + r * 16;");
      s.line("int o = i0 + off[r];");
      fmaBlock(s, w, "v", null, "o", "wi");
      s.close();
      epilogue(s, w, "out", "t", "t + rd", "ch");
      s.close();
    }

    /** The 3-wide stride-1 kernel: neighbouring output pixels of a kernel row share input vectors. */
    private void runK3(Src s) {
      int vs = w.vectors();
      int n = w.k3Pixels();
      s.lines("""
          /**
           * A run of a 3-wide, undilated, stride-1 depthwise kernel (MobileNet's 3x3) with pixels 16 floats
           * apart: %d neighbouring output pixels of one kernel row read only %d input vectors per
           * %d-channel part instead of %d. %d accumulators (every part of a step), %d inputs and 3
           * weights are live, and the %d accumulators are independent chains that hide the FMA latency;
           * the epilogue is applied in registers. Taps {@code r0 .. r1} are whole kernel rows (multiples
           * of 3); a tail of %d to %d pixels takes one narrower step, a shorter one goes to
           * {@link #runStep16} (every path sums a pixel's taps in the same order).
           */
          static void runK3(float[] in, int ib, int[] off, int r0, int r1, float[] w, int wb, int count,
              float[] out, int ob, int os, EpilogueParams e, int ch, float[] res, int rd) {""".formatted(
          n, n + 2, w.lanes(), 3 * n, n * vs, n + 2, n * vs, Math.max(2, n / 2), n - 1));
      s.depth++;
      loadAddends(s);
      s.line("int p = 0;");
      s.open("for (; p + " + n + " <= count; p += " + n + ") {");
      k3Step(s, n);
      s.close();
      // a tail of n / 2 or more pixels (2 at 256 bits, 3 at 512) as one more, narrower step: the
      // single-pixel loop of runStep16 is a chain of 9 dependent FMAs per vector
      int half = Math.max(2, n / 2);
      s.open("if (count - p >= " + half + ") {");
      k3Step(s, half);
      s.line("p += " + half + ";");
      s.close();
      s.open("if (p < count) {");
      s.line("runStep16(in, ib + p * 16, off, r0, r1, w, wb, count - p, out, ob + p * os, os, e, ch, res, rd);");
      s.close();
      s.close();
    }

    /** One step of {@link #runK3} over {@code n} pixels from {@code p}: taps, then epilogue. */
    private void k3Step(Src s, int n) {
      int vs = w.vectors();
      addendAccumulators(s, n, (p, h) -> k3acc(h, p));
      s.line("int i0 = ib + p * 16;");
      s.open("for (int r = r0; r < r1; r += 3) {");
      s.line("int o = i0 + off[r];");
      s.line("int wi = wb + r * 16;");
      for (int h = 0; h < vs; h++) {
        String decl = h == 0 ? "FloatVector " : "";
        for (int k = 0; k < 3; k++) {
          s.line(decl + "w" + k + " = FloatVector.fromArray(S, w, " + at("wi", 16 * k, h) + ");");
        }
        for (int j = 0; j < n; j++) {
          s.line(decl + "x" + j + " = FloatVector.fromArray(S, in, " + at("o", 16 * j, h) + ");");
        }
        for (int k = 0; k < 3; k++) {
          if (k > 0) {
            int j = n + k - 1;
            s.line(decl + "x" + j + " = FloatVector.fromArray(S, in, " + at("o", 16 * j, h) + ");");
          }
          for (int p = 0; p < n; p++) {
            s.line(k3acc(h, p) + " = x" + (p + k) + ".fma(w" + k + ", " + k3acc(h, p) + ");");
          }
        }
      }
      s.close();
      s.line("int o = ob + p * os;");
      for (int p = 0; p < n; p++) {
        s.open("{");
        s.line("int t = " + times("o", p, "os") + ";");
        for (int h = 0; h < vs; h++) {
          s.line("FloatVector v" + h + " = " + k3acc(h, p) + ";");
        }
        epilogue(s, w, "out", "t", "t + rd", "ch");
        s.close();
      }
    }

    /** The accumulator of part {@code h} (a, b, ...) of pixel {@code p}. */
    private static String k3acc(int h, int p) {
      return (char) ('a' + h) + String.valueOf(p);
    }

    private void pixel(Src s) {
      s.lines("""
          /**
           * One pixel over several tap ranges, finished in registers into {@code out[o ..]}.
           */
          static void pixel(float[] in, int ib, int[] off, int[] ranges, int q0, int nq, float[] w, int wb,
              float[] out, int o, EpilogueParams e, int ch, float[] res, int rd) {""");
      s.depth++;
      loadAddends(s);
      addendAccumulators(s, 1, (p, v) -> "v" + v);
      s.open("for (int q = q0; q < q0 + nq; q++) {");
      s.open("for (int r = ranges[2 * q]; r < ranges[2 * q + 1]; r++) {");
      s.line("int i = ib + off[r];");
      s.line("int wi = wb + r * 16;");
      fmaBlock(s, w, "v", null, "i", "wi");
      s.close();
      s.close();
      epilogue(s, w, "out", "o", "o + rd", "ch");
      s.close();
    }
  }
}
