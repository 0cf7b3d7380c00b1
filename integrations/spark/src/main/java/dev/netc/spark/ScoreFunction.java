package dev.netc.spark;

import dev.netc.runtime.InputException;
import java.io.Serial;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** The function each task runs over its partition: rows in, the same rows with outputs and an error out. */
final class ScoreFunction implements MapPartitionsFunction<Row, Row> {
  @Serial private static final long serialVersionUID = 1L;

  private final SparkScorer<?> scorer;
  private final int[] columns;
  private final int width;

  ScoreFunction(SparkScorer<?> scorer, int[] columns, int width) {
    this.scorer = scorer;
    this.columns = columns.clone();
    this.width = width;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Scoring(rows);
  }

  /** One row waiting for its batch: its slot in the batch, or why it has none. */
  private record Pending(Row row, int slot, String error) {}

  /** Pulls a batch of rows, runs it, hands the rows out; lazily, one batch in memory at a time. */
  private final class Scoring implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final NetcModel<?> model = scorer.model();
    private final List<InputReader> readers = scorer.readers();
    private final List<NetcModel.Port> inputs = model.inputs();
    private final List<NetcModel.Port> outputs = model.outputs();
    private final ExecutorModels.Lease lease;
    private final NetcModel.Runner runner;
    private ExecutorModels.Lease singleLease;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private final List<Pending> pending = new ArrayList<>();
    private NetcModel.Runner single;

    Scoring(Iterator<Row> rows) {
      this.rows = rows;
      lease = ExecutorModels.lease(model, scorer.weights(), scorer.batchSize(), scorer.threadsPerTask());
      runner = lease.runner();
      TaskContext task = TaskContext.get();
      if (task != null) task.addTaskCompletionListener((TaskCompletionListener) t -> done());
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && rows.hasNext()) nextBatch();
      if (ready.isEmpty()) done();
      return !ready.isEmpty();
    }

    /** Gives the runners back to the thread: the partition is scored, or the task ended early. */
    private void done() {
      lease.close();
      if (singleLease != null) singleLease.close();
    }

    @Override
    public Row next() {
      if (!hasNext()) throw new NoSuchElementException();
      return ready.poll();
    }

    private void nextBatch() {
      int batch = runner.batch();
      int slots = 0;
      // Bad rows take no slot; a partition of nothing but bad rows still comes out a few batches at a time.
      while (slots < batch && pending.size() < 4 * batch && rows.hasNext()) {
        Row row = rows.next();
        String error = read(row, runner, slots);
        pending.add(new Pending(row, error == null ? slots++ : -1, error));
      }
      if (slots > 0) {
        for (int i = 0; i < inputs.size(); i++) {
          int size = inputs.get(i).size();
          Arrays.fill(runner.input(i), slots * size, batch * size, 0f);
        }
        try {
          runner.forward();
          for (Pending p : pending) ready.add(p.slot < 0 ? failed(p.row, p.error) : scored(p.row, runner, p.slot));
        } catch (InputException e) {
          oneByOne();
        }
      } else {
        for (Pending p : pending) ready.add(failed(p.row, p.error));
      }
      pending.clear();
    }

    /** The batch had a row the network refused: run its rows one at a time to tell which. */
    private void oneByOne() {
      if (single == null) {
        singleLease = ExecutorModels.lease(model, scorer.weights(), 1, 1);
        single = singleLease.runner();
      }
      for (Pending p : pending) {
        if (p.slot < 0) {
          ready.add(failed(p.row, p.error));
          continue;
        }
        for (int i = 0; i < inputs.size(); i++) {
          int size = inputs.get(i).size();
          System.arraycopy(runner.input(i), p.slot * size, single.input(i), 0, size);
        }
        try {
          single.forward();
          ready.add(scored(p.row, single, 0));
        } catch (InputException e) {
          ready.add(failed(p.row, e.getMessage()));
        }
      }
    }

    /** Reads the row's inputs into {@code slot}; the reason it cannot, or null. */
    private String read(Row row, NetcModel.Runner into, int slot) {
      try {
        for (int i = 0; i < readers.size(); i++) {
          int size = inputs.get(i).size();
          float[] dst = into.input(i);
          readers.get(i).read(row.get(columns[i]), dst, slot * size, size);
          if (scorer.rejectNonFinite()) checkFinite(readers.get(i).column(), dst, slot * size, size);
        }
        return null;
      } catch (BadRowException e) {
        return e.getMessage();
      }
    }

    private static void checkFinite(String column, float[] values, int from, int size) {
      for (int i = 0; i < size; i++) {
        if (!Float.isFinite(values[from + i])) throw new BadRowException(column + ": " + values[from + i] + " at index " + i);
      }
    }

    private Row scored(Row row, NetcModel.Runner from, int slot) {
      Object[] values = copy(row);
      for (int o = 0; o < outputs.size(); o++) {
        int size = outputs.get(o).size();
        values[width + o] = Arrays.copyOfRange(from.output(o), slot * size, (slot + 1) * size);
      }
      return RowFactory.create(values);
    }

    private Row failed(Row row, String error) {
      Object[] values = copy(row);
      values[values.length - 1] = error;
      return RowFactory.create(values);
    }

    private Object[] copy(Row row) {
      Object[] values = new Object[width + outputs.size() + 1];
      for (int i = 0; i < width; i++) values[i] = row.get(i);
      return values;
    }
  }
}
