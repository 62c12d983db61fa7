package com.teamsemergency.common.message;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the HTML body of a Teams message into plain text lines, in one linear pass and without regular expressions,
 * so that hostile input cannot make it slow or make it throw.
 */
public final class HtmlText {

    // Elements whose start or end begins a new line of text.
    private static final Set<String> LINE_BREAKING = Set.of(
            "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "table",
            "thead", "tbody", "tfoot", "blockquote", "pre", "hr", "section", "article", "header", "footer", "caption",
            "address", "figure", "figcaption", "main", "nav", "aside", "summary", "details", "form", "fieldset");
    // Table cells are separated by a space so that "<td>a</td><td>b</td>" does not read "ab".
    private static final Set<String> SPACING = Set.of("td", "th");
    private static final Set<String> RAW_TEXT = Set.of("script", "style", "template", "textarea", "title");
    // The longest entity name we decode, plus its digits for numeric ones: longer runs are not entities.
    private static final int MAX_ENTITY_LENGTH = 10;
    private static final Map<String, Integer> ENTITIES = entities();

    private HtmlText() {
    }

    /**
     * The text a reader sees: tags removed, entities decoded, block elements and {@code <br>} as line breaks,
     * script and style content dropped, whitespace collapsed within each line, blank lines dropped, trimmed.
     * Returns an empty string for null; never throws.
     */
    public static String toPlainText(String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(html.length());
        int length = html.length();
        int i = 0;
        while (i < length) {
            char c = html.charAt(i);
            if (c == '<') {
                i = tag(html, i, out);
            } else if (c == '&') {
                i = entity(html, i, out);
            } else {
                // In HTML a source line break is only whitespace; lines come from elements.
                out.append(c == '\n' || c == '\r' ? ' ' : c);
                i++;
            }
        }
        return lines(out);
    }

