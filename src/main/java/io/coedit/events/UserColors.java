package io.coedit.events;

/**
 * The colour the web editor gives a user (frontend/presence.js {@code colorFor}): the hue from a 32-bit FNV-1a
 * hash of the id's UTF-16 code units, the lightness lowered until white text on it has a contrast of 4.5:1.
 */
final class UserColors {

    private UserColors() {}

    static String of(String userId) {
        int hue = (int) (Integer.toUnsignedLong(hash(userId)) % 360);
        int lightness = 48;
        while (lightness > 20 && contrastWithWhite(hue, 70, lightness) < 4.5) {
            lightness -= 2;
        }
        return "hsl(" + hue + " 70% " + lightness + "%)";
    }

    private static int hash(String s) {
        int h = 0x811c9dc5;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x01000193;
        }
        return h;
    }

    private static double contrastWithWhite(double h, double saturationPercent, double lightnessPercent) {
        double sat = saturationPercent / 100;
        double l = lightnessPercent / 100;
        double a = sat * Math.min(l, 1 - l);
        double lum = 0.2126 * channel(0, h, l, a) + 0.7152 * channel(8, h, l, a) + 0.0722 * channel(4, h, l, a);
        return 1.05 / (lum + 0.05);
    }

    private static double channel(double n, double h, double l, double a) {
        double k = (n + h / 30) % 12;
        double c = l - a * Math.max(-1, Math.min(k - 3, Math.min(9 - k, 1)));
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
