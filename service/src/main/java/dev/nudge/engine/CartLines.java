package dev.nudge.engine;

import dev.nudge.event.CartChanged.Change;
import dev.nudge.event.Item;

import java.util.ArrayList;
import java.util.List;

/** The arithmetic of one product's line when a product is added to or taken out of a cart. */
final class CartLines {

    private CartLines() {
    }

    /** The cart's lines after the change; lines of other products keep their order, a new product comes last. */
    static List<Item> apply(List<Item> lines, Item product, Change change) {
        List<Item> out = new ArrayList<>(lines.size() + 1);
        // a whole cart may hold one product on two lines: adding goes to the first, removing empties them in turn
        long toAdd = change == Change.ADD ? product.quantity() : 0;
        long toRemove = change == Change.REMOVE ? product.quantity() : Long.MAX_VALUE;
        for (Item line : lines) {
            if (!line.productId().equals(product.productId())) {
                out.add(line);
            } else if (change == Change.ADD) {
                out.add(withQuantity(toAdd > 0 ? described(line, product) : line, line.quantity() + toAdd));
                toAdd = 0;
            } else {
                long taken = Math.min(toRemove, line.quantity());
                toRemove -= taken;
                if (line.quantity() - taken > 0) {
                    out.add(withQuantity(line, line.quantity() - taken));
                }
            }
        }
        if (toAdd > 0) {
            out.add(product);
        }
        return List.copyOf(out);
    }

    /** The shop's latest description of the product wins, but a call that leaves out a field does not erase it. */
    private static Item described(Item line, Item product) {
        return new Item(line.productId(), or(product.name(), line.name()), or(product.price(), line.price()),
                line.quantity(), or(product.url(), line.url()), or(product.imageUrl(), line.imageUrl()),
                product.price() != null ? product.currency() : line.currency(), or(product.category(), line.category()));
    }

    private static Item withQuantity(Item line, long quantity) {
        int q = (int) Math.min(Integer.MAX_VALUE, quantity);
        return q == line.quantity() ? line
                : new Item(line.productId(), line.name(), line.price(), q, line.url(), line.imageUrl(), line.currency(),
                        line.category());
    }

    private static <T> T or(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
