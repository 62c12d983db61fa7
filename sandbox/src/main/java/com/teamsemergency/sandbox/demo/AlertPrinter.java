package com.teamsemergency.sandbox.demo;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;

/** Prints an alert's data as a security-desk operator would want to read it, then as the JSON it is. */
final class AlertPrinter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final PrintStream out;

    AlertPrinter(PrintStream out) {
        this.out = out;
    }

    void print(JsonNode alert) {
        int update = alert.path("updateCount").asInt();
        String call = alert.path("test").asBoolean() ? "TEST EMERGENCY CALL (no action needed)" : "EMERGENCY CALL";
        String title = update == 0 ? call
                : "UPDATE " + update + " of an earlier " + call + " - a new message in its chat, not a new call";
        String rule = "=".repeat(72);
        out.println(rule);
        out.println("  " + title);
        out.println(rule);
        out.println(line("Dialled", text(alert, "dialedNumber", "(not recognised - read the message below)")));
        out.println(line("Caller", text(alert.path("caller"), "name", "(unknown)") + "  ("
                + text(alert.path("caller"), "id", "no id") + ")"));
        out.println(line("Callback number", text(alert.path("caller"), "callbackNumber", "(none given)")));
        out.println(line("Location (Teams)", text(alert, "reportedLocation", "(none reported)")));
        if (alert.path("locationKnown").asBoolean()) {
            JsonNode desk = alert.path("registeredLocation");
            out.println(line("Registered desk", join(text(desk, "building", null), labelled("floor", desk),
                    labelled("room", desk), text(desk, "address", null), text(desk, "city", null),
                    text(desk, "country", null))));
            if (desk.hasNonNull("notes")) {
                out.println(line("Notes", desk.get("notes").asText()));
            }
        } else {
            out.println(line("Registered desk", "!! NOT KNOWN - no location registered for this caller"));
        }
        if (!alert.path("rulesMatched").asBoolean()) {
            out.println(line("Message", alert.path("messageText").asText()));
        }
        if (update > 0) {
            JsonNode latest = alert.path("latestMessage");
            out.println(line("New message", "from " + text(latest, "senderName", "(unknown)") + " at "
                    + time(latest.path("createdAt").asText())));
        }
        out.println(line("Incident", alert.path("incidentId").asText()));
        out.println(line("Call made", time(alert.path("messageCreatedAt").asText())));
        out.println(line("Detected", time(alert.path("detectedAt").asText()) + " (via "
                + alert.path("source").asText() + ")"));
        out.println(rule);
        out.println(alert.toPrettyString());
    }

    private static String labelled(String field, JsonNode desk) {
        String value = text(desk, field, null);
        return value == null ? null : field + " " + value;
    }

    /** Times to the second, in UTC, as a person reads them off a screen. */
    private static String time(String iso) {
        try {
            return TIME.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static String join(String... parts) {
        StringBuilder joined = new StringBuilder();
        for (String part : parts) {
            if (part != null) {
                joined.append(joined.length() == 0 ? "" : ", ").append(part);
            }
        }
        return joined.toString();
    }

    private static String text(JsonNode node, String field, String absent) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() || value.asText().isBlank() ? absent : value.asText();
    }

    private static String line(String label, String value) {
        return String.format("  %-18s %s", label, value);
    }
}
