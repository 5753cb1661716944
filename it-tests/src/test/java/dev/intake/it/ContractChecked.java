package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails the test that produced a response the spec does not allow. */
final class ContractChecked implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ContractChecked.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", ContractRecorder.violations().size());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        int before = context.getStore(NS).get("before", Integer.class);
        List<String> all = ContractRecorder.violations();
        assertThat(all.subList(before, all.size())).as("responses that break the OpenAPI contract").isEmpty();
    }
}
