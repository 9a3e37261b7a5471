package org.linkboard.server.config;

import org.junit.jupiter.api.Test;
import org.linkboard.server.store.Durability;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    @Test
    void defaultsMatchTheContract() throws Exception {
        ServerOptions o = CommandLine.parse(List.of(), Map.of());
        assertEquals(8080, o.port());
        assertEquals(Path.of("data"), o.dataDir());
        assertNull(o.redis());
        assertFalse(o.demo());
    }

    @Test
    void everyFlagHasAnEnvironmentVariable() throws Exception {
        ServerOptions o = CommandLine.parse(List.of(), Map.of("LINKBOARD_PORT", "9090", "LINKBOARD_DATA_DIR", "/tmp/x",
                "LINKBOARD_DEMO", "true", "LINKBOARD_ADMIN_PASSWORD", "pw", "LINKBOARD_JWT_SECRET", "s",
                "LINKBOARD_REDIS", "redis://127.0.0.1:6379", "LINKBOARD_PLUGINS_DIR", "/p"));
        assertEquals(9090, o.port());
        assertEquals(Path.of("/tmp/x"), o.dataDir());
        assertTrue(o.demo());
        assertEquals("pw", o.adminPassword());
        assertEquals("s", o.jwtSecret());
        assertEquals("redis://127.0.0.1:6379", o.redis());
        assertEquals(Path.of("/p"), o.pluginsDir());
    }

    @Test
    void flagWinsOverEnvironment() throws Exception {
        ServerOptions o = CommandLine.parse(List.of("--port", "0"), Map.of("LINKBOARD_PORT", "9090"));
        assertEquals(0, o.port());
    }

    @Test
    void equalsFormIsAccepted() throws Exception {
        assertEquals(1234, CommandLine.parse(List.of("--port=1234"), Map.of()).port());
    }

    @Test
    void unknownFlagIsAUsageError() {
        var e = assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--prot", "1"), Map.of()));
        assertTrue(e.getMessage().contains("unknown flag --prot"));
    }

    @Test
    void badPortIsAUsageError() {
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--port", "eighty"), Map.of()));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--port", "70000"), Map.of()));
    }

    @Test
    void badEnvironmentValueIsAUsageError() {
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of(), Map.of("LINKBOARD_PORT", "x")));
    }

    @Test
    void flagWithoutValueIsAUsageError() {
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--data-dir"), Map.of()));
    }

    @Test
    void redisMustBeAUri() {
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--redis", "localhost"), Map.of()));
    }

    @Test
    void durabilityDefaultsToPowerLossSafeAndAcceptsProcess() throws Exception {
        assertEquals(Durability.POWER, CommandLine.parse(List.of(), Map.of()).durability());
        assertEquals(Durability.PROCESS, CommandLine.parse(List.of("--durability", "process"), Map.of()).durability());
        assertEquals(Durability.PROCESS, CommandLine.parse(List.of(), Map.of("LINKBOARD_DURABILITY", "process")).durability());
    }

    @Test
    void unknownDurabilityIsAUsageErrorNamingTheChoices() {
        var e = assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--durability", "none"), Map.of()));
        assertTrue(e.getMessage().contains("power or process"), e.getMessage());
    }

    @Test
    void eventLoopsDefaultToOnePerCoreAndTakeAPositiveCount() throws Exception {
        assertEquals(0, CommandLine.parse(List.of(), Map.of()).eventLoops(), "0: one per core, at least 2");
        assertEquals(1, CommandLine.parse(List.of("--event-loops", "1"), Map.of()).eventLoops());
        assertEquals(3, CommandLine.parse(List.of(), Map.of("LINKBOARD_EVENT_LOOPS", "3")).eventLoops());
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(List.of("--event-loops", "0"), Map.of()));
    }
}
