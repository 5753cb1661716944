package dev.intake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    /** A write: lane, session keys, and whether the store refuses it. */
    record Item(String lane, String name, List<String> keys, boolean bad) {
        static Item of(String name, String... keys) {
            return new Item("ws", name, List.of(keys), false);
        }
    }

    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message);
        }
    }

    final List<List<String>> groups = Collections.synchronizedList(new ArrayList<>());
    final ExecutorService pool = Executors.newCachedThreadPool();
    /** Counted down when the first group is being written; the first group waits for {@link #release}. */
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    /** How long each group's write takes besides the first's wait for {@link #release}. */
    volatile long writeMillis;

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Records each group's names; blocks the first group until {@code release}; refuses groups holding a bad item. */
    GroupCommit<Item, String> commit(int maxWeight) {
        return commit(maxWeight, GroupCommit.MAX_LINGER);
    }

    GroupCommit<Item, String> commit(int maxWeight, Duration maxLinger) {
        return new GroupCommit<>(Item::lane, Item::keys, i -> 1, maxWeight, group -> {
            boolean first = groups.isEmpty();
            groups.add(group.stream().map(Item::name).toList());
            if (first) {
                entered.countDown();
                await(release);
            }
            sleep(writeMillis);
            if (group.stream().anyMatch(Item::bad)) {
                throw new Rejected("refused: " + group.stream().filter(Item::bad).map(Item::name).toList());
            }
            return group.stream().map(i -> GroupCommit.Outcome.of("ok " + i.name())).toList();
        }, Rejected.class::isInstance, maxLinger);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Submits {@code first}, then, while its group is being written (so none can lead), the others one after another;
     * then lets the first group finish. The answers of all, in order.
     */
    List<Future<String>> whileFirstIsWritten(GroupCommit<Item, String> commit, Item first, Item... items)
            throws Exception {
        List<Future<String>> answers = new ArrayList<>();
        answers.add(pool.submit(() -> commit.submit(first)));
        await(entered);
        for (Item item : items) {
            int before = commit.waiting(item.lane());
            answers.add(pool.submit(() -> commit.submit(item)));
            // arrival order matters for the keys: the next one is sent once this one is queued
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (commit.waiting(item.lane()) == before && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        release.countDown();
        return answers;
    }

    static List<String> all(List<Future<String>> answers) throws Exception {
        List<String> out = new ArrayList<>();
        for (Future<String> f : answers) {
            out.add(f.get(10, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void requestsArrivingDuringAWriteShareTheNextGroup() throws Exception {
        assertThat(all(whileFirstIsWritten(commit(100), Item.of("a", "s1"), Item.of("b", "s2"), Item.of("c", "s3"),
                Item.of("d", "s4")))).containsExactly("ok a", "ok b", "ok c", "ok d");
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "c", "d"));
    }

    @Test
    void aSessionAlreadyQueuedKeepsItsOrderAndGoesToALaterGroup() throws Exception {
        all(whileFirstIsWritten(commit(100), Item.of("a", "s1"), Item.of("b", "s2"), Item.of("c", "s2", "s3"),
                Item.of("d", "s3"), Item.of("e", "s4")));
        // c repeats b's session: it waits for the next group; d (after c on s3) may neither overtake c nor share
        // its group
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "e"), List.of("c"), List.of("d"));
    }

    @Test
    void aGroupStopsAtItsWeight() throws Exception {
        all(whileFirstIsWritten(commit(2), Item.of("a", "s1"), Item.of("b", "s2"), Item.of("c", "s3"),
                Item.of("d", "s4")));
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "c"), List.of("d"));
    }

    @Test
    void aRefusedMemberFailsAloneAndTheOthersAreWritten() throws Exception {
        List<Future<String>> answers = whileFirstIsWritten(commit(100), Item.of("a", "s1"), Item.of("b", "s2"),
                new Item("ws", "bad", List.of("s3"), true), Item.of("c", "s4"));
        assertThat(answers.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("ok b");
        assertThatThrownBy(() -> answers.get(2).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(Rejected.class)
                .hasMessageContaining("[bad]");
        assertThat(answers.get(3).get(10, TimeUnit.SECONDS)).isEqualTo("ok c");
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "bad", "c"), List.of("b"), List.of("bad"),
                List.of("c"));
    }

    @Test
    void aFailureNoMemberCausedFailsTheWholeGroupOnce() throws Exception {
        List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Item, String> commit = new GroupCommit<>(Item::lane, Item::keys, i -> 1, 100, group -> {
            calls.add(group.size());
            if (calls.size() == 1) {
                entered.countDown();
                await(release);
                return List.of(GroupCommit.Outcome.of("ok"));
            }
            throw new IllegalStateException("store down");
        }, Rejected.class::isInstance, GroupCommit.MAX_LINGER);
        List<Future<String>> answers = whileFirstIsWritten(commit, Item.of("a", "s1"), Item.of("b", "s2"),
                Item.of("c", "s3"));
        assertThat(answers.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        for (Future<String> f : answers.subList(1, 3)) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasMessageContaining("store down");
        }
        assertThat(calls).containsExactly(1, 2);
    }

    @Test
    void lanesDoNotWaitForEachOther() throws Exception {
        GroupCommit<Item, String> commit = commit(100);
        Future<String> first = pool.submit(() -> commit.submit(Item.of("a", "s1")));
        await(entered);
        assertThat(pool.submit(() -> commit.submit(new Item("other", "x", List.of("s1"), false)))
                .get(10, TimeUnit.SECONDS)).isEqualTo("ok x");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("ok a");
    }

    /**
     * Submits {@code a}, and {@code b} while a's group is written; a's write takes a second, so b, handed the lane,
     * may wait up to a fifth of that for company. Answers a's request and returns b's answer to come.
     */
    Future<String> secondQueuedBehindASlowFirst(GroupCommit<Item, String> commit) throws Exception {
        Future<String> a = pool.submit(() -> commit.submit(Item.of("a", "s1")));
        await(entered);
        Future<String> b = pool.submit(() -> commit.submit(Item.of("b", "s2")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (commit.waiting("ws") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(1000);
        release.countDown();
        assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("ok a");
        return b;
    }

    @Test
    void aLeaderHandedTheLaneWaitsForTheRequestsOfTheGroupJustWritten() throws Exception {
        GroupCommit<Item, String> commit = commit(100, Duration.ofSeconds(5));
        Future<String> b = secondQueuedBehindASlowFirst(commit);
        // a's client sends its next request as soon as it has its answer: it joins b's group
        Future<String> next = pool.submit(() -> commit.submit(Item.of("a-next", "s1")));
        assertThat(all(List.of(b, next))).containsExactly("ok b", "ok a-next");
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "a-next"));
    }

    @Test
    void theWaitForCompanyEndsAfterAFifthOfTheLastWrite() throws Exception {
        GroupCommit<Item, String> commit = commit(100, Duration.ofSeconds(5));
        long released = System.nanoTime();
        Future<String> b = secondQueuedBehindASlowFirst(commit);
        assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("ok b");
        // a's write took a second and more; b waited at most a fifth of it, not the 5 s allowed
        assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofMillis(3000));
        assertThat(groups).containsExactly(List.of("a"), List.of("b"));
        // the lane is idle again: a request alone is written at once, without waiting
        long alone = System.nanoTime();
        assertThat(commit.submit(Item.of("c", "s3"))).isEqualTo("ok c");
        assertThat(Duration.ofNanos(System.nanoTime() - alone)).isLessThan(Duration.ofMillis(150));
    }

    @Test
    void afterAGroupOfSeveralTheNextRequestWaitsForTheOthersToComeBack() throws Exception {
        GroupCommit<Item, String> commit = commit(100, Duration.ofSeconds(5));
        writeMillis = 500; // each later write takes half a second: the next leader may wait up to 100 ms
        Future<String> b = secondQueuedBehindASlowFirst(commit);
        Future<String> aNext = pool.submit(() -> commit.submit(Item.of("a-next", "s1")));
        assertThat(all(List.of(b, aNext))).containsExactly("ok b", "ok a-next");
        assertThat(commit.expectsCompany("ws")).isTrue();
        // nothing is queued when [b, a-next] is written; both clients send their next requests, 20 ms apart
        Future<String> bNext = pool.submit(() -> commit.submit(Item.of("b-next", "s2")));
        Thread.sleep(20);
        Future<String> aThird = pool.submit(() -> commit.submit(Item.of("a-third", "s1")));
        assertThat(all(List.of(bNext, aThird))).containsExactly("ok b-next", "ok a-third");
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "a-next"), List.of("b-next", "a-third"));
    }

    @Test
    void aWaitThatGainsNobodyTurnsWaitingOffForTheNextGroups() throws Exception {
        GroupCommit<Item, String> commit = commit(100, Duration.ofSeconds(5));
        writeMillis = 500;
        // b and c queue behind a; a's client never comes back, so b's wait for it gains nobody
        all(whileFirstIsWritten(commit, Item.of("a", "s1"), Item.of("b", "s2"), Item.of("c", "s3")));
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "c"));
        // [b, c] was a group of several, yet its clients' next requests will not be waited for
        assertThat(commit.expectsCompany("ws")).isFalse();
    }
}
