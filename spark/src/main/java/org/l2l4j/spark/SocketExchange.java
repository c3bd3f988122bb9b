package org.l2l4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.function.DoubleSupplier;
import org.apache.spark.BarrierTaskContext;
import org.l2l4j.meta.MetaBatchExchange;

/**
 * The {@link MetaBatchExchange} of one barrier task over plain TCP: task 0 listens, publishes its
 * address once with {@link BarrierTaskContext#allGather}, and every other task connects to it.
 * After each unroll every task sends its optimizees' results ({@link BarrierExchange#encode}) to
 * task 0, which sends all of them, in task order, back to every task: one round trip instead of
 * allGather's one-second polling. Reads wake every second to notice a killed task, so a failed
 * stage ends and Spark can retry it. Counts what it exchanges.
 */
final class SocketExchange implements MetaBatchExchange, AutoCloseable {
  private static final int POLL_MS = 1000;
  private final BarrierTaskContext context;
  private final int id;
  private final int tasks;
  private final ServerSocket server;
  /** Task 0: the connection of task i (index 0 unused); other tasks: [0], to task 0. */
  private final Socket[] peers;
  /** Meta-gradient exchanges (one per meta-update, and one per skipped one). */
  long unrollExchanges;
  /** Bytes of all tasks' messages in those exchanges (each goes to task 0 and back to all). */
  long unrollBytes;

  SocketExchange(BarrierTaskContext context, int id, int tasks) {
    this.context = context;
    this.id = id;
    this.tasks = tasks;
    this.peers = new Socket[tasks];
    try {
      server = id == 0 ? new ServerSocket(0) : null;
      // the executor's address as Spark knows it, "host:port"; the host is what other tasks reach
      String host = context.getTaskInfos()[0].address().replaceFirst(":\\d+$", "");
      String[] all = context.allGather(id == 0 ? host + ":" + server.getLocalPort() : "");
      if (id == 0) {
        server.setSoTimeout(POLL_MS);
        for (int connected = 1; connected < tasks; ) {
          Socket s;
          try {
            s = server.accept();
          } catch (SocketTimeoutException e) {
            context.killTaskIfInterrupted();
            continue;
          }
          configure(s);
          int peer = ByteBuffer.wrap(read(s, 4)).getInt();
          if (peer < 1 || peer >= tasks || peers[peer] != null) {
            throw new IOException("unexpected task " + peer + " connected");
          }
          peers[peer] = s;
          connected++;
        }
      } else {
        String address = all[0];
        int colon = address.lastIndexOf(':');
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address.substring(0, colon),
            Integer.parseInt(address.substring(colon + 1))), 60_000);
        configure(s);
        peers[0] = s;
        write(s, ByteBuffer.allocate(4).putInt(id).array());
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("task " + id + ": " + e.getMessage(), e);
    }
  }

  private static void configure(Socket s) throws IOException {
    s.setTcpNoDelay(true);
    s.setSoTimeout(POLL_MS);
  }

  @Override
  public boolean runs(int b, int metaBatch) {
    return b % tasks == id;
  }

  @Override
  public void exchange(UnrollResult[] results) {
    byte[][] all = roundTrip(BarrierExchange.encode(results, id, tasks));
    long bytes = 0;
    for (int task = 0; task < tasks; task++) {
      bytes += all[task].length;
      if (task != id) {
        BarrierExchange.decode(all[task], results);
      }
    }
    unrollExchanges++;
    unrollBytes += bytes;
  }

  @Override
  public double validation(DoubleSupplier score) {
    byte[] mine = id == 0
        ? ByteBuffer.allocate(8).putDouble(score.getAsDouble()).array() : new byte[0];
    return ByteBuffer.wrap(roundTrip(mine)[0]).getDouble();
  }

  /** Every task's message, in task order; {@code mine} is this task's. */
  private byte[][] roundTrip(byte[] mine) {
    try {
      byte[][] all = new byte[tasks][];
      if (id == 0) {
        all[0] = mine;
        for (int t = 1; t < tasks; t++) {
          all[t] = read(peers[t], ByteBuffer.wrap(read(peers[t], 4)).getInt());
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        for (byte[] m : all) {
          out.writeInt(m.length);
          out.write(m);
        }
        byte[] frame = buf.toByteArray();
        for (int t = 1; t < tasks; t++) {
          write(peers[t], frame);
        }
      } else {
        write(peers[0], ByteBuffer.allocate(4 + mine.length).putInt(mine.length).put(mine)
            .array());
        for (int t = 0; t < tasks; t++) {
          all[t] = read(peers[0], ByteBuffer.wrap(read(peers[0], 4)).getInt());
        }
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException("task " + id + ": exchange failed: " + e.getMessage(), e);
    }
  }

  private static void write(Socket s, byte[] bytes) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  /** Reads exactly {@code n} bytes, waking every second to see whether the task was killed. */
  private byte[] read(Socket s, int n) throws IOException {
    byte[] b = new byte[n];
    InputStream in = s.getInputStream();
    int off = 0;
    while (off < n) {
      try {
        int r = in.read(b, off, n - off);
        if (r < 0) {
          throw new EOFException("connection closed by the other task");
        }
        off += r;
      } catch (SocketTimeoutException e) {
        context.killTaskIfInterrupted();
      }
    }
    return b;
  }

  @Override
  public void close() {
    for (Socket s : peers) {
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
