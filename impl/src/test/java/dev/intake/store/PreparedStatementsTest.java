package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping of kept statements, on stand-ins for the driver's connection and statements (what a statement
 * does when it runs is the driver's; the store's use of the real one is covered by the integration tests).
 */
class PreparedStatementsTest {
    private final PreparedStatements statements = new PreparedStatements();

    @Test
    void aStatementGivenBackIsTakenAgainForItsTextOnItsConnectionWithoutPreparingIt() throws Exception {
        FakeConnection c = new FakeConnection();
        PreparedStatement first = statements.take(c.proxy, "SELECT ?");
        statements.giveBack(c.proxy, "SELECT ?", first);

        assertThat(statements.take(c.proxy, "SELECT ?")).isSameAs(first);
        assertThat(c.prepared).containsExactly("SELECT ?");
    }

    @Test
    void aStatementIsPreparedWithEscapeProcessingOffAndGivenBackWithoutItsValues() throws Exception {
        FakeConnection c = new FakeConnection();
        PreparedStatement ps = statements.take(c.proxy, "SELECT ?");
        statements.giveBack(c.proxy, "SELECT ?", ps);

        assertThat(c.calls).containsExactly("setEscapeProcessing[false]", "clearParameters[]", "clearBatch[]");
    }

    @Test
    void aStatementTakenAndNotGivenBackIsNeverHandedOutAgain() throws Exception {
        FakeConnection c = new FakeConnection();
        PreparedStatement first = statements.take(c.proxy, "SELECT ?");

        assertThat(statements.take(c.proxy, "SELECT ?")).isNotSameAs(first);
        assertThat(c.prepared).hasSize(2);
    }

    @Test
    void connectionsAndTextsDoNotShareStatements() throws Exception {
        FakeConnection a = new FakeConnection();
        FakeConnection b = new FakeConnection();
        PreparedStatement onA = statements.take(a.proxy, "SELECT 1");
        statements.giveBack(a.proxy, "SELECT 1", onA);

        assertThat(statements.take(b.proxy, "SELECT 1")).isNotSameAs(onA);
        assertThat(statements.take(a.proxy, "SELECT 2")).isNotSameAs(onA);
        assertThat(statements.take(a.proxy, "SELECT 1")).isSameAs(onA);
    }

    @Test
    void theStatementsOfAClosedConnectionAreClosedWhenTheNextConnectionComes() throws Exception {
        FakeConnection retired = new FakeConnection();
        statements.giveBack(retired.proxy, "SELECT 1", statements.take(retired.proxy, "SELECT 1"));
        retired.closed = true;

        FakeConnection next = new FakeConnection();
        statements.giveBack(next.proxy, "SELECT 1", statements.take(next.proxy, "SELECT 1"));

        assertThat(retired.calls).contains("close[]");
        assertThat(statements.kept()).isEqualTo(1);
    }

    @Test
    void beyondItsLimitAConnectionClosesItsLeastRecentlyUsedStatement() throws Exception {
        FakeConnection c = new FakeConnection();
        for (int i = 0; i < PreparedStatements.PER_CONNECTION; i++) {
            String text = "SELECT " + i;
            statements.giveBack(c.proxy, text, statements.take(c.proxy, text));
        }
        // used again: the least recently used one is now SELECT 1
        statements.giveBack(c.proxy, "SELECT 0", statements.take(c.proxy, "SELECT 0"));
        statements.giveBack(c.proxy, "SELECT more", statements.take(c.proxy, "SELECT more"));

        assertThat(statements.kept()).isEqualTo(PreparedStatements.PER_CONNECTION);
        assertThat(c.closedTexts).containsExactly("SELECT 1");
        int before = c.prepared.size();
        statements.take(c.proxy, "SELECT 0");
        assertThat(c.prepared).hasSize(before);
    }

    /** A driver connection whose statements record what is done to them. */
    private static final class FakeConnection {
        final List<String> prepared = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        final List<String> closedTexts = new ArrayList<>();
        boolean closed;
        final Connection proxy = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (self, method, args) -> switch (method.getName()) {
                    case "prepareStatement" -> statement((String) args[0]);
                    case "isClosed" -> closed;
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        private PreparedStatement statement(String text) {
            prepared.add(text);
            return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (self, method, args) -> {
                        switch (method.getName()) {
                            case "hashCode":
                                return System.identityHashCode(self);
                            case "equals":
                                return self == args[0];
                            case "close":
                                closedTexts.add(text);
                                break;
                            default:
                                break;
                        }
                        calls.add(method.getName() + (args == null ? "[]" : java.util.Arrays.toString(args)));
                        return null;
                    });
        }
    }
}
