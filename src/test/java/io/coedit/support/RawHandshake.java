package io.coedit.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WebSocket upgrade request written byte for byte on a real socket, so tests see exactly the status the server
 * answers (and that it never says 101 when it must not), with paths no client library would send.
 */
public final class RawHandshake {

    private final int port;
    private final String path;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private RawHandshake(int port, String path) {
        this.port = port;
        this.path = path;
    }

    public static RawHandshake to(int port, String path) {
        return new RawHandshake(port, path);
    }

    public RawHandshake header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public RawHandshake bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    /** The response: status line and headers. */
    public record Response(int status, Map<String, String> headers) {}

    public Response send() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return handshake(socket);
        }
    }

    /**
     * Upgrades and returns the open socket without ever reading from it again: a client that stopped reading,
     * and that never answers a ping.
     */
    public Socket openAndStopReading() throws IOException {
        Socket socket = new Socket();
        // before connecting, so the kernel cannot grow the window (autotuning goes up to 32 MB on loopback here)
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        Response response = handshake(socket);
        if (response.status() != 101) {
            socket.close();
            throw new IOException("Upgrade refused with " + response.status());
        }
        return socket;
    }

    private Response handshake(Socket socket) throws IOException {
        {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder()
                    .append("GET ")
                    .append(path)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:")
                    .append(port)
                    .append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) ->
                    request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String statusLine = readLine(socket);
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            for (String line = readLine(socket); line != null && !line.isEmpty(); line = readLine(socket)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    responseHeaders.put(
                            line.substring(0, colon).trim().toLowerCase(),
                            line.substring(colon + 1).trim());
                }
            }
            return new Response(Integer.parseInt(statusLine.split(" ")[1]), responseHeaders);
        }
    }

    /** Reads one header line byte by byte, so nothing after the headers is consumed. */
    private static String readLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = socket.getInputStream().read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return c == -1 && line.length() == 0 ? null : line.toString();
    }

    public int status() throws IOException {
        return send().status();
    }
}
