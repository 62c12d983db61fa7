package com.teamsemergency.sandbox.demo;

import java.io.PrintStream;

import com.fasterxml.jackson.databind.JsonNode;

/** Prints an alert's data as a security-desk operator would want to read it, then as the JSON it is. */
final class AlertPrinter {

    private final PrintStream out;

    AlertPrinter(PrintStream out) {
        this.out = out;
    }

    void print(JsonNode alert) {
        boolean update = alert.path("updateCount").asInt() > 0;
        String title = alert.path("test").asBoolean() ? "TEST EMERGENCY CALL (no action needed)"
                : update ? "EMERGENCY CALL - UPDATE " + alert.path("updateCount").asInt() : "EMERGENCY CALL";
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
            out.println(line("Registered desk", join(text(desk, "building", null), floor(desk),
                    text(desk, "room", null), text(desk, "address", null), text(desk, "city", null),
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
        out.println(line("Incident", alert.path("incidentId").asText()));
        out.println(line("Message created", alert.path("messageCreatedAt").asText()));
        out.println(line("Detected", alert.path("detectedAt").asText() + " (via " + alert.path("source").asText()
                + ")"));
        out.println(rule);
        out.println(alert.toPrettyString());
    }

    private static String floor(JsonNode desk) {
        String floor = text(desk, "floor", null);
        return floor == null ? null : "floor " + floor;
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