    /** Collapses whitespace within each line, drops blank lines and trims; used for plain-text bodies too. */
    static String normaliseLines(CharSequence raw) {
        // Composed form, so that a marker typed with "ä" matches text written as "a" and a combining diaeresis.
        String text = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder result = new StringBuilder(text.length());
        StringBuilder line = new StringBuilder();
        boolean pendingSpace = false;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '\n';
            if (isInvisible(c)) {
                continue;
            } else if (c == '\n' || c == '\r') {
                if (line.length() > 0) {
                    if (result.length() > 0) {
                        result.append('\n');
                    }
                    result.append(line);
                    line.setLength(0);
                }
                pendingSpace = false;
            } else if (isSpace(c)) {
                pendingSpace = line.length() > 0;
            } else {
                if (pendingSpace) {
                    line.append(' ');
                    pendingSpace = false;
                }
                line.append(c);
            }
        }
        return result.toString();
    }

    private static String lines(StringBuilder out) {
        return normaliseLines(out);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F';
    }

    /** Soft hyphens and zero-width characters: shown as nothing, so they must not split a word ("Emer&shy;gency"). */
    private static boolean isInvisible(char c) {
        return c == '\u00AD' || c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF';
    }

    /** Handles the markup starting at {@code start} ('<') and returns the index after it. */
    private static int tag(String html, int start, StringBuilder out) {
        int length = html.length();
        int i = start + 1;
        if (i >= length) {
            out.append('<');
            return length;
        }
        char next = html.charAt(i);
        if (next == '!') {
            if (html.startsWith("--", i + 1)) {
                int end = html.indexOf("-->", i + 3);
                return end < 0 ? length : end + 3;
            }
            return skipPastClose(html, i);
        }
        if (next == '?') {
            return skipPastClose(html, i);
        }
        boolean closing = next == '/';
        int nameStart = closing ? i + 1 : i;
        if (nameStart >= length || !isAsciiLetter(html.charAt(nameStart))) {
            // "a < b", "<<<", "</ x": not markup, keep the character as text.
            out.append('<');
            return start + 1;
        }
        int nameEnd = nameStart;
        while (nameEnd < length && isNameChar(html.charAt(nameEnd))) {
            nameEnd++;
        }
        String name = html.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
        int end = endOfTag(html, nameEnd);
        if (end < 0) {
            // An unterminated tag runs to the end of the input, as in a browser: nothing of it is text.
            return length;
        }
        if (LINE_BREAKING.contains(name)) {
            out.append('\n');
        } else if (SPACING.contains(name)) {
            out.append(' ');
        }
        boolean selfClosing = html.charAt(end - 1) == '/';
        if (!closing && !selfClosing && RAW_TEXT.contains(name)) {
            return skipRawText(html, end + 1, name);
        }
        return end + 1;
    }

    /** Index of the '>' closing a tag whose attributes start at {@code from}, honouring quotes; -1 if none. */
    private static int endOfTag(String html, int from) {
        int length = html.length();
        int i = from;
        while (i < length) {
            char c = html.charAt(i);
            if (c == '>') {
                return i;
            }
            if (c == '"' || c == '\'') {
                int close = html.indexOf(c, i + 1);
                if (close < 0) {
                    return -1;
                }
                i = close + 1;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static int skipPastClose(String html, int from) {
        int end = html.indexOf('>', from);
        return end < 0 ? html.length() : end + 1;
    }

    /** Skips the content of script-like elements up to and including their end tag. */
    private static int skipRawText(String html, int from, String name) {
        int length = html.length();
        int i = html.indexOf("</", from);
        while (i >= 0) {
            int nameEnd = i + 2 + name.length();
            if (html.regionMatches(true, i + 2, name, 0, name.length())
                    && (nameEnd >= length || !isNameChar(html.charAt(nameEnd)))) {
                int close = html.indexOf('>', nameEnd);
                return close < 0 ? length : close + 1;
            }
            i = html.indexOf("</", i + 2);
        }
        return length;
    }

    /** Decodes the entity starting at {@code start} ('&') or keeps the '&' as text; returns the next index. */
    private static int entity(String html, int start, StringBuilder out) {
        int length = html.length();
        int limit = Math.min(length, start + 2 + MAX_ENTITY_LENGTH);
        int semicolon = -1;
        for (int i = start + 1; i < limit; i++) {
            char c = html.charAt(i);
            if (c == ';') {
                semicolon = i;
                break;
            }
            if (!isNameChar(c) && c != '#') {
                break;
            }
        }
        if (semicolon < 0 || semicolon == start + 1) {
            out.append('&');
            return start + 1;
        }
        String body = html.substring(start + 1, semicolon);
        int codePoint = body.charAt(0) == '#' ? numeric(body) : ENTITIES.getOrDefault(body, -1);
        if (codePoint < 0) {
            out.append('&');
            return start + 1;
        }
        out.appendCodePoint(codePoint);
        return semicolon + 1;
    }

    private static int numeric(String body) {
        boolean hex = body.length() > 1 && (body.charAt(1) == 'x' || body.charAt(1) == 'X');
        String digits = body.substring(hex ? 2 : 1);
        if (digits.isEmpty() || digits.length() > 8) {
            return -1;
        }
        int value;
        try {
            value = Integer.parseInt(digits, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            return -1;
        }
        // As browsers do: NUL, surrogates and values beyond Unicode become the replacement character.
        if (value == 0 || value > Character.MAX_CODE_POINT
                || (value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE)) {
            return 0xFFFD;
        }
        return value;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNameChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '_';
    }

    private static Map<String, Integer> entities() {
        Map<String, Integer> map = new HashMap<>();
        map.put("amp", (int) '&');
        map.put("lt", (int) '<');
        map.put("gt", (int) '>');
        map.put("quot", (int) '"');
        map.put("apos", (int) '\'');
        String[] latin1 = {"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy",
            "ordf", "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para",
            "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute",
            "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave",
            "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
            "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc",
            "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute",
            "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash",
            "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml"};
        for (int i = 0; i < latin1.length; i++) {
            map.put(latin1[i], 0xA0 + i);
        }
        // Typography that chat clients produce often.
        map.put("ndash", 0x2013);
        map.put("mdash", 0x2014);
        map.put("lsquo", 0x2018);
        map.put("rsquo", 0x2019);
        map.put("sbquo", 0x201A);
        map.put("ldquo", 0x201C);
        map.put("rdquo", 0x201D);
        map.put("bdquo", 0x201E);
        map.put("hellip", 0x2026);
        map.put("bull", 0x2022);
        map.put("euro", 0x20AC);
        map.put("trade", 0x2122);
        map.put("zwj", 0x200D);
        map.put("zwnj", 0x200C);
        return Map.copyOf(map);
    }
}
