package io.sipai.dispatcher.instances;

/**
 * Splits the per-endpoint concurrency cap among the live dispatcher instances so that the shares add up to the cap:
 * with {@code n} instances ranked {@code 0..n-1} (the same order on every instance), rank {@code r} may open
 * {@code cap / n} requests per endpoint, plus one when {@code r < cap % n}. With more instances than the cap, every
 * instance still gets one (an instance with none could never deliver the calls it owns), so the deployment may then
 * have up to {@code n} requests open per endpoint.
 */
public final class ConcurrencyShare {

    private ConcurrencyShare() {
    }

    /**
     * @param cap       {@code WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT}, at least 1
     * @param instances live instances, at least 1
     * @param rank      this instance's position among them, {@code 0..instances-1}
     * @return the open requests per endpoint this instance may have, at least 1
     */
    public static int of(int cap, int instances, int rank) {
        if (cap < 1 || instances < 1 || rank < 0 || rank >= instances) {
            throw new IllegalArgumentException("cap " + cap + ", instances " + instances + ", rank " + rank);
        }
        int share = cap / instances + (rank < cap % instances ? 1 : 0);
        return Math.max(1, share);
    }
}
