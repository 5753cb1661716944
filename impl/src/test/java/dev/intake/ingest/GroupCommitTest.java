package dev.intake.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Records each group's names; blocks the first group until {@code release}; refuses groups holding a bad item. */
    GroupCommit<Item, String> commit(CountDownLatch firstEntered, CountDownLatch release, int maxWeight) {
        return new GroupCommit<>(Item::lane, Item::keys, i -> 1, maxWeight, group -> {
            boolean first = groups.isEmpty();
            groups.add(group.stream().map(Item::name).toList());
            if (first) {
                firstEntered.countDown();
                await(release);
            }
            if (group.stream().anyMatch(Item::bad)) {
                throw new Rejected("refused: " + group.stream().filter(Item::bad).map(Item::name).toList());
            }
            return group.stream().map(i -> GroupCommit.Outcome.of("ok " + i.name())).toList();
        }, Rejected.class::isInstance);
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Submits the items one after another while the lane is busy with the first group, so none can lead. */
    List<Future<String>> submitWhileBusy(GroupCommit<Item, String> commit, Item... items) throws Exception {
        List<Future<String>> answers = new ArrayList<>();
        for (Item item : items) {
            int before = commit.waiting(item.lane());
            answers.add(pool.submit(() -> commit.submit(item)));
            // arrival order matters for the keys: the next one is sent once this one is queued
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (commit.waiting(item.lane()) == before && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        return answers;
    }

    @Test
    void requestsArrivingDuringAWriteShareTheNextGroup() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Item, String> commit = commit(entered, release, 100);
        Future<String> first = pool.submit(() -> commit.submit(Item.of("a", "s1")));
        await(entered);
        List<Future<String>> rest = submitWhileBusy(commit, Item.of("b", "s2"), Item.of("c", "s3"), Item.of("d", "s4"));
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("ok a");
        for (int i = 0; i < rest.size(); i++) {
            assertThat(rest.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("ok " + "bcd".charAt(i));
        }
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "c", "d"));
    }

    @Test
    void aSessionAlreadyQueuedKeepsItsOrderAndGoesToALaterGroup() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Item, String> commit = commit(entered, release, 100);
        Future<String> first = pool.submit(() -> commit.submit(Item.of("a", "s1")));
        await(entered);
        List<Future<String>> rest = submitWhileBusy(commit, Item.of("b", "s2"), Item.of("c", "s2", "s3"),
                Item.of("d", "s3"), Item.of("e", "s4"));
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<String> f : rest) {
            f.get(10, TimeUnit.SECONDS);
        }
        // c repeats b's session: it waits for the next group; d (after c on s3) may neither overtake c nor share
        // its group
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "e"), List.of("c"), List.of("d"));
    }

    @Test
    void aGroupStopsAtItsWeight() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Item, String> commit = commit(entered, release, 2);
        Future<String> first = pool.submit(() -> commit.submit(Item.of("a", "s1")));
        await(entered);
        List<Future<String>> rest = submitWhileBusy(commit, Item.of("b", "s2"), Item.of("c", "s3"), Item.of("d", "s4"));
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<String> f : rest) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "c"), List.of("d"));
    }

    @Test
    void aRefusedMemberFailsAloneAndTheOthersAreWritten() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Item, String> commit = commit(entered, release, 100);
        Future<String> first = pool.submit(() -> commit.submit(Item.of("a", "s1")));
        await(entered);
        List<Future<String>> rest = submitWhileBusy(commit, Item.of("b", "s2"),
                new Item("ws", "bad", List.of("s3"), true), Item.of("c", "s4"));
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertThat(rest.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("ok b");
        assertThatThrownBy(() -> rest.get(1).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(Rejected.class)
                .hasMessageContaining("[bad]");
        assertThat(rest.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("ok c");
        assertThat(groups).containsExactly(List.of("a"), List.of("b", "bad", "c"), List.of("b"), List.of("bad"),
                List.of("c"));
    }

    @Test
    void aFailureNoMemberCausedFailsTheWholeGroupOnce() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Item, String> commit = new GroupCommit<>(Item::lane, Item::keys, i -> 1, 100, group -> {
            calls.add(group.size());
            if (calls.size() == 1) {
                entered.countDown();
                await(release);
                return List.of(GroupCommit.Outcome.of("ok"));
            }
            throw new IllegalStateException("store down");
        }, Rejected.class::isInstance);
        Future<String> first = pool.submit(() -> commit.submit(Item.of("a", "s1")));
        await(entered);
        List<Future<String>> rest = submitWhileBusy(commit, Item.of("b", "s2"), Item.of("c", "s3"));
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<String> f : rest) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasMessageContaining("store down");
        }
        assertThat(calls).containsExactly(1, 2);
    }

    @Test
    void lanesDoNotWaitForEachOther() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Item, String> commit = commit(entered, release, 100);
        Future<String> first = pool.submit(() -> commit.submit(Item.of("a", "s1")));
        await(entered);
        assertThat(pool.submit(() -> commit.submit(new Item("other", "x", List.of("s1"), false)))
                .get(10, TimeUnit.SECONDS)).isEqualTo("ok x");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("ok a");
    }
}
