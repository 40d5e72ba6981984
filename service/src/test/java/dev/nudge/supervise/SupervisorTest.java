package dev.nudge.supervise;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A stage that fails is really replaced, from wherever its failure is reported, for as long as it takes. */
class SupervisorTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Reports its failure from its own context, as a stage does when Kafka refuses its writes. */
    private static final class Failing extends VerticleBase {
        private final Runnable onFailure;
        private final boolean fail;

        Failing(Runnable onFailure, boolean fail) {
            this.onFailure = onFailure;
            this.fail = fail;
        }

        @Override
        public Future<?> start() {
            if (fail) {
                vertx.setTimer(10, t -> onFailure.run());
            }
            return Future.succeededFuture();
        }
    }

    @Test
    void aVerticleThatFailsFromItsOwnContextIsReplaced() {
        AtomicInteger started = new AtomicInteger();
        Supervisor s = new Supervisor(vertx, "test stage", onFailure -> new Failing(onFailure,
                started.incrementAndGet() == 1), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER), 500);
        s.start().toCompletionStage().toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(10)).until(() -> s.replacements() == 1);
        assertEquals(2, started.get(), "a fresh verticle took the failed one's place");
        await().atMost(Duration.ofSeconds(5)).until(s::running);
        assertEquals(1, vertx.deploymentIDs().size(), "the failed one is gone");
    }

    @Test
    void aStageThatCannotStartIsTriedAgainUntilItDoes() {
        AtomicInteger attempts = new AtomicInteger();
        Supervisor s = new Supervisor(vertx, "test stage", onFailure -> new VerticleBase() {
            private final int attempt = attempts.incrementAndGet();

            @Override
            public Future<?> start() {
                if (attempt == 1) {
                    vertx.setTimer(10, t -> onFailure.run());
                    return Future.succeededFuture();
                }
                // the broker is still away: the replacements cannot start either, until the third
                return attempt < 4 ? Future.failedFuture("broker away") : Future.succeededFuture();
            }
        }, new DeploymentOptions(), 500);
        s.start().toCompletionStage().toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 2);
        assertFalse(s.running(), "not running while no replacement could start");

        await().atMost(Duration.ofSeconds(20)).until(s::running);
        assertEquals(4, attempts.get());
    }
}
