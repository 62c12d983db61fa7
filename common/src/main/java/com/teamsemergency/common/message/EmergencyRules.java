package com.teamsemergency.common.message;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The configurable rules that recognise the message Teams posts to the security desk when someone places an
 * emergency call, and extract the dialled number, location and callback number from it.
 *
 * <p>Microsoft does not document the message's wording, so markers and patterns are configuration; the defaults
 * match the project's fixtures. Markers are matched case-insensitively anywhere in the plain text; each pattern is
 * tried on every line first and then over the whole text, and the first match wins.
 *
 * @param markers        phrases, any of which makes a message an emergency (may be localised)
 * @param dialedNumber   pattern with a group named {@code number}
 * @param location       pattern with a group named {@code location}
 * @param callbackNumber pattern with a group named {@code number}
 * @param testNumbers    dialled numbers that are test calls
 */
public record EmergencyRules(List<String> markers, Pattern dialedNumber, Pattern location, Pattern callbackNumber,
                             Set<String> testNumbers) {

    public static final String MARKERS = "rules.markers";
    public static final String DIALED_NUMBER_PATTERN = "rules.dialed-number.pattern";
    public static final String LOCATION_PATTERN = "rules.location.pattern";
    public static final String CALLBACK_NUMBER_PATTERN = "rules.callback-number.pattern";
    public static final String TEST_NUMBERS = "rules.test-numbers";

    public static final String DEFAULT_MARKERS =
            "has placed an Emergency Call,a passé un appel d'urgence,hat einen Notruf getätigt";
    public static final String DEFAULT_DIALED_NUMBER_PATTERN = "(?i)Emergency Call to\\s+(?<number>\\+?[0-9]+)";
    public static final String DEFAULT_LOCATION_PATTERN = "(?i)\\bLocation\\s*:\\s*(?<location>\\S.*)";
    // The number may be written with spaces, dots, dashes or parentheses, as people write phone numbers.
    public static final String DEFAULT_CALLBACK_NUMBER_PATTERN =
            "(?i)\\bCallback number\\s*:\\s*(?<number>\\+?[0-9(][0-9 ().\\-]*[0-9])";
    public static final String DEFAULT_TEST_NUMBERS = "933";

    private static final String NUMBER_GROUP = "number";
    private static final String LOCATION_GROUP = "location";

    public EmergencyRules {
        if (markers == null || markers.isEmpty() || markers.stream().anyMatch(m -> m == null || m.isBlank())) {
            throw new IllegalArgumentException("at least one non-blank marker is required");
        }
        markers = List.copyOf(markers);
        requireGroup(dialedNumber, NUMBER_GROUP, "dialedNumber");
        requireGroup(location, LOCATION_GROUP, "location");
        requireGroup(callbackNumber, NUMBER_GROUP, "callbackNumber");
        testNumbers = testNumbers == null ? Set.of() : Set.copyOf(testNumbers);
    }

    /** The rules that match the wording assumed by the project's fixtures. */
    public static EmergencyRules defaults() {
        return fromProperties(new Properties());
    }

    /**
     * Reads the rules from {@code rules.*} keys; a missing key takes its default.
     *
     * @throws IllegalArgumentException naming the key, for a blank marker list, an invalid regular expression or a
     *                                  pattern without its named group
     */
    public static EmergencyRules fromProperties(Properties properties) {
        String markerList = properties.getProperty(MARKERS, DEFAULT_MARKERS);
        List<String> markers = split(markerList);
        if (markers.isEmpty()) {
            throw new IllegalArgumentException(MARKERS + " must list at least one marker (comma-separated)");
        }
        Pattern dialed = pattern(properties, DIALED_NUMBER_PATTERN, DEFAULT_DIALED_NUMBER_PATTERN, NUMBER_GROUP);
        Pattern location = pattern(properties, LOCATION_PATTERN, DEFAULT_LOCATION_PATTERN, LOCATION_GROUP);
        Pattern callback = pattern(properties, CALLBACK_NUMBER_PATTERN, DEFAULT_CALLBACK_NUMBER_PATTERN,
                NUMBER_GROUP);
        Set<String> testNumbers = new LinkedHashSet<>();
        for (String number : split(properties.getProperty(TEST_NUMBERS, DEFAULT_TEST_NUMBERS))) {
            testNumbers.add(digits(number));
        }
        return new EmergencyRules(markers, dialed, location, callback, testNumbers);
    }

    /** Applies the rules to a message's plain text. Fields that are not found are null. */
    public Recognition recognise(ChatMessage message) {
        String text = message == null ? "" : message.plainText();
        String comparable = comparable(text);
        String matched = null;
        for (String marker : markers) {
            if (comparable.contains(comparable(marker))) {
                matched = marker;
                break;
            }
        }
        if (matched == null) {
            return Recognition.notEmergency(text);
        }
        String dialed = find(dialedNumber, NUMBER_GROUP, text);
        String where = find(location, LOCATION_GROUP, text);
        String callback = find(callbackNumber, NUMBER_GROUP, text);
        boolean test = dialed != null && testNumbers.contains(digits(dialed));
        return new Recognition(true, matched, dialed, where, callback, test, dialed != null && where != null, text);
    }

    private static String find(Pattern pattern, String group, String text) {
        for (String line : text.split("\n", -1)) {
            String found = group(pattern.matcher(line), group);
            if (found != null) {
                return found;
            }
        }
        return group(pattern.matcher(text), group);
    }

    private static String group(Matcher matcher, String group) {
        if (!matcher.find()) {
            return null;
        }
        String value = matcher.group(group);
        if (value == null) {
            return null;
        }
        value = value.strip();
        return value.isEmpty() ? null : value;
    }

    // Teams may type a typographic apostrophe and non-breaking spaces where a configured marker has plain ones.
    private static String comparable(String text) {
        StringBuilder result = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00A0' || c == '\u202F') {
                space = true;
                continue;
            }
            if (space && result.length() > 0) {
                result.append(' ');
            }
            space = false;
            result.append(c == '\u2019' || c == '\u2018' ? '\'' : c);
        }
        return result.toString().toLowerCase(Locale.ROOT);
    }

    private static String digits(String number) {
        return number.replaceAll("[^0-9+]", "");
    }

    private static List<String> split(String list) {
        List<String> items = new ArrayList<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }

    private static Pattern pattern(Properties properties, String key, String defaultRegex, String group) {
        String regex = properties.getProperty(key, defaultRegex);
        if (regex.isBlank()) {
            throw new IllegalArgumentException(key + " is blank; remove it to use the default " + defaultRegex);
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(key + " is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex(), e);
        }
        if (!hasGroup(pattern, group)) {
            throw new IllegalArgumentException(key + " must have a named group (?<" + group + ">...): " + regex);
        }
        return pattern;
    }

    private static void requireGroup(Pattern pattern, String group, String component) {
        if (pattern == null) {
            throw new IllegalArgumentException(component + " pattern is required");
        }
        if (!hasGroup(pattern, group)) {
            throw new IllegalArgumentException(component + " pattern must have a named group (?<" + group + ">...)");
        }
    }

    // Java 17 has no public list of a pattern's named groups: an empty alternative makes the pattern match "",
    // after which group(name) answers for the name alone.
    private static boolean hasGroup(Pattern pattern, String group) {
        Matcher probe;
        try {
            probe = Pattern.compile("(?:" + pattern.pattern() + ")|", pattern.flags()).matcher("");
        } catch (PatternSyntaxException e) {
            // A trailing comment in (?x) mode swallows the wrapper: fall back to reading the source.
            return pattern.pattern().contains("(?<" + group + ">");
        }
        if (!probe.find()) {
            return false;
        }
        try {
            probe.group(group);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "EmergencyRules[markers=" + markers + ", dialedNumber=" + dialedNumber + ", location=" + location
                + ", callbackNumber=" + callbackNumber + ", testNumbers=" + new ArrayList<>(testNumbers) + "]";
    }

    /** The rules as the properties {@link #fromProperties(Properties)} reads. */
    public Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty(MARKERS, String.join(",", markers));
        properties.setProperty(DIALED_NUMBER_PATTERN, dialedNumber.pattern());
        properties.setProperty(LOCATION_PATTERN, location.pattern());
        properties.setProperty(CALLBACK_NUMBER_PATTERN, callbackNumber.pattern());
        properties.setProperty(TEST_NUMBERS, String.join(",", testNumbers));
        return properties;
    }
}
