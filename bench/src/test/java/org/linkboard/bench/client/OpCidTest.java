package org.linkboard.bench.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpCidTest {

    @Test
    void roundTripsEveryPartIncludingANegativeNanoTime() {
        OpCid c = new OpCid(3, 499, 12_345, -9_876_543_210L);
        assertEquals("3.499.12345.-9876543210", c.encode());
        assertEquals(c, OpCid.decode(c.encode()));
    }

    @Test
    void refusesSomeoneElsesCid() {
        assertThrows(IllegalArgumentException.class, () -> OpCid.decode("browser-tab-7"));
        assertThrows(IllegalArgumentException.class, () -> OpCid.decode("1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> OpCid.decode("1.x.3.4"));
        assertThrows(IllegalArgumentException.class, () -> OpCid.decode("1.2.3."));
    }
}
