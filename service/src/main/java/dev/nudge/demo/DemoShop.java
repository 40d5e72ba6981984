package dev.nudge.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo shop of {@code nudge run} ({@code /shop/}): product pages, a cart, a checkout and a sign-in box, static
 * pages that send what a shopper does through {@code /nudge.js} with a browser key, the catalogue of the simulated
 * shoppers with a picture of each product ({@code /shop/img/<productId>.svg}, which the mails show), and
 * {@code GET /shop/clock}, the run's time, so the pages stamp their calls with it.
 */
public final class DemoShop {

    /**
     * What the shop's browser key may send: what its pages see, the profile its sign-in box gives (an e-mail
     * address and consent to marketing mail, as a shop's own sign-in would), and the merge of the visitor's anonymous
     * id into the id they sign in with, so a cart filled before signing in is mailed. A loopback demo may; a real
     * shop's pages should leave both to its back end.
     */
    public static final Set<String> KEY_TYPES = Set.of("CartUpdated", "CheckoutCompleted", "ProductViewed",
            "PageVisited", "CustomerProfile", "CustomerMerged");

    /** The pages' only placeholder: the browser key, which the page shows to every visitor anyway. */
    private static final String KEY_PLACEHOLDER = "{{writeKey}}";

    private final String writeKey;
    private final DemoClock clock;
    private final Catalogue catalogue = new Catalogue();

    /** {@code writeKey}: a browser key whose origins include the pages' own. */
    public DemoShop(String writeKey, DemoClock clock) {
        this.writeKey = writeKey;
        this.clock = clock;
    }

    /** The clock the run receives events on. */
    public DemoClock clock() {
        return clock;
    }

    public void mount(Router router) {
        Buffer page = Buffer.buffer(resource("shop.html").replace(KEY_PLACEHOLDER, writeKey));
        Buffer script = Buffer.buffer(resource("shop.js"));
        Buffer products = products();
        // one page for all: shop.js draws the product list, a product, the cart or the checkout from the path
        for (String path : new String[] {"/shop/", "/shop/product/:productId", "/shop/cart", "/shop/cart/:cartId",
            "/shop/checkout"}) {
            router.get(path).handler(rc -> send(rc, "text/html; charset=utf-8", page));
        }
        router.get("/shop/shop.js").handler(rc -> send(rc, "text/javascript; charset=utf-8", script));
        router.get("/shop/products.json").handler(rc -> send(rc, "application/json", products));
        router.get("/shop/clock").handler(this::clock);
        Map<String, Buffer> images = new HashMap<>();
        List<Catalogue.Product> all = catalogue.all();
        for (int i = 0; i < all.size(); i++) {
            images.put(all.get(i).productId() + ".svg", Buffer.buffer(ProductImages.svg(all.get(i), i)));
        }
        router.get("/shop/img/:file").handler(rc -> {
            Buffer image = images.get(rc.pathParam("file"));
            if (image == null) {
                rc.response().setStatusCode(404).putHeader("content-type", "text/plain").end("no such image");
                return;
            }
            // the pictures never change during a run: mail clients and browsers may keep them
            rc.response().putHeader("content-type", "image/svg+xml").putHeader("cache-control", "max-age=3600")
                    .end(image);
        });
    }

    private void clock(RoutingContext rc) {
        long now = clock.millis();
        rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
                .end(new JsonObject().put("now", java.time.Instant.ofEpochMilli(now).toString()).put("nowMillis", now)
                        .put("speed", clock.speed()).encode());
    }

    private static void send(RoutingContext rc, String type, Buffer body) {
        rc.response().putHeader("content-type", type).putHeader("cache-control", "no-cache").end(body);
    }

    private Buffer products() {
        JsonArray all = new JsonArray();
        for (Catalogue.Product p : catalogue.all()) {
            // no url: the pages give each product their own address, so a mail's link leads back into this shop
            all.add(new JsonObject().put("productId", p.productId()).put("name", p.name())
                    .put("price", p.price().doubleValue()).put("currency", Catalogue.CURRENCY)
                    .put("category", p.category())
                    .put("image", "/shop/img/" + p.productId() + ".svg"));
        }
        return all.toBuffer();
    }

    private static String resource(String name) {
        try (InputStream in = DemoShop.class.getResourceAsStream("/web/shop/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/shop/" + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("web/shop/" + name + " could not be read", e);
        }
    }
}
