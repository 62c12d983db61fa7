package com.teamsemergency.streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.teamsemergency.common.location.UserLocation;

class LocationsCsvTest {

    @Test
    void readsQuotedFieldsWithCommasQuotesAndLineBreaks() {
        LocationsCsv.Result result = LocationsCsv.parse(
                "userId,displayName,building,floor,room,address,notes\n"
                        + "u1,\"Whitfield, Dana\",B2,3,3.141,\"500 \"\"Example\"\" Ave\",\"line one\nline two\"\n");

        assertEquals(List.of(), result.errors());
        UserLocation location = result.locations().get(0);
        assertEquals("Whitfield, Dana", location.displayName());
        assertEquals("500 \"Example\" Ave", location.address());
        assertEquals("line one\nline two", location.notes());
        assertNull(location.city(), "a column the header lacks is null");
    }

    @Test
    void acceptsAByteOrderMarkCrlfAndHeadersInAnyCase() {
        LocationsCsv.Result result = LocationsCsv.parse("\uFEFFUser_Id,Building,FLOOR\r\nu1,B2,3\r\nu2,B1,1\r\n");

        assertEquals(List.of(), result.errors());
        assertEquals(2, result.locations().size());
        assertEquals("u2", result.locations().get(1).userId());
        assertEquals("1", result.locations().get(1).floor());
    }

    @Test
    void reportsEachBadRowWithTheLineItStartsOn() {
        LocationsCsv.Result result = LocationsCsv.parse(
                "userId,building\n"
                        + "u1,B1\n"
                        + "u2,B2,extra\n"
                        + ",B3\n"
                        + "u4,\"multi\nline\"\n"
                        + "u5,bad\"quote\n"
                        + "u6,\"unterminated\n");

        assertEquals(2, result.locations().size(), result.toString());
        assertEquals(4, result.errors().size(), result.errors().toString());
        assertTrue(result.errors().get(0).startsWith("line 3:"), result.errors().get(0));
        assertTrue(result.errors().get(1).startsWith("line 4:"), result.errors().get(1));
        assertTrue(result.errors().get(2).startsWith("line 7:"), result.errors().get(2));
        assertTrue(result.errors().get(3).startsWith("line 8:"), result.errors().get(3));
    }

    @Test
    void refusesAFileWithoutAUserIdColumn() {
        LocationsCsv.Result result = LocationsCsv.parse("name,building\nDana,B2\n");

        assertTrue(result.locations().isEmpty());
        assertTrue(result.errors().get(0).contains("userId"), result.errors().toString());
    }
}
