package com.teamsemergency.streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import com.teamsemergency.common.message.ChatMessage;
import com.teamsemergency.common.message.ChatMessageCodec;
import com.teamsemergency.common.message.EmergencyRules;
import com.teamsemergency.common.message.MalformedMessageException;
import com.teamsemergency.common.message.Recognition;
import com.teamsemergency.streams.config.AlertsConfig;

/**
 * Shows, field by field, what the configured emergency rules make of a captured chatMessage, so that an
 * administrator can tune the rules against a real message before trusting them.
 */
final class CheckMessageCommand {

    private final EmergencyRules rules;

    CheckMessageCommand(AlertsConfig config) {
        this.rules = EmergencyRules.fromProperties(config.rules());
    }

    int run(List<String> arguments, PrintStream out, PrintStream err) {
        if (arguments.size() != 1 || arguments.get(0).startsWith("--")) {
            err.println("usage: emergency-alerts check-message [--config FILE] MESSAGE.json");
            return arguments.contains("--help") ? 0 : 2;
        }
        Path file = Path.of(arguments.get(0));
        ChatMessage message;
        try {
            message = ChatMessageCodec.parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            err.println("Cannot read " + file + ": no such file");
            return 2;
        } catch (IOException e) {
            err.println("Cannot read " + file + ": " + e);
            return 2;
        } catch (MalformedMessageException e) {
            err.println(file + " is not a chatMessage: " + e.getMessage());
            return 1;
        }

        Recognition recognition = rules.recognise(message);
        out.println("message id        " + message.id());
        out.println("chat id           " + orNone(message.chatId()));
        out.println("created           " + orNone(message.createdDateTime()));
        out.println("sender            " + (message.from() == null ? "(none)"
                : message.from().displayName() + " (" + message.from().userId() + ")"));
        out.println("plain text        " + recognition.text().replace("\n", "\n                  "));
        out.println();
        out.println("emergency marker  " + (recognition.emergency()
                ? "matched \"" + recognition.matchedMarker() + "\"" : "no marker matched " + rules.markers()));
        out.println("dialled number    " + field(recognition.dialedNumber(), rules.dialedNumber().pattern()));
        out.println("test call         " + recognition.testCall() + " (test numbers " + rules.testNumbers() + ")");
        out.println("location          " + field(recognition.location(), rules.location().pattern()));
        out.println("callback number   " + field(recognition.callbackNumber(), rules.callbackNumber().pattern()));
        out.println();
        if (!recognition.emergency()) {
            out.println("verdict           not an emergency call: no alert");
        } else if (recognition.complete()) {
            out.println("verdict           emergency call: alert with the dialled number and location"
                    + (recognition.callbackNumber() == null ? " (no callback number)" : " and callback number"));
        } else {
            out.println("verdict           emergency call, but the field rules did not all match: "
                    + "alert with the raw text (rulesMatched=false)");
        }
        return 0;
    }

    private static String field(String value, String pattern) {
        return value != null ? value : "not found (pattern " + pattern + ")";
    }

    private static String orNone(Object value) {
        return value == null ? "(none)" : value.toString();
    }
}
