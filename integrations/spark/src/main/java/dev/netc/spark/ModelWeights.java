package dev.netc.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Where each executor gets a model's weights from. Every executor JVM loads them once per source (see
 * {@link ExecutorModels}) and shares the model among its task threads.
 */
public sealed interface ModelWeights extends Serializable {
  /** What identifies these weights in an executor's cache of models. */
  String key();

  /** Loads the weights into a model of {@code model}'s class. */
  <M> M load(NetcModel<M> model) throws IOException;

  /**
   * A safetensors file every executor can read: a local path or {@code file:} URI (a shared mount, or a file
   * shipped with {@code spark-submit --files}), memory-mapped while it loads; or any URI Hadoop's file systems
   * read ({@code hdfs://}, {@code s3a://}, ...), streamed.
   */
  static ModelWeights path(String pathOrUri) {
    return new FromPath(Objects.requireNonNull(pathOrUri, "pathOrUri"));
  }

  /**
   * The bytes of a safetensors file, sent to every executor once as a Spark broadcast variable: for weights the
   * driver has and the executors cannot read from a shared path.
   */
  static ModelWeights broadcast(SparkSession spark, byte[] safetensors) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return new FromBroadcast(sc.broadcast(safetensors.clone()));
  }

  /** The generated class's seeded random weights: for trying a pipeline out before the real weights exist. */
  static ModelWeights random(long seed) {
    return new Random(seed);
  }

  /** A file by path or URI. */
  record FromPath(String pathOrUri) implements ModelWeights {
    @Override
    public String key() {
      return "path:" + pathOrUri;
    }

    @Override
    public <M> M load(NetcModel<M> model) throws IOException {
      if (!pathOrUri.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) return model.load(Path.of(pathOrUri));
      URI uri = URI.create(pathOrUri);
      if (uri.getScheme().equals("file")) return model.load(Path.of(uri));
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = path.getFileSystem(new Configuration());
      try (InputStream in = fs.open(path)) {
        return model.load(in);
      }
    }
  }

  /** Bytes broadcast from the driver. */
  record FromBroadcast(Broadcast<byte[]> bytes) implements ModelWeights {
    @Override
    public String key() {
      return "broadcast:" + bytes.id();
    }

    @Override
    public <M> M load(NetcModel<M> model) throws IOException {
      return model.load(ByteBuffer.wrap(bytes.value()));
    }
  }

  /** Seeded random weights. */
  record Random(long seed) implements ModelWeights {
    @Override
    public String key() {
      return "random:" + seed;
    }

    @Override
    public <M> M load(NetcModel<M> model) {
      return model.randomWeights(seed);
    }
  }
}
