package dev.intake.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of ClickHouse that breaks the connection in the middle of one kind of answer: once a request
 * containing {@code marker} has passed, it forwards only {@code cutAfterBytes} bytes of the answer and then drops
 * both sides, as a store that dies mid-stream would. Everything else passes through.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final byte[] marker;
    private final long cutAfterBytes;
    private final AtomicBoolean cut = new AtomicBoolean();

    CuttingProxy(int upstreamPort, String marker, long cutAfterBytes) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.marker = marker.getBytes(StandardCharsets.UTF_8);
        this.cutAfterBytes = cutAfterBytes;
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Whether a connection was cut. */
    boolean cut() {
        return cut.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                AtomicBoolean armed = new AtomicBoolean();
                pump("up", client, upstream, armed, false);
                pump("down", upstream, client, armed, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(String name, Socket from, Socket to, AtomicBoolean armed, boolean answers) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            long sentSinceArmed = 0;
            int matched = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (!answers) {
                        for (int i = 0; i < n; i++) {
                            matched = buffer[i] == marker[matched] ? matched + 1 : (buffer[i] == marker[0] ? 1 : 0);
                            if (matched == marker.length) {
                                armed.set(true);
                                matched = 0;
                            }
                        }
                        out.write(buffer, 0, n);
                    } else if (armed.get() && sentSinceArmed + n >= cutAfterBytes) {
                        out.write(buffer, 0, (int) (cutAfterBytes - sentSinceArmed));
                        out.flush();
                        cut.set(true);
                        from.close();
                        to.close();
                        return;
                    } else {
                        out.write(buffer, 0, n);
                        if (armed.get()) {
                            sentSinceArmed += n;
                        }
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: so does the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cutting-proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
