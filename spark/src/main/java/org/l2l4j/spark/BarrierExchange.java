package org.l2l4j.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.function.DoubleSupplier;
import org.apache.spark.BarrierTaskContext;
import org.l2l4j.meta.MetaBatchExchange;

/**
 * The {@link MetaBatchExchange} of one barrier task that exchanges through {@link
 * BarrierTaskContext#allGather}: task {@code id} of {@code tasks} runs the optimizees b with b mod
 * tasks = id, and after each unroll sends their results (meta-gradients as raw float64 bits,
 * base64, so nothing is rounded) to all tasks. Simple, but Spark's allGather polls for completion
 * once a second, so each exchange takes about a second ({@link SocketExchange} is the fast one).
 * Counts what it exchanges.
 */
final class BarrierExchange implements MetaBatchExchange {
  private final BarrierTaskContext context;
  private final int id;
  private final int tasks;
  /** Meta-gradient exchanges (one per meta-update, and one per skipped one). */
  long unrollExchanges;
  /** Bytes of all tasks' messages in those exchanges (each is sent once and received by all). */
  long unrollBytes;

  BarrierExchange(BarrierTaskContext context, int id, int tasks) {
    this.context = context;
    this.id = id;
    this.tasks = tasks;
  }

  @Override
  public boolean runs(int b, int metaBatch) {
    return b % tasks == id;
  }

  @Override
  public void exchange(UnrollResult[] results) {
    String[] all = context.allGather(
        Base64.getEncoder().encodeToString(encode(results, id, tasks)));
    long bytes = 0;
    for (int task = 0; task < all.length; task++) {
      bytes += all[task].length();
      if (task != id) {
        decode(Base64.getDecoder().decode(all[task]), results);
      }
    }
    unrollExchanges++;
    unrollBytes += bytes;
  }

  @Override
  public double validation(DoubleSupplier score) {
    // task 0 validates; the others wait and take its score (all hold the same weights)
    String[] all = context.allGather(id == 0 ? Long.toString(
        Double.doubleToRawLongBits(score.getAsDouble())) : "");
    return Double.longBitsToDouble(Long.parseLong(all[0]));
  }

  /** Task 0's {@code bytes} in every task (the others' arguments are ignored). */
  byte[] fromFirst(byte[] bytes) {
    String[] all = context.allGather(id == 0 ? Base64.getEncoder().encodeToString(bytes) : "");
    return Base64.getDecoder().decode(all[0]);
  }

  /** The results of the optimizees task {@code id} of {@code tasks} runs, as bytes. */
  static byte[] encode(UnrollResult[] results, int id, int tasks) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buf)) {
      for (int b = id; b < results.length; b += tasks) {
        UnrollResult r = results[b];
        out.writeInt(b);
        out.writeBoolean(r.failure() != null);
        if (r.failure() != null) {
          out.writeUTF(r.failure());
        } else {
          double[] g = r.metaGradient();
          out.writeInt(g.length);
          for (double v : g) {
            out.writeLong(Double.doubleToRawLongBits(v));
          }
        }
        out.writeLong(Double.doubleToRawLongBits(r.lossSum()));
        out.writeLong(Double.doubleToRawLongBits(r.lossWeight()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf.toByteArray();
  }

  /** Sets the entries of {@code results} that {@code bytes} ({@link #encode}) holds. */
  static void decode(byte[] bytes, UnrollResult[] results) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      while (in.available() > 0) {
        int b = in.readInt();
        String failure = in.readBoolean() ? in.readUTF() : null;
        double[] g = null;
        if (failure == null) {
          g = new double[in.readInt()];
          for (int j = 0; j < g.length; j++) {
            g[j] = Double.longBitsToDouble(in.readLong());
          }
        }
        double lossSum = Double.longBitsToDouble(in.readLong());
        double lossWeight = Double.longBitsToDouble(in.readLong());
        results[b] = new UnrollResult(failure, g, lossSum, lossWeight);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
