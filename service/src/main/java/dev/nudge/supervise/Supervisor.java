package dev.nudge.supervise;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Keeps one stage running: deploys its verticle, and when the verticle reports that it failed for good, undeploys it
 * and deploys a fresh one, again and again (1 s, then up to 30 s apart) until one starts, however long the cause (a
 * broker away for minutes) lasts. Every deployment is made from the supervisor's own context, never from the failed
 * verticle's: Vert.x refuses to add a deployment as the child of one that is going away.
 */
public final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final long FIRST_DELAY_MILLIS = 1000;
    private static final long MAX_DELAY_MILLIS = 30_000;
    /** A stage whose polls stopped coming back this long ago, or that failed this recently, is not ready. */
    public static final long STALE_POLL_MILLIS = 30_000;

    private final Vertx vertx;
    private final Context context;
    private final String name;
    private final Function<Runnable, Deployable> factory;
    private final DeploymentOptions options;
    private final long staleMillis;
    private volatile Deployable current;
    private volatile String deploymentId;
    private volatile boolean running;
    private volatile int replacements;
    private volatile long lastFailureMillis;
    private long delay = FIRST_DELAY_MILLIS;
    private boolean closed;

    /**
     * {@code factory} makes the verticle, given what it calls once when it fails for good. Create the supervisor
     * outside any verticle (as the service's wiring does): its context is its own.
     */
    public Supervisor(Vertx vertx, String name, Function<Runnable, Deployable> factory, DeploymentOptions options) {
        this(vertx, name, factory, options, STALE_POLL_MILLIS);
    }

    /** With {@code staleMillis} in place of {@link #STALE_POLL_MILLIS}: for tests that cannot wait half a minute. */
    Supervisor(Vertx vertx, String name, Function<Runnable, Deployable> factory, DeploymentOptions options,
               long staleMillis) {
        this.staleMillis = staleMillis;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.name = name;
        this.factory = factory;
        this.options = options;
    }

    /** The first deployment; a stage that cannot start at all fails the service's start. */
    public Future<Void> start() {
        return Future.future(p -> context.runOnContext(x -> deploy().onComplete(p)));
    }

    private Future<Void> deploy() {
        Deployable[] self = new Deployable[1];
        Deployable v = factory.apply(() -> context.runOnContext(x -> failed(self[0])));
        self[0] = v;
        current = v;
        return vertx.deployVerticle(v, options).onSuccess(id -> {
            deploymentId = id;
            running = true;
            delay = FIRST_DELAY_MILLIS;
        }).mapEmpty();
    }

    /** On the supervisor's context: the verticle in place failed; replace it. */
    private void failed(Deployable which) {
        if (closed || which != current || !running) {
            return;
        }
        running = false;
        lastFailureMillis = System.currentTimeMillis();
        LOG.warn("{} failed; replacing it in {} ms", name, delay);
        // the replacement does not wait for the failed one to stop: with the broker away, its clients may take a
        // while to give up, and recovery must not depend on how long that is
        vertx.undeploy(deploymentId).onFailure(e -> LOG.warn("{} did not stop cleanly: {}", name, e.toString()));
        schedule();
    }

    private void schedule() {
        long wait = delay;
        delay = Math.min(delay * 2, MAX_DELAY_MILLIS);
        vertx.setTimer(wait, t -> {
            if (closed) {
                return;
            }
            deploy().onSuccess(x -> {
                replacements++;
                LOG.info("{} replaced (replacement {})", name, replacements);
            }).onFailure(e -> {
                LOG.error("{} could not be started again: {}; trying again", name, e.toString());
                schedule();
            });
        });
    }

    /**
     * True while a deployed verticle runs, has not failed within {@link #STALE_POLL_MILLIS} (a stage whose writes
     * keep failing is replaced again and again, and is no more ready in between), and, if it polls, its polls keep
     * coming back.
     */
    public boolean running() {
        long now = System.currentTimeMillis();
        if (!running || now - lastFailureMillis < staleMillis) {
            return false;
        }
        return !(current instanceof Heartbeat h) || h.lastPollMillis() == 0 || now - h.lastPollMillis() < staleMillis;
    }

    /** The verticle in place now (replaced after a failure). */
    public Deployable current() {
        return current;
    }

    /** How often the verticle was replaced since the start. */
    public int replacements() {
        return replacements;
    }

    /** No replacement after this; the verticle stops with its Vert.x instance. */
    public void close() {
        closed = true;
    }
}
