package org.linkboard.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {

    @Test
    void theServerAndTheRelayRunWithTheRecommendedJvmOptionsByDefault() {
        assertEquals(List.of("-XX:MaxGCPauseMillis=20"), BenchOptions.parse(new String[0]).serverJvmArgs);
    }

    @Test
    void givenJvmOptionsReplaceTheRecommendedOnes() {
        assertEquals(List.of("-XX:+UseZGC", "-Xmx2g"),
                BenchOptions.parse(new String[] {"--server-jvm-args", "-XX:+UseZGC -Xmx2g"}).serverJvmArgs);
    }

    @Test
    void anEmptyValueRunsThemWithTheJvmDefaults() {
        assertTrue(BenchOptions.parse(new String[] {"--server-jvm-args", ""}).serverJvmArgs.stream().allMatch(String::isBlank));
    }

    @Test
    void theFixedRateScenarioRunsOnlyWhenNamedAtTheRateGiven() {
        BenchOptions named = BenchOptions.parse(new String[] {"--scenario", "s4f", "--rate", "12000"});

        assertEquals(List.of("S4F"), List.copyOf(named.scenarios));
        assertEquals(12000, named.fixedRate);
        assertFalse(BenchOptions.parse(new String[] {"--scenario", "all"}).scenarios.contains("S4F"));
    }

    @Test
    void aRateThatIsNotPositiveIsAUsageError() {
        assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.parse(new String[] {"--scenario", "S4F", "--rate", "0"}));
    }
}
