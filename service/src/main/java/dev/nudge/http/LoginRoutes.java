package dev.nudge.http;

import dev.nudge.config.NudgeConfig;
import dev.nudge.send.RateLimit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.LinkedHashMap;
import java.util.Map;


/**
 * Admin from a browser: {@code GET /login} shows a form for the admin token, {@code POST /login} checks it and sets a
 * session cookie ({@link AdminSessions}: a random value, never the token; Secure, HttpOnly, SameSite=Strict) that the
 * admin check takes beside the bearer header, and {@code POST /logout} ends the session. Wrong tokens are paced per
 * client address.
 */
final class LoginRoutes {

    private static final int MAX_FORM_BYTES = 4096;

    private final NudgeConfig.HttpConfig http;
    private final AdminSessions sessions;
    private final String form;
    private final WrongGuesses guesses = new WrongGuesses();

    LoginRoutes(NudgeConfig.HttpConfig http, AdminSessions sessions) {
        this.http = http;
        this.sessions = sessions;
        this.form = WebPages.load("web/login.html").text();
    }

    void mount(Router router) {
        router.get("/login").handler(rc -> show(rc, 200, null));
        router.post("/login").handler(BodyHandler.create().setBodyLimit(MAX_FORM_BYTES).setHandleFileUploads(false))
                .handler(this::login);
        router.post("/logout").handler(this::logout);
    }

    /**
     * Wrong tokens per client address, a token bucket each: {@value #FREE_GUESSES} at once, then one every
     * {@value #SECONDS_PER_GUESS} seconds, so the form cannot be used to guess the token; the least recently seen
     * addresses are forgotten beyond {@value #ADDRESSES}.
     */
    static final class WrongGuesses {
        static final int FREE_GUESSES = 10;
        static final int SECONDS_PER_GUESS = 30;
        static final int ADDRESSES = 10_000;
        private final Map<String, RateLimit> byClient = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RateLimit> eldest) {
                return size() > ADDRESSES;
            }
        };

        synchronized long secondsUntilNext(String client, long now) {
            RateLimit bucket = byClient.get(client);
            return bucket == null ? 0 : (long) Math.ceil(bucket.millisUntilNext(now) / 1000.0);
        }

        synchronized void wrong(String client, long now) {
            byClient.computeIfAbsent(client, k -> new RateLimit(1.0 / (SECONDS_PER_GUESS * 1000L), FREE_GUESSES, now))
                    .tryTake(now);
        }
    }

    private void login(RoutingContext rc) {
        String token = rc.request().getFormAttribute("token");
        if (!http.adminEnabled()) {
            show(rc, 403, null);
            return;
        }
        String client = rc.request().remoteAddress() == null ? "?" : rc.request().remoteAddress().hostAddress();
        long now = System.currentTimeMillis();
        long wait = guesses.secondsUntilNext(client, now);
        if (wait > 0) {
            // even the right token waits: an answer that told it apart would let the guessing go on
            rc.response().putHeader("Retry-After", Long.toString(wait));
            show(rc, 429, "Too many wrong tokens from here: try again in " + wait + " seconds.");
            return;
        }
        if (!AdminSessions.isToken(http, token)) {
            guesses.wrong(client, now);
            show(rc, 401, "That is not the admin token.");
            return;
        }
        rc.response().addCookie(Cookie.cookie(AdminSessions.COOKIE, sessions.open()).setPath("/").setHttpOnly(true)
                .setSecure(true).setSameSite(CookieSameSite.STRICT).setMaxAge(AdminSessions.TTL.toSeconds()));
        rc.redirect(next(rc.request().getFormAttribute("next")));
    }

    private void logout(RoutingContext rc) {
        Cookie c = rc.request().getCookie(AdminSessions.COOKIE);
        if (c != null) {
            sessions.close(c.getValue());
        }
        rc.response().addCookie(Cookie.cookie(AdminSessions.COOKIE, "").setPath("/").setHttpOnly(true).setSecure(true)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
        rc.redirect("/login");
    }

    private void show(RoutingContext rc, int status, String error) {
        String next = next(rc.request().getParam("next"));
        if (rc.request().getFormAttribute("next") != null) {
            next = next(rc.request().getFormAttribute("next"));
        }
        String notice = !http.adminEnabled()
                ? "Admin views are closed: set <code>admin.token</code> (or <code>NUDGE_ADMIN_TOKEN</code>) and"
                + " restart."
                : error == null ? "" : UnsubscribeRoutes.escape(error);
        String page = form.replace("{{next}}", UnsubscribeRoutes.escape(next)).replace("{{notice}}", notice);
        WebPages.Page p = new WebPages.Page("text/html; charset=utf-8", Buffer.buffer(page));
        p.send(rc, status, p.body());
    }

    /** Where to go after logging in: a path of this server only, so the form cannot send anyone elsewhere. */
    static String next(String asked) {
        if (asked == null || !asked.startsWith("/") || asked.startsWith("//") || asked.startsWith("/\\")
                || asked.chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f)) {
            return "/";
        }
        return asked;
    }
}
