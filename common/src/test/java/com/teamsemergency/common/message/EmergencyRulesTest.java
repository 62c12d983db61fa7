package com.teamsemergency.common.message;

import com.teamsemergency.common.fixtures.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmergencyRulesTest {

    private final EmergencyRules defaults = EmergencyRules.defaults();

    @Test
    void recognisesTheEmergencyCall() throws Exception {
        Recognition r = defaults.recognise(ChatMessageCodec.parse(Fixtures.read("messages/emergency-call.json")));

        assertTrue(r.emergency());
        assertEquals("has placed an Emergency Call", r.matchedMarker());
        assertEquals("911", r.dialedNumber());
        assertEquals("Building 2, Floor 3, 500 Example Ave, Springfield, IL 62701, US", r.location());
        assertEquals("+1 217 555 0142", r.callbackNumber());
        assertFalse(r.testCall());
        assertTrue(r.complete());
        assertTrue(r.text().startsWith("Dana Whitfield has placed an Emergency Call to 911."));
    }

    @Test
    void recognisesATestCall() throws Exception {
        Recognition r = defaults.recognise(
                ChatMessageCodec.parse(Fixtures.read("messages/emergency-test-call-933.json")));

        assertTrue(r.emergency());
        assertEquals("933", r.dialedNumber());
        assertTrue(r.testCall());
        assertTrue(r.complete());
        assertNull(r.callbackNumber());
    }

    @Test
    void ignoresAnOrdinaryChatThatMentionsEmergency() throws Exception {
        Recognition r = defaults.recognise(ChatMessageCodec.parse(Fixtures.read("messages/ordinary-chat.json")));

        assertFalse(r.emergency());
        assertNull(r.matchedMarker());
        assertNull(r.dialedNumber());
        assertFalse(r.complete());
        assertEquals("Lunch at noon? The emergency exit drill is tomorrow.", r.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<p>Camille Durand a passé un appel d'urgence au 112.</p>",
        "<p>Camille Durand a passé un appel d\u2019urgence au 112.</p>",
        "<p>Jonas Weber hat einen Notruf getätigt.</p>",
        "<p>DANA HAS PLACED AN EMERGENCY&nbsp;CALL</p>"})
    void recognisesDefaultMarkersInAnyLanguageAndCase(String html) {
        assertTrue(defaults.recognise(html(html)).emergency(), html);
    }

    @Test
    void extractsWithLocalisedPatterns() {
        Properties p = new Properties();
        p.setProperty("rules.markers", "a passé un appel d'urgence");
        p.setProperty("rules.dialed-number.pattern", "appel d'urgence au (?<number>\\d+)");
        p.setProperty("rules.location.pattern", "Emplacement\\s*:\\s*(?<location>.+)");
        p.setProperty("rules.callback-number.pattern", "Rappel\\s*:\\s*(?<number>[+0-9 ]+)");
        p.setProperty("rules.test-numbers", "933, 112");
        EmergencyRules french = EmergencyRules.fromProperties(p);

        Recognition r = french.recognise(html("<p>Camille a passé un appel d'urgence au 112.</p>"
                + "<p>Emplacement : 3 rue de la Paix, Paris</p><p>Rappel : +33 1 23 45 67 89</p>"));

        assertTrue(r.emergency());
        assertEquals("112", r.dialedNumber());
        assertEquals("3 rue de la Paix, Paris", r.location());
        assertEquals("+33 1 23 45 67 89", r.callbackNumber());
        assertTrue(r.testCall());
        assertTrue(r.complete());
        assertEquals(Set.of("933", "112"), french.testNumbers());
    }

    @Test
    void reportsAnIncompleteEmergencyWhenTheFieldsDoNotMatch() {
        Recognition r = defaults.recognise(html("<p>Dana has placed an Emergency Call.</p><p>Somewhere upstairs</p>"));

        assertTrue(r.emergency());
        assertFalse(r.complete());
        assertNull(r.dialedNumber());
        assertNull(r.location());
        assertNull(r.callbackNumber());
        assertFalse(r.testCall());
        assertEquals("Dana has placed an Emergency Call.\nSomewhere upstairs", r.text());
    }

    @Test
    void appliesPatternsOverTheWholeTextWhenNoLineMatches() {
        Properties p = new Properties();
        p.setProperty("rules.location.pattern", "(?s)Where:\\s*(?<location>[^.]+)\\.");
        EmergencyRules rules = EmergencyRules.fromProperties(p);

        Recognition r = rules.recognise(html("<p>Dana has placed an Emergency Call to 911.</p><p>Where:</p>"
                + "<p>Room 12.</p>"));

        assertEquals("Room 12", r.location());
        assertTrue(r.complete());
    }

    @Test
    void usesDefaultsForMissingKeys() {
        Properties p = new Properties();
        p.setProperty("rules.test-numbers", "");
        EmergencyRules rules = EmergencyRules.fromProperties(p);

        assertEquals(defaults.markers(), rules.markers());
        assertEquals(defaults.location().pattern(), rules.location().pattern());
        assertTrue(rules.testNumbers().isEmpty());
        assertEquals(List.of("has placed an Emergency Call", "a passé un appel d'urgence",
                "hat einen Notruf getätigt"), defaults.markers());
        assertEquals(Set.of("933"), defaults.testNumbers());
    }

    @Test
    void namesTheKeyOfAnInvalidRegex() {
        Properties p = new Properties();
        p.setProperty("rules.location.pattern", "Location: (?<location>[unclosed");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmergencyRules.fromProperties(p));
        assertTrue(e.getMessage().contains("rules.location.pattern"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rules.dialed-number.pattern", "rules.callback-number.pattern"})
    void namesTheKeyOfAPatternWithoutItsGroup(String key) {
        Properties p = new Properties();
        p.setProperty(key, "Call to (?<digits>\\d+)");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmergencyRules.fromProperties(p));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains("number"), e.getMessage());
    }

    @Test
    void rejectsALocationPatternWithoutTheLocationGroup() {
        Properties p = new Properties();
        p.setProperty("rules.location.pattern", "Location: (?<number>.+)");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmergencyRules.fromProperties(p));
        assertTrue(e.getMessage().contains("rules.location.pattern"), e.getMessage());
    }

    @Test
    void rejectsAnEmptyMarkerList() {
        Properties p = new Properties();
        p.setProperty("rules.markers", " , ");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmergencyRules.fromProperties(p));
        assertTrue(e.getMessage().contains("rules.markers"), e.getMessage());
    }

    @Test
    void checksGroupsWhenBuiltDirectly() {
        assertThrows(IllegalArgumentException.class, () -> new EmergencyRules(List.of("x"), Pattern.compile("\\d+"),
                defaults.location(), defaults.callbackNumber(), Set.of()));
    }

    @Test
    void readsBackItsOwnProperties() {
        EmergencyRules copy = EmergencyRules.fromProperties(defaults.toProperties());

        assertEquals(defaults.markers(), copy.markers());
        assertEquals(defaults.dialedNumber().pattern(), copy.dialedNumber().pattern());
        assertEquals(defaults.testNumbers(), copy.testNumbers());
    }

    @Test
    void keepsTheLocationOutOfToString() throws Exception {
        Recognition r = defaults.recognise(ChatMessageCodec.parse(Fixtures.read("messages/emergency-call.json")));

        assertFalse(r.toString().contains("Example Ave"), r.toString());
    }

    // Guards against a hang only.
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void survivesAHugeHostileMessage() {
        String body = "<p>has placed an Emergency Call to " + "9".repeat(500_000) + "</p><p>Callback number: "
                + "1 ".repeat(500_000) + "x</p><p>Location:" + " ".repeat(500_000) + "</p>";

        Recognition r = defaults.recognise(html(body));

        assertTrue(r.emergency());
        assertNull(r.location());
    }

    private static ChatMessage html(String body) {
        return new ChatMessage("1", "chat", "message", Instant.EPOCH, "urgent", new Sender("u", "User"), "html",
                body, null);
    }
}
