package org.linkboard.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.linkboard.api.ErrorCode;
import org.linkboard.server.board.BoardObserver;
import org.linkboard.server.realtime.RealtimeObserver;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The process's metrics, served at {@code /metrics} in Prometheus text format (names and
 * meanings in docs/operations.md). One instance per server, created at start.
 *
 * <p>This is the facade other packages call: the board actors and the WebSocket endpoint report
 * through {@link BoardObserver} / {@link RealtimeObserver} (implemented here), module hooks
 * through {@link #module(String)}, the cluster store through {@link #redisRoundTrip(long)},
 * webhooks through {@link #webhookDelivery(boolean)}.
 *
 * <p>Threading: every method is thread-safe and non-blocking. Hot-path methods touch only
 * counters resolved at construction (an array index for the error code, no tag maps per call).
 */
public final class Metrics implements BoardObserver, RealtimeObserver {

    private static final String PREFIX = "linkboard.";

    private final PrometheusMeterRegistry registry;
    private final Counter opsAccepted;
    private final Counter[] opsRejectedByCode;
    private final Timer ackLatency;
    private final DistributionSummary commitBatch;
    private final Counter sessionsOpened;
    private final Counter sessionsClosed;
    private final Counter framesDropped;
    private final Counter slowReaderCloses;
    private final Counter sendersHeldBack;
    private final Counter rateLimitCloses;
    private final Timer redisRoundTrips;
    private final Timer storeCommits;
    private final Counter webhookDelivered;
    private final Counter webhookFailed;
    private final Counter httpRequests;
    private final Counter httpErrors;
    private final Map<String, ModuleHookMetrics> modules = new ConcurrentHashMap<>();

    public Metrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        opsAccepted = Counter.builder(PREFIX + "ops.accepted").description("operations sequenced and made durable").register(registry);
        ErrorCode[] codes = ErrorCode.values();
        opsRejectedByCode = new Counter[codes.length];
        for (ErrorCode code : codes) {
            opsRejectedByCode[code.ordinal()] = Counter.builder(PREFIX + "ops.rejected")
                    .description("operations refused before they got a seq, by error code")
                    .tag("code", code.name()).register(registry);
        }
        ackLatency = Timer.builder(PREFIX + "ack.latency")
                .description("time from an op's submission to its durable ack")
                .serviceLevelObjectives(Duration.ofNanos(250_000), Duration.ofNanos(500_000), ms(1), ms(2), ms(3), ms(5), ms(10), ms(25),
                        ms(50), ms(100), ms(250), ms(500), ms(1000), ms(5000))
                .register(registry);
        commitBatch = DistributionSummary.builder(PREFIX + "commit.batch.ops")
                .description("ops made durable per store append (group commit)")
                .serviceLevelObjectives(1, 2, 5, 10, 50, 100, 500, 1000, 5000).register(registry);
        sessionsOpened = Counter.builder(PREFIX + "ws.sessions.opened").description("WebSocket sessions authenticated").register(registry);
        sessionsClosed = Counter.builder(PREFIX + "ws.sessions.closed").description("WebSocket sessions ended").register(registry);
        framesDropped = Counter.builder(PREFIX + "ws.frames.dropped").description("frames dropped because a session's outbound queue was full").register(registry);
        slowReaderCloses = Counter.builder(PREFIX + "ws.slow.reader.closes").description("sessions closed with 4408 (too slow to read)").register(registry);
        sendersHeldBack = Counter.builder(PREFIX + "ws.senders.held.back").description("times a session's inbound side was paused because it did not keep up reading").register(registry);
        rateLimitCloses = Counter.builder(PREFIX + "ws.rate.limit.closes").description("sessions closed with 4429 (flooding)").register(registry);
        redisRoundTrips = Timer.builder(PREFIX + "redis.round.trips").description("Redis commands sent and answered (cluster mode)")
                .serviceLevelObjectives(ms(1), ms(5), ms(25), ms(100), ms(1000)).register(registry);
        storeCommits = Timer.builder(PREFIX + "store.commit").description("one group commit of the embedded store, begin to durable (fsync included with --durability power)")
                .serviceLevelObjectives(Duration.ofNanos(250_000), Duration.ofNanos(500_000), ms(1), ms(2), ms(3), ms(5), ms(10), ms(50), ms(250)).register(registry);
        webhookDelivered = Counter.builder(PREFIX + "webhook.deliveries").tag("outcome", "ok").description("webhook delivery attempts").register(registry);
        webhookFailed = Counter.builder(PREFIX + "webhook.deliveries").tag("outcome", "failed").description("webhook delivery attempts").register(registry);
        httpRequests = Counter.builder(PREFIX + "http.requests").description("HTTP requests answered").register(registry);
        httpErrors = Counter.builder(PREFIX + "http.errors").description("HTTP requests answered with status 500 or above").register(registry);
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    /** The Micrometer registry, for binders of other packages (e.g. a Redis client pool gauge). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adds a gauge read at scrape time (e.g. open sessions, loaded boards). */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(PREFIX + name, value).description(description).register(registry);
    }

    /** The whole registry in Prometheus text exposition format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    // ---- board actors --------------------------------------------------------------------------

    @Override
    public void accepted(long nanos) {
        opsAccepted.increment();
        ackLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected(ErrorCode code) {
        opsRejectedByCode[code.ordinal()].increment();
    }

    @Override
    public void committed(int ops) {
        commitBatch.record(ops);
    }

    // ---- sessions ------------------------------------------------------------------------------

    @Override
    public void sessionOpened() {
        sessionsOpened.increment();
    }

    @Override
    public void sessionClosed() {
        sessionsClosed.increment();
    }

    @Override
    public void frameDropped() {
        framesDropped.increment();
    }

    @Override
    public void sendersHeldBack() {
        sendersHeldBack.increment();
    }

    @Override
    public void slowReaderClosed() {
        slowReaderCloses.increment();
    }

    @Override
    public void rateLimitClosed() {
        rateLimitCloses.increment();
    }

    // ---- other packages ------------------------------------------------------------------------

    /**
     * The hook metrics of one module. Resolve once per module (at plugin start) and keep the
     * result: the lookup is a map access, recording on the returned object is not.
     */
    public ModuleHookMetrics module(String moduleId) {
        return modules.computeIfAbsent(moduleId, id -> new ModuleHookMetrics(
                Timer.builder(PREFIX + "plugin.hook.time").tag("module", id).description("time spent in module hooks")
                        .serviceLevelObjectives(ms(1), ms(10), ms(50), ms(200), ms(1000)).register(registry),
                Counter.builder(PREFIX + "plugin.hook.failures").tag("module", id)
                        .description("module hooks that threw, failed or ran past their budget").register(registry)));
    }

    /** One Redis command's round trip (cluster store): {@code nanos} from send to answer. */
    public void redisRoundTrip(long nanos) {
        redisRoundTrips.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One group commit of the embedded store (called on its writer thread). */
    public void storeCommit(long nanos) {
        storeCommits.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One webhook delivery attempt, answered 2xx or not. */
    public void webhookDelivery(boolean ok) {
        (ok ? webhookDelivered : webhookFailed).increment();
    }

    /** One HTTP request answered with {@code status}. */
    public void httpRequest(int status) {
        httpRequests.increment();
        if (status >= 500) httpErrors.increment();
    }

    /** Time and failures of one module's hooks. Thread-safe. */
    public static final class ModuleHookMetrics {
        private final Timer time;
        private final Counter failures;

        ModuleHookMetrics(Timer time, Counter failures) {
            this.time = time;
            this.failures = failures;
        }

        /** One hook call that took {@code nanos}; {@code failed} when it threw, failed or timed out. */
        public void record(long nanos, boolean failed) {
            time.record(nanos, TimeUnit.NANOSECONDS);
            if (failed) failures.increment();
        }
    }
}
