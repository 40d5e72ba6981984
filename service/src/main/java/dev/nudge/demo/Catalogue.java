package dev.nudge.demo;

import dev.nudge.event.Item;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The small fixed shop the simulated shoppers visit: products with e-mail-ready fields, and the shop's pages. The
 * placeholder catalogue links to {@code https://shop.example}; the one of {@code nudge run} ({@link #servedAt}) links
 * to the demo shop's own product pages and images, so its mails show pictures that load.
 */
final class Catalogue {

    static final String SHOP = "https://shop.example";
    /** The demo shop's prices are in euros, as its pages say. */
    static final String CURRENCY = "EUR";

    /** One product; its cart lines are made once per quantity so a million cart events share them. */
    record Product(String productId, String name, BigDecimal price, String url, String imageUrl, String category,
                   Item[] lines) {
        Item line(int quantity) {
            return quantity <= lines.length ? lines[quantity - 1]
                    : new Item(productId, name, price, quantity, url, imageUrl, lines[0].currency(), category);
        }
    }

    // id, name, price, category (the shop's category pages: running, hiking, camping, and cycling)
    private static final String[][] PRODUCTS = {
            {"shoe-42", "Trail running shoe", "89.90", "running"}, {"tent-2p", "Two-person tent", "249.00", "camping"},
            {"bottle-1l", "Steel bottle 1 l", "19.50", "hiking"}, {"jacket-rain", "Rain jacket", "129.00", "hiking"},
            {"sock-merino", "Merino socks", "14.90", "running"}, {"pack-30", "Day pack 30 l", "79.00", "hiking"},
            {"lamp-head", "Head lamp", "34.90", "camping"}, {"bag-sleep", "Sleeping bag", "189.00", "camping"},
            {"pole-trek", "Trekking poles", "59.00", "hiking"}, {"stove-gas", "Gas stove", "44.90", "camping"},
            {"mug-ti", "Titanium mug", "24.00", "camping"}, {"watch-gps", "GPS watch", "299.00", "running"},
            {"cap-sun", "Sun cap", "22.00", "running"}, {"glove-wind", "Wind gloves", "29.90", "hiking"},
            {"map-alps", "Alps hiking map", "12.90", "hiking"}, {"mat-air", "Air mattress", "99.00", "camping"},
            {"knife-fold", "Folding knife", "39.00", "camping"}, {"towel-fast", "Quick-dry towel", "18.90", "camping"},
            {"short-run", "Running shorts", "35.00", "running"}, {"tee-tech", "Technical tee", "27.50", "running"},
            {"fleece-mid", "Mid-layer fleece", "69.00", "hiking"}, {"boot-hike", "Hiking boots", "159.00", "hiking"},
            {"gaiter-low", "Trail gaiters", "25.00", "running"}, {"filter-h2o", "Water filter", "49.00", "hiking"},
            {"chair-camp", "Camping chair", "54.90", "camping"}, {"helmet-bike", "Bike helmet", "89.00", "cycling"},
            {"light-bike", "Bike light set", "39.90", "cycling"}, {"pump-mini", "Mini pump", "21.50", "cycling"},
            {"vest-hydro", "Hydration vest", "94.00", "running"}, {"compass", "Baseplate compass", "17.90", "hiking"},
    };

    /** Landing and browsing pages; the pricing pages are what the pricing-page-interest rule watches. */
    private static final List<String> LANDING = List.of(SHOP + "/", SHOP + "/", SHOP + "/category/running",
            SHOP + "/category/hiking", SHOP + "/category/camping", SHOP + "/sale", SHOP + "/search?q=tent");
    private static final List<String> BROWSING = List.of(SHOP + "/category/running", SHOP + "/category/hiking",
            SHOP + "/category/camping", SHOP + "/sale", SHOP + "/about", SHOP + "/delivery",
            SHOP + "/blog/pricing-explained", SHOP + "/account");
    private static final List<String> PRICING = List.of(SHOP + "/pricing", SHOP + "/pricing?plan=plus",
            SHOP + "/pricing/membership");
    static final String CART_PAGE = SHOP + "/cart";
    static final String CHECKOUT_PAGE = SHOP + "/checkout";

    private final Product[] products = new Product[PRODUCTS.length];
    // Zipf-like popularity (exponent 0.5): best sellers get more views, without every shopper landing on the same one
    private final double[] cumulative = new double[PRODUCTS.length];

    Catalogue() {
        this(SHOP + "/p/", SHOP + "/img/", ".jpg", null);
    }

    /**
     * The catalogue of the demo shop at {@code shop} ({@code http://127.0.0.1:8080/shop}): its product pages
     * ({@code /product/<id>}), the images {@link DemoShop} serves ({@code /img/<id>.svg}) and prices in
     * {@link #CURRENCY}.
     */
    static Catalogue servedAt(String shop) {
        String base = shop.endsWith("/") ? shop.substring(0, shop.length() - 1) : shop;
        return new Catalogue(base + "/product/", base + "/img/", ".svg", CURRENCY);
    }

    private Catalogue(String pages, String images, String imageType, String currency) {
        double sum = 0;
        for (int i = 0; i < PRODUCTS.length; i++) {
            String id = PRODUCTS[i][0];
            String url = pages + id;
            String image = images + id + imageType;
            BigDecimal price = new BigDecimal(PRODUCTS[i][2]);
            Item[] lines = new Item[3];
            for (int q = 1; q <= lines.length; q++) {
                lines[q - 1] = new Item(id, PRODUCTS[i][1], price, q, url, image, currency, PRODUCTS[i][3]);
            }
            products[i] = new Product(id, PRODUCTS[i][1], price, url, image, PRODUCTS[i][3], lines);
            sum += 1.0 / Math.sqrt(i + 1);
            cumulative[i] = sum;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= sum;
        }
    }

    Product product(SplittableRandom rng) {
        double u = rng.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return products[i];
            }
        }
        return products[products.length - 1];
    }

    String landingPage(SplittableRandom rng) {
        return LANDING.get(rng.nextInt(LANDING.size()));
    }

    String browsingPage(SplittableRandom rng) {
        return BROWSING.get(rng.nextInt(BROWSING.size()));
    }

    String pricingPage(SplittableRandom rng) {
        return PRICING.get(rng.nextInt(PRICING.size()));
    }

    /** Every product, in the catalogue's order (best sellers first). */
    List<Product> all() {
        return List.of(products);
    }

    int size() {
        return products.length;
    }
}
