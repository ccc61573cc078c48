package io.sipai.processors.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.sipai.runtime.kafka.StreamsApplication;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /streams/tasks}: which Kafka Streams tasks this instance runs, as active and as standby, and how far
 * its local stores lag their changelogs, per application. After an instance was lost and replaced, the deployment is
 * redundant again (it survives the next loss without restoring state from scratch) once every task is active on one
 * instance and standby on another, and the standbys' stores have caught up: a rolling restart or the next planned
 * kill should wait for that, not only for readiness. The lag is looked up from the brokers on each request.
 */
@RestController
public class StreamsTasksController {

    private final List<StreamsApplication> apps;

    public StreamsTasksController(List<StreamsApplication> apps) {
        this.apps = List.copyOf(apps);
    }

    /**
     * One application on this instance.
     *
     * @param applicationId the application id
     * @param state         the Streams client state
     * @param active        task ids this instance runs
     * @param standby       task ids it keeps a warm copy of
     * @param maxStoreLag   the largest offset lag of a local store (active or standby) behind its changelog; -1 when
     *                      it cannot be told right now (not running, rebalancing, brokers unreachable)
     */
    public record AppTasks(String applicationId, String state, List<String> active, List<String> standby,
                           long maxStoreLag) {
    }

    /** The body: one entry per application. */
    public record Tasks(List<AppTasks> apps) {
    }

    @GetMapping(path = "/streams/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
    public Tasks tasks() {
        return new Tasks(apps.stream().map(StreamsTasksController::describe).toList());
    }

    private static AppTasks describe(StreamsApplication app) {
        KafkaStreams streams = app.streams();
        TreeSet<String> active = new TreeSet<>();
        TreeSet<String> standby = new TreeSet<>();
        try {
            for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                thread.activeTasks().stream().map(TaskMetadata::taskId).forEach(id -> active.add(id.toString()));
                thread.standbyTasks().stream().map(TaskMetadata::taskId).forEach(id -> standby.add(id.toString()));
            }
        } catch (RuntimeException notRunning) {
            return new AppTasks(app.applicationId(), app.state().name(), List.of(), List.of(), -1);
        }
        return new AppTasks(app.applicationId(), app.state().name(), List.copyOf(active), List.copyOf(standby),
                maxStoreLag(streams));
    }

    private static long maxStoreLag(KafkaStreams streams) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return -1;
        }
        try {
            long max = 0;
            for (Map<Integer, LagInfo> partitions : streams.allLocalStorePartitionLags().values()) {
                for (LagInfo lag : partitions.values()) {
                    max = Math.max(max, lag.offsetLag());
                }
            }
            return max;
        } catch (RuntimeException unknown) {
            return -1;
        }
    }
}
