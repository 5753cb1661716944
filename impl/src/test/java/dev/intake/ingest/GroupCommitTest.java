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
    /** Counted down when the first group is being written; the first group waits for {@link #release}. */
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Records each group's names; blocks the first group until {@code release}; refuses groups holding a bad item. */
    GroupCommit<Item, String> commit(int maxWeight) {
        return new GroupCommit<>(Item::lane, Item::keys, i -> 1, maxWeight, group -> {
            boolean first = groups.isEmpty();
            groups.add(group.stream().map(Item::name).toList());
            if (first) {
                entered.countDown();
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
        }, Rejected.class::isInstance);
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
}
