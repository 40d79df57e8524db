package io.coedit.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
    public record Response(int status, Map<String, String> headers) {
    }

    public Response send() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder()
                    .append("GET ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String statusLine = in.readLine();
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    responseHeaders.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
                }
            }
            return new Response(Integer.parseInt(statusLine.split(" ")[1]), responseHeaders);
        }
    }

    public int status() throws IOException {
        return send().status();
    }
}
