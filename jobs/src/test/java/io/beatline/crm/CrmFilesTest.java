package io.beatline.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrmFilesTest {

    static final LocalDate DAY = LocalDate.parse("2026-03-01");

    @Test
    void csvWithCrlfQuotesAndLineBreaksInFields() {
        List<CrmRecord> records = CrmFiles.readCsv("\uFEFFId,Full Name,Note\r\n1,\"Lee, Kim\",\"a \"\"b\"\"\r\nc\"\r\n\r\n2,Sam,\r\n",
                "f.csv", DAY);
        assertEquals(2, records.size());
        assertEquals(Map.of("id", "1", "full_name", "Lee, Kim", "note", "a \"b\"\r\nc"), records.get(0).values());
        assertEquals("1,\"Lee, Kim\",\"a \"\"b\"\"\r\nc\"", records.get(0).raw());
        assertNull(records.get(0).problem());
        assertEquals(Map.of("id", "2", "full_name", "Sam", "note", ""), records.get(1).values());
    }

    @Test
    void aWrongFieldCountOrAnOpenQuoteIsMalformed() {
        List<CrmRecord> records = CrmFiles.readCsv("a,b\n1,2,3\n4,\"open\n", "f.csv", DAY);
        assertEquals(List.of("malformed_row", "malformed_row"), records.stream().map(CrmRecord::problem).toList());
        assertEquals("1,2,3", records.get(0).raw());
    }

    @Test
    void jsonLinesKeepScalarsAsTextAndNestedValuesAsJson() {
        List<CrmRecord> records = CrmFiles.readJsonLines(
                "{\"User ID\":\"u1\",\"seats\":5,\"meta\":{\"a\":1},\"gone\":null}\n\nnot json\n", "f.jsonl", DAY);
        assertEquals(Map.of("user_id", "u1", "seats", "5", "meta", "{\"a\":1}"), records.get(0).values());
        assertEquals("malformed_row", records.get(1).problem());
        assertEquals(2L, records.get(1).recordNumber());
    }
}
