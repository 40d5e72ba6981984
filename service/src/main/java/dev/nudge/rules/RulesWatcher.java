package dev.nudge.rules;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * {@code rules.reload=watch}: reloads the rules once their folder has been quiet for a moment after a save, so an
 * analyst in staging sees a change within a second or two; rules that do not compile are refused as on any reload.
 */
public final class RulesWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulesWatcher.class);
    /** Editors write a file in several steps; reload once they are done. */
    private static final long SETTLE_MILLIS = 500;
    /** The link through which a mounted ConfigMap's files point at its current version. */
    private static final String CONFIG_MAP_DATA = "..data";

    private final LiveRules rules;
    private final WatchService watch;
    private final Thread thread;

    public RulesWatcher(LiveRules rules) throws IOException {
        this.rules = rules;
        this.watch = FileSystems.getDefault().newWatchService();
        rules.dir().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "nudge-rules-watcher");
        this.thread.setDaemon(true);
        this.thread.start();
        LOG.info("watching {} for rule changes", rules.dir());
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                boolean drl = changedDrl(key);
                // wait until nothing has changed for a moment: one reload per save, not one per write
                WatchKey more;
                while ((more = watch.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    drl |= changedDrl(more);
                }
                if (drl) {
                    try {
                        rules.reload();
                    } catch (IOException | RuntimeException e) {
                        LOG.error("could not reload the rules: {}", e.toString());
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    private static boolean changedDrl(WatchKey key) {
        // a Kubernetes ConfigMap changes its files by swapping the link ..data to a new folder: no .drl name changes
        boolean drl = key.pollEvents().stream().anyMatch(e -> e.context() instanceof Path p
                && (p.toString().endsWith(".drl") || p.toString().equals(CONFIG_MAP_DATA)));
        key.reset();
        return drl;
    }

    @Override
    public void close() throws IOException {
        watch.close();
        thread.interrupt();
    }
}
