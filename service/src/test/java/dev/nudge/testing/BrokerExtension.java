package dev.nudge.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Puts the shared broker's address in {@link #bootstrap} before a test class runs. */
public final class BrokerExtension implements BeforeAllCallback {

    public static volatile String bootstrap;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        bootstrap = SharedBroker.bootstrap(context);
    }
}
