package com.teamsemergency.streams.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.teamsemergency.common.location.UserLocation;
import com.teamsemergency.streams.topology.UserIds;

/**
 * Reads user locations from CSV as spreadsheets write it (RFC 4180): a header row naming the columns in any order
 * and case, quoted fields with doubled quotes and line breaks inside, an optional byte-order mark, LF or CRLF.
 * A bad row is reported with the line it starts on.
 */
public final class LocationsCsv {

    static final List<String> COLUMNS = List.of("userId", "displayName", "building", "floor", "room", "address",
            "city", "country", "notes");

    /** The rows that could be read, and one message per row that could not. */
    public record Result(List<UserLocation> locations, List<String> errors) {
    }

    private LocationsCsv() {
    }

    public static Result read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static Result parse(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Row> rows = rows(text);
        List<UserLocation> locations = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (rows.isEmpty() || rows.get(0).error() != null) {
            errors.add(rows.isEmpty() ? "the file is empty; it needs a header row with a userId column"
                    : "line " + rows.get(0).line() + ": " + rows.get(0).error());
            return new Result(locations, errors);
        }

        Map<String, Integer> columns = new HashMap<>();
        List<String> header = rows.get(0).fields();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT).replace("_", "").replace(" ", "");
            for (String column : COLUMNS) {
                if (column.toLowerCase(Locale.ROOT).equals(name)) {
                    columns.putIfAbsent(column, i);
                }
            }
        }
        if (!columns.containsKey("userId")) {
            errors.add("line 1: the header has no userId column (columns: " + String.join(", ", COLUMNS) + ")");
            return new Result(locations, errors);
        }

        for (Row row : rows.subList(1, rows.size())) {
            if (row.error() != null) {
                errors.add("line " + row.line() + ": " + row.error());
                continue;
            }
            if (row.fields().size() == 1 && row.fields().get(0).isBlank()) {
                continue;
            }
            if (row.fields().size() != header.size()) {
                errors.add("line " + row.line() + ": " + row.fields().size() + " fields, but the header has "
                        + header.size());
                continue;
            }
            String userId = field(row, columns, "userId");
            if (userId == null) {
                errors.add("line " + row.line() + ": userId is empty");
                continue;
            }
            locations.add(new UserLocation(UserIds.normalise(userId), field(row, columns, "displayName"),
                    field(row, columns, "building"), field(row, columns, "floor"), field(row, columns, "room"),
                    field(row, columns, "address"), field(row, columns, "city"), field(row, columns, "country"),
                    field(row, columns, "notes")));
        }
        return new Result(locations, errors);
    }

    private static String field(Row row, Map<String, Integer> columns, String column) {
        Integer index = columns.get(column);
        if (index == null) {
            return null;
        }
        String value = row.fields().get(index).strip();
        return value.isEmpty() ? null : value;
    }

    /** One record of the file, with the line it starts on, or why it cannot be read. */
    private record Row(int line, List<String> fields, String error) {
    }

    private static List<Row> rows(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowStart = 1;
        boolean quoted = false;
        boolean afterQuote = false;
        String error = null;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                    afterQuote = true;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == '"' && field.length() == 0 && !afterQuote) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                i++;
                continue;
            } else if (c == '\n' || c == '\r') {
                fields.add(field.toString());
                rows.add(new Row(rowStart, fields, error));
                fields = new ArrayList<>();
                field.setLength(0);
                afterQuote = false;
                error = null;
                line++;
                rowStart = line;
            } else if (afterQuote) {
                if (error == null) {
                    error = "text after a closing quote; a quote inside a quoted field is written twice (\"\")";
                }
            } else {
                if (c == '"' && error == null) {
                    error = "a quote inside an unquoted field; quote the whole field and double the quote";
                }
                field.append(c);
            }
            i++;
        }
        if (quoted) {
            error = "a quoted field is not closed before the end of the file";
        }
        if (field.length() > 0 || !fields.isEmpty() || quoted) {
            fields.add(field.toString());
            rows.add(new Row(rowStart, fields, error));
        }
        return rows;
    }
}
