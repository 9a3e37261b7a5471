package org.linkboard.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
