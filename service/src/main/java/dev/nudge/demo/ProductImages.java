package dev.nudge.demo;

import java.util.List;
import java.util.Locale;

/**
 * The demo shop's product pictures, drawn rather than shipped: a small SVG tile a product, in a colour of its own with
 * its name, so that the demo's mails show images that load without anything from outside this machine.
 */
final class ProductImages {

    private ProductImages() {
    }

    /** The product's picture, a 240 × 240 SVG. */
    static String svg(Catalogue.Product p, int index) {
        int hue = (index * 47) % 360;
        List<String> lines = twoLines(p.name());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(String.format(Locale.ROOT,
                    "<text x=\"120\" y=\"%d\" text-anchor=\"middle\" font-family=\"Helvetica,Arial,sans-serif\" "
                            + "font-size=\"22\" font-weight=\"bold\" fill=\"#ffffff\">%s</text>",
                    178 + i * 26 - (lines.size() - 1) * 13, xml(lines.get(i))));
        }
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"240\" "
                + "viewBox=\"0 0 240 240\" role=\"img\" aria-label=\"%s\">"
                + "<rect width=\"240\" height=\"240\" rx=\"24\" fill=\"hsl(%d,55%%,42%%)\"/>"
                + "<circle cx=\"120\" cy=\"92\" r=\"48\" fill=\"hsl(%d,60%%,78%%)\"/>"
                + "<text x=\"120\" y=\"108\" text-anchor=\"middle\" font-family=\"Helvetica,Arial,sans-serif\" "
                + "font-size=\"44\" font-weight=\"bold\" fill=\"hsl(%d,55%%,30%%)\">%s</text>%s</svg>",
                xml(p.name()), hue, hue, hue, xml(initials(p.name())), text);
    }

    private static String initials(String name) {
        StringBuilder s = new StringBuilder();
        for (String word : name.split("\\s+")) {
            if (!word.isEmpty() && Character.isLetter(word.charAt(0)) && s.length() < 2) {
                s.append(Character.toUpperCase(word.charAt(0)));
            }
        }
        return s.toString();
    }

    /** The name on at most two lines of about 16 characters, split between words. */
    private static List<String> twoLines(String name) {
        if (name.length() <= 16 || name.indexOf(' ') < 0) {
            return List.of(name);
        }
        int middle = name.length() / 2;
        int cut = name.lastIndexOf(' ', middle);
        if (cut < 0 || name.indexOf(' ', middle) >= 0 && name.indexOf(' ', middle) - middle < middle - cut) {
            cut = name.indexOf(' ', middle);
        }
        return List.of(name.substring(0, cut), name.substring(cut + 1));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
