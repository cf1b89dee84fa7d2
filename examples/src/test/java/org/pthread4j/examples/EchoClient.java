package org.pthread4j.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The client side of echo-server's test: opens {@code n} loopback connections to the server,
 * sends a distinct payload on each and checks that every byte comes back, on one platform
 * thread of the test JVM with a {@link Selector}, so that nothing in it depends on the model
 * under test.
 *
 * <ol>
 *   <li>{@link #connect}: connects all {@code n} (the kernel completes each connection from the
 *       listen backlog, whether or not the server has accepted it yet) and sends each payload.
 *   <li>{@link #awaitHeld}: with every connection still open, reads echoes until a given number
 *       of connections have their whole payload back; on a model that serves fewer connections
 *       at once, it then watches for a while that no more come back.
 *   <li>{@link #drain}: closes the sending half of each connection whose echo is complete (the
 *       server's {@code recv} returns 0, its thread closes the connection and ends, and frees what
 *       it held for the next connection), then reads to the end of the stream, until every
 *       connection has ended this way.
 * </ol>
 *
 * Every read is checked against the payload as it arrives: a wrong, missing or extra byte fails
 * the step with the connection and offset.
 */
final class EchoClient implements AutoCloseable {

    /** One connection: its payload, how much of it has come back, whether the server has closed. */
    private static final class Connection {
        final int id;
        final SocketChannel channel;
        final byte[] payload;
        int received;
        boolean shutOutput;

        Connection(int id, SocketChannel channel, byte[] payload) {
            this.id = id;
            this.channel = channel;
            this.payload = payload;
        }

        boolean echoed() {
            return received == payload.length;
        }
    }

    private final Selector selector;
    private final List<Connection> connections = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private int echoed;
    private int ended;
    private long bytesSent;

    private EchoClient() throws IOException {
        selector = Selector.open();
    }

    /** Payload {@code id}: its number, then bytes of a generator seeded by it. */
    static byte[] payload(int id, int size) {
        byte[] p = new byte[size];
        new SplittableRandom(id).nextBytes(p);
        byte[] head = String.format("connection %d: ", id).getBytes();
        System.arraycopy(head, 0, p, 0, Math.min(head.length, size));
        return p;
    }

    /** Connects {@code n} connections to 127.0.0.1:{@code port} and sends each its payload. */
    static EchoClient connect(int port, int n, int payloadSize) throws IOException {
        EchoClient client = new EchoClient();
        try {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < n; i++) {
                SocketChannel channel = SocketChannel.open(server);
                Connection c = new Connection(i, channel, payload(i, payloadSize));
                client.connections.add(c);
                channel.configureBlocking(false);
                channel.register(client.selector, SelectionKey.OP_READ, c);
            }
            for (Connection c : client.connections) {
                // The payload fits the socket's send buffer, so one write queues it whole.
                ByteBuffer b = ByteBuffer.wrap(c.payload);
                c.channel.write(b);
                if (b.hasRemaining()) {
                    throw new AssertionError("connection " + c.id + ": the socket took " + b.position()
                            + " bytes of " + c.payload.length);
                }
                client.bytesSent += c.payload.length;
            }
            return client;
        } catch (IOException | RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    /** Connections whose whole payload has come back. */
    int echoed() {
        return echoed;
    }

    /** Payload bytes sent on all connections. */
    long bytesSent() {
        return bytesSent;
    }

    /**
     * With every connection still open: reads until {@code expected} connections have their
     * whole echo (fails after {@code patienceMillis}), then, if that is fewer than all, goes on
     * reading for {@code quietMillis}. Returns the connections echoed by then.
     */
    int awaitHeld(int expected, long patienceMillis, long quietMillis) throws IOException {
        long deadline = System.nanoTime() + patienceMillis * 1_000_000;
        while (echoed < expected) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError(echoed + " of " + connections.size()
                        + " connections echoed while all were held, expected " + expected + " within "
                        + patienceMillis + " ms");
            }
            poll(left);
        }
        if (expected < connections.size()) {
            long quietEnd = System.nanoTime() + quietMillis * 1_000_000;
            for (long left; (left = (quietEnd - System.nanoTime()) / 1_000_000) > 0; ) {
                poll(left);
            }
        }
        return echoed;
    }

    /**
     * Half-closes every connection once its echo is complete and reads each to the end of the
     * stream (the server closed it), until all have ended; fails after {@code patienceMillis}.
     */
    void drain(long patienceMillis) throws IOException {
        long deadline = System.nanoTime() + patienceMillis * 1_000_000;
        shutOutputOfEchoed();
        while (ended < connections.size()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("after " + patienceMillis + " ms: " + echoed + " of " + connections.size()
                        + " connections echoed, " + ended + " closed by the server");
            }
            poll(left);
            shutOutputOfEchoed();
        }
    }

    private void shutOutputOfEchoed() throws IOException {
        for (SelectionKey key : selector.keys()) {
            Connection c = (Connection) key.attachment();
            if (c.echoed() && !c.shutOutput) {
                c.channel.shutdownOutput();
                c.shutOutput = true;
            }
        }
    }

    /** Waits up to {@code millis} for readable connections and checks what they bring. */
    private void poll(long millis) throws IOException {
        if (selector.select(millis) == 0) {
            return;
        }
        for (SelectionKey key : selector.selectedKeys()) {
            read((Connection) key.attachment(), key);
        }
        selector.selectedKeys().clear();
    }

    private void read(Connection c, SelectionKey key) throws IOException {
        for (;;) {
            buffer.clear();
            int r = c.channel.read(buffer);
            if (r == 0) {
                return;
            }
            if (r < 0) {
                if (!c.echoed()) {
                    throw new AssertionError("connection " + c.id + ": the server closed it after " + c.received
                            + " of " + c.payload.length + " bytes");
                }
                ended++;
                key.cancel();
                c.channel.close();
                return;
            }
            for (int i = 0; i < r; i++, c.received++) {
                if (c.received >= c.payload.length) {
                    throw new AssertionError("connection " + c.id + ": more bytes came back than were sent ("
                            + c.payload.length + ")");
                }
                if (buffer.get(i) != c.payload[c.received]) {
                    throw new AssertionError("connection " + c.id + ": byte " + c.received + " came back as "
                            + buffer.get(i) + ", sent " + c.payload[c.received]);
                }
            }
            if (c.echoed()) {
                echoed++;
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (Connection c : connections) {
            c.channel.close();
        }
        selector.close();
    }
}
