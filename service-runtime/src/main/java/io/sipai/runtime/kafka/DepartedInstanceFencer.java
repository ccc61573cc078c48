package io.sipai.runtime.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the open transaction of an instance of a Kafka Streams application that left its group without closing
 * (SIGKILL, OOM, a lost host) as soon as the group coordinator has removed it, instead of when the broker times the
 * transaction out.
 *
 * <p>Why: with {@code exactly_once_v2} each stream thread writes through its own transactional id,
 * {@code <application.id>-<processId>-<thread>}, which no other instance ever uses, so the survivor that takes over
 * a dead instance's partitions cannot fence it. Until the dead instance's last transaction is aborted, the
 * partitions it wrote keep their last stable offset behind it and every {@code read_committed} reader of them
 * (the survivor's restore and input consumers, customers) stands still: the transaction timeout plus up to one
 * abort check of the broker was the floor of a failover. Here each instance checks, every {@link #CHECK_INTERVAL},
 * for transactions of its application open longer than {@link #MIN_OPEN}, and fences (through
 * {@link Admin#fenceProducers}, which aborts the transaction at once) those whose process is no longer a member of
 * the group. A live instance's transactions last one commit interval and its members are in the group, so it is
 * never touched; the one race, an instance restarted with the same state directory whose old transaction was
 * listed just before it aborted that transaction itself, costs it one fenced producer, which Kafka Streams handles
 * as a migrated task.
 *
 * <p>Transactions are listed before the group is described: a process that began a transaction had joined the
 * group before, so a missing member means a departed one. The check stops itself, with one log line, where the
 * brokers or the credentials do not allow it (no {@code Describe} on the group or the transactional ids, a broker
 * before 3.8, a client id that hides the process id); the transaction timeout then applies as before. Without
 * Describe rights on the transactional ids the brokers list no transaction at all, so nothing is fenced and nothing
 * is said: grant them as the deploys in {@code infra/} do. A group that is empty, dead or of another protocol fences
 * nobody.
 */
final class DepartedInstanceFencer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DepartedInstanceFencer.class);

    static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
    /** Longer than any live transaction of a sipai application (commit intervals are 100-1000 ms). */
    static final Duration MIN_OPEN = Duration.ofMillis(1500);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Set<GroupState> LIVE_GROUP = Set.of(GroupState.STABLE, GroupState.PREPARING_REBALANCE,
            GroupState.COMPLETING_REBALANCE);
    private static final Pattern UUID = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    private final String applicationId;
    private final Admin admin;
    private final ScheduledExecutorService timer;

    private DepartedInstanceFencer(String applicationId, Admin admin) {
        this.applicationId = applicationId;
        this.admin = admin;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, applicationId + "-departed-fencer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts checking for the application with {@code adminConfig} (the application's own connection). */
    static DepartedInstanceFencer start(String applicationId, Map<String, Object> adminConfig) {
        DepartedInstanceFencer fencer = new DepartedInstanceFencer(applicationId, Admin.create(adminConfig));
        fencer.timer.scheduleWithFixedDelay(fencer::checkSafely, CHECK_INTERVAL.toMillis(),
                CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return fencer;
    }

    private void checkSafely() {
        try {
            fenceDeparted();
        } catch (ExecutionException e) {
            failed(e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failed(Throwable cause) {
        if (cause instanceof UnsupportedVersionException || cause instanceof AuthorizationException
                || cause instanceof CannotTellProcesses) {
            LOG.warn("{}: cannot fence the transactions of departed instances ({}); a failover waits for the "
                    + "transaction timeout instead", applicationId, cause.getMessage());
            timer.shutdown();
        } else {
            // The brokers are unreachable or busy: the next check tries again.
            LOG.debug("{}: departed-instance check failed", applicationId, cause);
        }
    }

    /** One check: the transactional ids it fenced. */
    List<String> fenceDeparted() throws ExecutionException, InterruptedException, TimeoutException {
        List<TransactionListing> open = longOpenTransactions();
        if (open.isEmpty()) {
            return List.of();
        }
        Set<String> members = memberProcesses();
        List<String> departed = open.stream().map(TransactionListing::transactionalId)
                .filter(id -> processOf(id).filter(process -> !members.contains(process)).isPresent())
                .toList();
        if (!departed.isEmpty()) {
            admin.fenceProducers(departed).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("{}: aborted the open transactions of departed instances: {}", applicationId, departed);
        }
        return departed;
    }

    private List<TransactionListing> longOpenTransactions()
            throws ExecutionException, InterruptedException, TimeoutException {
        ListTransactionsOptions options = new ListTransactionsOptions()
                .filterStates(List.of(TransactionState.ONGOING))
                .filterOnDuration(MIN_OPEN.toMillis());
        Collection<TransactionListing> listed = admin.listTransactions(options).all()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return listed.stream().filter(listing -> processOf(listing.transactionalId()).isPresent()).toList();
    }

    /** The process ids of the group's members, from their client ids ({@code <application.id>-<processId>-...}). */
    private Set<String> memberProcesses() throws ExecutionException, InterruptedException, TimeoutException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).all()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(applicationId);
        if (!LIVE_GROUP.contains(group.groupState()) || group.members().isEmpty()) {
            // A group that is empty, dead or of another protocol tells nothing about who is alive: fence nobody.
            throw new GroupNotReadable(group.groupState());
        }
        Set<String> processes = group.members().stream().map(MemberDescription::clientId)
                .map(this::processOf).flatMap(Optional::stream).collect(Collectors.toSet());
        if (processes.size() < distinctClientIds(group)) {
            throw new CannotTellProcesses();
        }
        return processes;
    }

    private static long distinctClientIds(ConsumerGroupDescription group) {
        return group.members().stream().map(MemberDescription::clientId)
                .map(id -> id.replaceFirst("-StreamThread-\\d+-consumer$", "")).distinct().count();
    }

    /** The process id in a transactional or client id of this application, if it is one. */
    Optional<String> processOf(String id) {
        String prefix = applicationId + "-";
        if (!id.startsWith(prefix)) {
            return Optional.empty();
        }
        Matcher matcher = UUID.matcher(id.substring(prefix.length()));
        return matcher.lookingAt() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The group cannot tell its live members this time; the next check asks again. */
    private static final class GroupNotReadable extends RuntimeException {

        GroupNotReadable(GroupState state) {
            super("group state " + state, null, false, false);
        }
    }

    /** The group's client ids do not name the members' processes (client.id is overridden). */
    private static final class CannotTellProcesses extends RuntimeException {

        CannotTellProcesses() {
            super("a member's client id does not carry its process id", null, false, false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(1));
    }
}
