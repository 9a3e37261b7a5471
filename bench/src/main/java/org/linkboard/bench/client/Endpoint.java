package org.linkboard.bench.client;

import java.net.URI;

/**
 * One server node: host and port, from a {@code ws://host:port[/ws]} URL.
 *
 * @param host host name or address
 * @param port TCP port
 */
public record Endpoint(String host, int port) {

    /**
     * Parses {@code ws://host:port}, {@code http://host:port} or {@code host:port}; the path is ignored.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Endpoint parse(String url) {
        String u = url.contains("://") ? url : "ws://" + url;
        URI uri = URI.create(u);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        int port = uri.getPort();
        if (port < 0) {
            port = u.startsWith("wss") || u.startsWith("https") ? 443 : 80;
        }
        return new Endpoint(uri.getHost(), port);
    }
}
