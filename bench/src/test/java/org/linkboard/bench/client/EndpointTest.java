package org.linkboard.bench.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointTest {

    @Test
    void takesHostAndPortFromAWebSocketUrlIgnoringThePath() {
        assertEquals(new Endpoint("10.0.0.2", 8081), Endpoint.parse("ws://10.0.0.2:8081/ws"));
        assertEquals(new Endpoint("localhost", 8080), Endpoint.parse("localhost:8080"));
        assertEquals(new Endpoint("example.org", 80), Endpoint.parse("http://example.org"));
    }

    @Test
    void refusesAUrlWithoutHost() {
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("ws:///ws"));
    }
}
