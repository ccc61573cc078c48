package io.sipai.gateway.analysis.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.common.EventSource;
import io.sipai.events.CallAnalysisFailed;
import io.sipai.events.CallAnalyzed;
import io.sipai.gateway.analysis.AnalysisSettings;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.runtime.events.CallEventEnvelope;
import io.sipai.runtime.openai.OpenAiSettings;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Makes the post-call analyses that are due ({@link AnalysisJobs}), at most {@code ANALYSIS_CONCURRENCY} at once per
 * gateway instance, off every request and Kafka thread. Each one reads the call's conversation from the projected
 * timeline, asks the agent's model (or makes the offline analysis when the agent's brain is not an OpenAI one or no
 * OpenAI endpoint is configured), writes CallAnalyzed to {@code call.events.v1} and waits for the broker before it
 * records the analysis as done. Exactly one analysis per call and generation: the event's id is derived from the
 * call and the generation, so a write repeated after a crash between the write and the record (the claim's lease
 * runs out and another instance makes it again) is the same event, which the timeline drops as a duplicate. A failed
 * attempt is retried with doubling waits; the last one writes CallAnalysisFailed. A failure to write the event is
 * not the analysis's fault and does not use up an attempt.
 */
@Component
public class AnalysisWorker implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AnalysisWorker.class);
    private static final Duration MAX_RETRY_WAIT = Duration.ofMinutes(5);

    private final AnalysisJobs jobs;
    private final DSLContext db;
    private final ObjectMapper mapper;
    private final RecordPublisher publisher;
    private final AnalysisSettings settings;
    private final OpenAiSettings openAi;
    private final OfflineAnalyzer offline;
    private final OpenAiAnalyzer model;
    private final Clock clock;
    private final Semaphore slots;
    private final Counter analyzed;
    private final Counter failed;
    private final Counter retried;
    private ScheduledExecutorService poller;
    private ExecutorService workers;

    public AnalysisWorker(AnalysisJobs jobs, DSLContext db, ObjectMapper mapper, RecordPublisher publisher,
                          AnalysisSettings settings, OpenAiSettings openAi, Clock clock, MeterRegistry meters) {
        this.jobs = jobs;
        this.db = db;
        this.mapper = mapper;
        this.publisher = publisher;
        this.settings = settings;
        this.openAi = openAi;
        this.clock = clock;
        this.offline = new OfflineAnalyzer(mapper);
        this.model = new OpenAiAnalyzer(openAi, mapper, Duration.ofMillis(settings.timeoutMs()));
        this.slots = new Semaphore(settings.concurrency());
        this.analyzed = Counter.builder("gateway.analyses").tag("outcome", "analyzed")
                .description("post-call analyses by outcome").register(meters);
        this.failed = Counter.builder("gateway.analyses").tag("outcome", "failed")
                .description("post-call analyses by outcome").register(meters);
        this.retried = Counter.builder("gateway.analyses").tag("outcome", "retried")
                .description("post-call analyses by outcome").register(meters);
    }

    private void poll() {
        int free = slots.availablePermits();
        if (free == 0) {
            return;
        }
        List<AnalysisJobs.Job> due;
        try {
            // The lease outlives every attempt's model request, so only a dead instance's claim runs out.
            due = jobs.claim(free, 2L * settings.timeoutMs() + 10_000);
        } catch (RuntimeException e) {
            LOG.debug("analysis poll failed: {}", e.toString());
            return;
        }
        for (AnalysisJobs.Job job : due) {
            slots.acquireUninterruptibly();
            workers.execute(() -> {
                try {
                    run(job);
                } catch (RuntimeException e) {
                    LOG.warn("analysis of call {} could not be recorded: {}", job.callId(), e.toString());
                } finally {
                    slots.release();
                }
            });
        }
    }

    /** Makes one claimed analysis and records what came of it. */
    void run(AnalysisJobs.Job job) {
        Optional<AgentAnalysis> agent = AgentAnalysis.load(db, mapper, job.agentId());
        if (agent.isEmpty()) {
            jobs.end(job, AnalysisJobs.Status.SKIPPED, job.attempts(), null);
            return;
        }
        int attempt = job.attempts() + 1;
        Analysis analysis;
        try {
            analysis = analyze(CallConversation.load(db, mapper, job.callId()), agent.get());
        } catch (OpenAiAnalyzer.AttemptFailed e) {
            attemptFailed(job, attempt, e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            publish(job, CallEventEnvelope.stableId(job.callId(), "analysis", Integer.toString(job.generation())),
                    CallAnalyzed.newBuilder().setGeneration(job.generation()).setSummary(analysis.summary())
                            .setStructuredDataJson(analysis.structuredDataJson()).setSuccess(analysis.success())
                            .setSuccessReason(analysis.successReason()).setEngine(analysis.engine())
                            .setAttempts(attempt).build());
        } catch (RuntimeException e) {
            jobs.retry(job, job.attempts(), "event not written: " + e.getMessage(),
                    later(Math.max(1, job.attempts())));
            return;
        }
        jobs.done(job, analysis, attempt);
        analyzed.increment();
    }

    private Analysis analyze(CallConversation call, AgentAnalysis agent)
            throws OpenAiAnalyzer.AttemptFailed, InterruptedException {
        boolean useModel = "openai".equals(agent.llmProvider()) && openAi.configured();
        return useModel ? model.analyze(call, agent) : offline.analyze(call, agent);
    }

    private void attemptFailed(AnalysisJobs.Job job, int attempt, String error) {
        if (attempt < settings.maxAttempts()) {
            retried.increment();
            jobs.retry(job, attempt, error, later(attempt));
            return;
        }
        LOG.warn("analysis {} of call {} failed after {} attempts: {}", job.generation(), job.callId(), attempt,
                error);
        publish(job, CallEventEnvelope.stableId(job.callId(), "analysis-failed", Integer.toString(job.generation())),
                CallAnalysisFailed.newBuilder().setGeneration(job.generation()).setError(error).setAttempts(attempt)
                        .build());
        jobs.end(job, AnalysisJobs.Status.FAILED, attempt, error);
        failed.increment();
    }

    private void publish(AnalysisJobs.Job job, String eventId, Object payload) {
        publisher.sendAndWait(CallEventEnvelope.of(new CallEventEnvelope.CallRef(job.callId(), job.tenantId(), null,
                job.agentId()), EventSource.API_GATEWAY, eventId, Instant.now(clock), payload));
    }

    private OffsetDateTime later(int attempt) {
        long wait = Math.min(MAX_RETRY_WAIT.toMillis(), settings.retryBaseMs() * (1L << Math.min(20, attempt - 1)));
        return OffsetDateTime.now(clock).plusNanos(Math.max(1, wait) * 1_000_000);
    }

    @Override
    public synchronized void start() {
        workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("analysis-", 0).factory());
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("analysis-poller")
                .factory());
        poller.scheduleWithFixedDelay(this::poll, settings.pollIntervalMs(), settings.pollIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
            workers.shutdownNow();
            poller = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return poller != null;
    }
}
