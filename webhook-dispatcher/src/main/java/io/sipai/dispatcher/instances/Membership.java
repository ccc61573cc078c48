package io.sipai.dispatcher.instances;

import java.util.Collection;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The live dispatcher instances as seen from one of them: how many there are and where this one ranks. Every
 * stream thread of an instance is a member of the Streams application's consumer group with the client id
 * {@code <applicationId>-<processId>-StreamThread-<n>-consumer}; the part before {@code -StreamThread-} names the
 * instance (the process id survives a restart over the same state directory, so a restarted instance and the
 * member its predecessor left behind count once). Instances are ranked by that name, the same order everywhere.
 *
 * @param count live instances, this one included, at least 1
 * @param rank  this instance's position, {@code 0..count-1}
 */
public record Membership(int count, int rank) {

    /** Before anything is known: alone. */
    public static final Membership ALONE = new Membership(1, 0);

    private static final Pattern THREAD_SUFFIX = Pattern.compile("-StreamThread-\\d+-consumer$");

    public Membership {
        if (count < 1 || rank < 0 || rank >= count) {
            throw new IllegalArgumentException("count " + count + ", rank " + rank);
        }
    }

    /**
     * @param memberClientIds client ids of the group's members
     * @param ownClientIds    client ids of this instance's members; empty when not known yet, then this instance
     *                        counts as one more, ranked last
     */
    public static Membership of(Collection<String> memberClientIds, Collection<String> ownClientIds) {
        TreeSet<String> instances = new TreeSet<>();
        memberClientIds.forEach(id -> instances.add(instance(id)));
        if (ownClientIds.isEmpty()) {
            return new Membership(instances.size() + 1, instances.size());
        }
        String self = instance(ownClientIds.iterator().next());
        instances.add(self);
        return new Membership(instances.size(), instances.headSet(self).size());
    }

    /** Whether instances other than this one are live. */
    public boolean others() {
        return count > 1;
    }

    /** The requests per endpoint this instance may open (see {@link ConcurrencyShare}). */
    public int share(int cap) {
        return ConcurrencyShare.of(cap, count, rank);
    }

    /** The instance a member client id belongs to. */
    static String instance(String clientId) {
        return THREAD_SUFFIX.matcher(clientId).replaceFirst("");
    }
}
