package dev.netc.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a {@code Dataset<Row>} with a generated network: every row keeps its columns and gains one
 * {@code array<float>} column per network output, named after the output, and an error column (a string, null
 * when the row was scored).
 *
 * <pre>{@code
 * Dataset<Row> scored = SparkScorer.forModel(Lenet5.class)
 *     .weights(ModelWeights.path("/shared/models/lenet5.safetensors"))
 *     .input("image", InputReader.unsignedBytes("pixels", 1 / 255f, 0))
 *     .batchSize(64)
 *     .build()
 *     .score(images);
 * }</pre>
 *
 * <p>On each executor JVM the weights are loaded once (see {@link ExecutorModels}); each task thread runs them
 * through its own session, kept for the thread's later tasks; rows go through the network {@code batchSize} at a
 * time, the last batch of a partition padded with zeros. A row whose value cannot be read (a null, an array of the
 * wrong length) or that the network refuses (a token id that is NaN or outside the embedding's table) gets null
 * outputs and the reason in the error column; the job goes on. Any other failure fails the task, as usual.
 *
 * @param <M> the generated class
 */
public final class SparkScorer<M> implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /** The error column's name unless {@link Builder#errorColumn(String)} says otherwise. */
  public static final String DEFAULT_ERROR_COLUMN = "netc_error";

  private final NetcModel<M> model;
  private final ModelWeights weights;
  private final List<InputReader> readers;
  private final List<String> outputColumns;
  private final String errorColumn;
  private final int batchSize;
  private final int threadsPerTask;
  private final boolean rejectNonFinite;

  private SparkScorer(Builder<M> b) {
    model = b.model;
    weights = Objects.requireNonNull(b.weights, "weights: say where the executors get the weights (ModelWeights)");
    readers = new ArrayList<>();
    for (NetcModel.Port in : model.inputs()) {
      readers.add(b.readers.getOrDefault(in.name(), InputReader.numbers(in.name())));
    }
    outputColumns = new ArrayList<>();
    for (NetcModel.Port out : model.outputs()) outputColumns.add(b.outputColumns.getOrDefault(out.name(), out.name()));
    errorColumn = b.errorColumn;
    batchSize = b.batchSize;
    threadsPerTask = b.threadsPerTask;
    rejectNonFinite = b.rejectNonFinite;
  }

  /** A builder for scoring with the generated class {@code generated}. */
  public static <M> Builder<M> forModel(Class<M> generated) {
    return new Builder<>(NetcModel.of(generated));
  }

  /** The network as the scorer sees it: inputs and outputs. */
  public NetcModel<M> model() {
    return model;
  }

  /**
   * The scored rows: {@code rows}' columns, then one column per output, then the error column. Lazy, as any
   * Dataset transformation; partitions stay as they are. Throws {@link IllegalArgumentException} at once for a
   * missing input column, a column of the wrong type, or an output column that already exists.
   */
  public Dataset<Row> score(Dataset<Row> rows) {
    StructType in = rows.schema();
    StructType out = outputSchema(in);
    int[] columns = new int[readers.size()];
    for (int i = 0; i < readers.size(); i++) {
      InputReader r = readers.get(i);
      if (!Arrays.asList(in.fieldNames()).contains(r.column())) {
        throw new IllegalArgumentException("no column \"" + r.column() + "\" for input " + model.inputs().get(i)
            + "; the columns: " + String.join(", ", in.fieldNames()));
      }
      columns[i] = in.fieldIndex(r.column());
      r.check(in.fields()[columns[i]]);
    }
    ScoreFunction f = new ScoreFunction(this, columns, in.size());
    return rows.mapPartitions(f, Encoders.row(out));
  }

  /** The schema {@link #score} gives rows of schema {@code in}. */
  public StructType outputSchema(StructType in) {
    Set<String> taken = new HashSet<>(Arrays.asList(in.fieldNames()));
    StructType out = in;
    List<String> added = new ArrayList<>(outputColumns);
    added.add(errorColumn);
    for (int i = 0; i < added.size(); i++) {
      String name = added.get(i);
      if (!taken.add(name)) {
        throw new IllegalArgumentException("column \"" + name + "\" already exists; name the "
            + (i < outputColumns.size() ? "output column with outputColumn(\"" + model.outputs().get(i).name() + "\", ...)"
                : "error column with errorColumn(...)"));
      }
      boolean isError = i == outputColumns.size();
      out = out.add(new StructField(name, isError ? DataTypes.StringType
          : DataTypes.createArrayType(DataTypes.FloatType, false), true, org.apache.spark.sql.types.Metadata.empty()));
    }
    return out;
  }

  ModelWeights weights() {
    return weights;
  }

  List<InputReader> readers() {
    return readers;
  }

  int batchSize() {
    return batchSize;
  }

  int threadsPerTask() {
    return threadsPerTask;
  }

  boolean rejectNonFinite() {
    return rejectNonFinite;
  }

  /**
   * Settings of a {@link SparkScorer}: only {@link #weights} is required.
   *
   * @param <M> the generated class
   */
  public static final class Builder<M> {
    private final NetcModel<M> model;
    private ModelWeights weights;
    private final Map<String, InputReader> readers = new LinkedHashMap<>();
    private final Map<String, String> outputColumns = new LinkedHashMap<>();
    private String errorColumn = DEFAULT_ERROR_COLUMN;
    private int batchSize = 32;
    private int threadsPerTask = 1;
    private boolean rejectNonFinite;

    private Builder(NetcModel<M> model) {
      this.model = model;
    }

    /** Where the executors get the weights. */
    public Builder<M> weights(ModelWeights w) {
      weights = Objects.requireNonNull(w, "weights");
      return this;
    }

    /**
     * Reads network input {@code input} from the numeric array column {@code column} (by default each input is
     * read from the column of its own name).
     */
    public Builder<M> input(String input, String column) {
      return input(input, InputReader.numbers(column));
    }

    /** Reads network input {@code input} with {@code reader}. */
    public Builder<M> input(String input, InputReader reader) {
      model.input(input);
      readers.put(input, Objects.requireNonNull(reader, "reader"));
      return this;
    }

    /** Names the column of network output {@code output} (by default the output's own name). */
    public Builder<M> outputColumn(String output, String column) {
      if (model.outputs().stream().noneMatch(p -> p.name().equals(output))) {
        throw new IllegalArgumentException(model.type().getSimpleName() + " has no output named \"" + output
            + "\"; its outputs: " + model.outputs());
      }
      outputColumns.put(output, Objects.requireNonNull(column, "column"));
      return this;
    }

    /** The column that holds why a row was not scored (default {@value SparkScorer#DEFAULT_ERROR_COLUMN}). */
    public Builder<M> errorColumn(String column) {
      errorColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /** Rows per forward pass (default 32): larger batches run the network's kernels more efficiently. */
    public Builder<M> batchSize(int rows) {
      if (rows < 1) throw new IllegalArgumentException("batchSize must be at least 1, got " + rows);
      batchSize = rows;
      return this;
    }

    /**
     * Threads each forward pass may use (default 1: Spark's task threads are the parallelism). More only pays
     * when an executor runs fewer tasks at once than it has cores.
     */
    public Builder<M> threadsPerTask(int threads) {
      if (threads < 1) throw new IllegalArgumentException("threadsPerTask must be at least 1, got " + threads);
      threadsPerTask = threads;
      return this;
    }

    /**
     * Whether a NaN or infinite input value makes the row bad (default false: such values go through the network,
     * which may then output NaN). Token ids are always checked, by the network itself.
     */
    public Builder<M> rejectNonFinite(boolean reject) {
      rejectNonFinite = reject;
      return this;
    }

    /** The scorer. */
    public SparkScorer<M> build() {
      return new SparkScorer<>(this);
    }
  }
}
