package dev.intake.ingest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Group commit: the writes of requests that arrive while an earlier group is being written are written together,
 * as one group, by one of their threads (the leader), so concurrent requests share statements instead of queueing
 * their own. A request whose lane is idle is written at once, alone: nobody waits for company.
 *
 * <p>Each lane (a workspace) has at most one group in flight; requests that touch the same keys (sessions) as an
 * earlier queued request are never put in the same group as it, nor ahead of it, so their writes keep their arrival
 * order. A group is bounded by a total weight (trajectories); the oldest queued request always goes, whatever its
 * weight. When writing a group fails in a way one member can cause ({@code isolate}, e.g. a statement ClickHouse
 * rejects), each member is written again alone, so a bad request fails by itself and the others still succeed;
 * other failures (the store is down) fail the whole group at once.
 *
 * <p>After a group of several requests, or one that others queued behind, the lane's next leader waits a moment
 * for company before it takes its group: the members of the group just written, answered a moment ago, are likely
 * sending their next requests. Without the wait, steady clients split into halves that alternate (or one request
 * alone that alternates with all the others), and each write carries only part of them; with it, one write carries
 * them all, with the same statements. The leader (the request queued behind the group, or the first to come back)
 * waits until the queue weighs as much as the finished group and those queued behind it did (or as much as a group
 * may hold), for at most a fifth of the finished group's write time and never more than {@code maxLinger}
 * ({@link #MAX_LINGER}); a request that comes back later than a write's time after the group finished waits for
 * nobody. A wait that gained nobody (clients that take longer to come back, e.g. with large batches) turns waiting
 * off for the lane's next {@link #GROUPS_WITHOUT_WAITING} groups. A lone client (a group of one, nobody queued
 * behind it) never waits: it is written at once.
 *
 * @param <T> a request's write
 * @param <R> its result
 */
final class GroupCommit<T, R> {
    /** What a member's write came to: its result, or the exception its request must end with. */
    record Outcome<R>(R value, RuntimeException failure) {
        static <R> Outcome<R> of(R value) {
            return new Outcome<>(value, null);
        }

        static <R> Outcome<R> failed(RuntimeException failure) {
            return new Outcome<>(null, failure);
        }

        R get() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    private final Function<T, String> laneOf;
    private final Function<T, Collection<String>> keysOf;
    private final ToIntFunction<T> weightOf;
    private final int maxWeight;
    private final Function<List<T>, List<Outcome<R>>> writer;
    private final Predicate<RuntimeException> isolate;
    private final long maxLingerNanos;
    /**
     * Lanes with a group in flight, queued requests, or company expected after a group of several; guarded by
     * {@code this}.
     */
    private final Map<String, Lane> lanes = new HashMap<>();
    /** Beyond this many lanes, those idle whose wait for company is over are dropped (workspaces that went quiet). */
    private static final int LANES_KEPT_IDLE = 1024;

    /** After a wait for company that gained nobody, this many groups of the lane are taken without one. */
    static final int GROUPS_WITHOUT_WAITING = 8;
    /** The longest a request handed the lead waits for company, in production. */
    static final Duration MAX_LINGER = Duration.ofMillis(20);

    private final class Lane {
        final ArrayDeque<Waiter> queue = new ArrayDeque<>();
        /** Whether a request of the lane leads (or is about to lead) a group. */
        boolean led;
        /**
         * Set when a group of several finishes: the weight its next leader waits for, for how long at most, and
         * until when a leader still expects it.
         */
        int expectedWeight;
        long lingerNanos;
        long expectedUntil;
        /** Groups to take without waiting, after a wait that gained nobody (clients slower to come back). */
        int groupsWithoutWaiting;

        boolean idleAndDone(long now) {
            return !led && queue.isEmpty() && now - expectedUntil >= 0;
        }
    }

    private final class Waiter {
        final T item;
        /** Completed with true when this request's thread must lead the next group, false when it is written. */
        final CompletableFuture<Boolean> turn = new CompletableFuture<>();
        Outcome<R> outcome;

        Waiter(T item) {
            this.item = item;
        }
    }

    /**
     * @param writer writes one group, answering one outcome per member in order; it may throw, which counts for
     *               every member (see {@code isolate})
     */
    GroupCommit(Function<T, String> laneOf, Function<T, Collection<String>> keysOf, ToIntFunction<T> weightOf,
                int maxWeight, Function<List<T>, List<Outcome<R>>> writer, Predicate<RuntimeException> isolate,
                Duration maxLinger) {
        this.laneOf = laneOf;
        this.keysOf = keysOf;
        this.weightOf = weightOf;
        this.maxWeight = maxWeight;
        this.writer = writer;
        this.isolate = isolate;
        this.maxLingerNanos = maxLinger.toNanos();
    }

    /** Writes the item, in a group with whatever arrives with it, and returns its result once it is written. */
    R submit(T item) {
        String key = laneOf.apply(item);
        Waiter self = new Waiter(item);
        boolean lead;
        synchronized (this) {
            Lane lane = lanes.get(key);
            if (lane == null) {
                if (lanes.size() >= LANES_KEPT_IDLE) {
                    long now = System.nanoTime();
                    lanes.values().removeIf(l -> l.idleAndDone(now));
                }
                lane = new Lane();
                lanes.put(key, lane);
            }
            lead = !lane.led;
            lane.led = true;
            lane.queue.add(self);
            if (!lead) {
                notifyAll(); // a leader may be waiting for company
            }
        }
        // a waiter is handed the lead or its outcome by a leader, which always finishes (its statements have
        // timeouts, and it completes every member in a finally)
        if (lead || self.turn.join()) {
            lead(key);
        }
        return self.outcome.get();
    }

    /** Whether the lane's next leader would wait for company now (for tests). */
    synchronized boolean expectsCompany(String lane) {
        Lane l = lanes.get(lane);
        return l != null && l.groupsWithoutWaiting == 0 && l.expectedWeight > 0
                && System.nanoTime() - l.expectedUntil < 0;
    }

    /** How many requests of the lane wait for a group (for tests). */
    synchronized int waiting(String lane) {
        Lane l = lanes.get(lane);
        return l == null ? 0 : l.queue.size();
    }

    /** Writes the next group of the lane (which holds the caller's own request), then hands the lane on. */
    private void lead(String key) {
        List<Waiter> group;
        synchronized (this) {
            Lane lane = lanes.get(key);
            awaitCompany(lane);
            group = take(lane);
        }
        long started = System.nanoTime();
        try {
            List<Outcome<R>> outcomes = write(group.stream().map(w -> w.item).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).outcome = outcomes.get(i);
            }
        } catch (RuntimeException | Error e) {
            RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            group.forEach(w -> w.outcome = Outcome.failed(failure));
            throw e;
        } finally {
            Waiter next;
            long wrote = System.nanoTime() - started;
            synchronized (this) {
                Lane lane = lanes.get(key);
                next = lane.queue.peekFirst();
                if (next == null && group.size() == 1) {
                    lanes.remove(key);
                } else {
                    // company is likely: the finished group's members, and any queued behind it
                    lane.led = next != null;
                    lane.expectedWeight = Math.min(maxWeight, weight(group) + weight(lane.queue));
                    lane.lingerNanos = Math.min(maxLingerNanos, wrote / 5);
                    // a client of a steady stream comes back within a write's time; one that comes later is alone
                    lane.expectedUntil = System.nanoTime() + wrote;
                }
            }
            for (Waiter w : group) {
                w.turn.complete(false);
            }
            if (next != null) {
                next.turn.complete(true);
            }
        }
    }

    /**
     * Waits, with the monitor released, until the lane's queue weighs what the finished group expected, or its
     * moment is over. A new lane expects nothing.
     */
    private void awaitCompany(Lane lane) {
        long now = System.nanoTime();
        if (lane.groupsWithoutWaiting > 0) {
            lane.groupsWithoutWaiting--;
        } else if (now - lane.expectedUntil < 0) {
            int before = lane.queue.size();
            boolean waited = false;
            long until = now + lane.lingerNanos;
            long left;
            while (weight(lane.queue) < lane.expectedWeight && (left = until - System.nanoTime()) > 0) {
                waited = true;
                try {
                    wait(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (waited && lane.queue.size() == before) {
                lane.groupsWithoutWaiting = GROUPS_WITHOUT_WAITING;
            }
        }
        lane.expectedWeight = 0;
    }

    private int weight(Collection<Waiter> waiters) {
        int sum = 0;
        for (Waiter w : waiters) {
            sum += weightOf.applyAsInt(w.item);
        }
        return sum;
    }

    /**
     * Takes the next group off the lane's queue: the oldest request, then every later one that fits the weight
     * and shares no key with a request taken or left behind before it.
     */
    private List<Waiter> take(Lane lane) {
        List<Waiter> group = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        Set<String> passedOver = new HashSet<>();
        int weight = 0;
        for (Iterator<Waiter> it = lane.queue.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            Collection<String> keys = keysOf.apply(w.item);
            int itemWeight = weightOf.applyAsInt(w.item);
            boolean fits = group.isEmpty() || (weight + itemWeight <= maxWeight
                    && keys.stream().noneMatch(k -> taken.contains(k) || passedOver.contains(k)));
            if (fits) {
                group.add(w);
                taken.addAll(keys);
                weight += itemWeight;
                it.remove();
            } else {
                passedOver.addAll(keys);
            }
        }
        return group;
    }

    private List<Outcome<R>> write(List<T> items) {
        try {
            List<Outcome<R>> outcomes = writer.apply(items);
            if (outcomes.size() != items.size()) {
                throw new IllegalStateException(outcomes.size() + " outcomes for a group of " + items.size());
            }
            return outcomes;
        } catch (RuntimeException e) {
            if (items.size() == 1 || !isolate.test(e)) {
                return items.stream().map(i -> Outcome.<R>failed(e)).toList();
            }
            List<Outcome<R>> alone = new ArrayList<>();
            for (T item : items) {
                try {
                    alone.add(writer.apply(List.of(item)).get(0));
                } catch (RuntimeException single) {
                    alone.add(Outcome.failed(single));
                }
            }
            return alone;
        }
    }
}
