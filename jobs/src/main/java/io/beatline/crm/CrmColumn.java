package io.beatline.crm;

import io.beatline.config.CustomFieldType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One standard column of a CRM entity (SPEC 2.2): its name, what it must parse as, whether it is
 * required, and what it means (the column's comment in silver).
 */
public record CrmColumn(String name, Kind kind, boolean required, String description) {

    /** How a column's text is read, and its type in silver. */
    public enum Kind {
        STRING(DataTypes.StringType),
        LONG(DataTypes.LongType),
        DOUBLE(DataTypes.DoubleType),
        BOOLEAN(DataTypes.BooleanType),
        DATE(DataTypes.DateType),
        TIMESTAMP(DataTypes.TimestampType),
        /** {@code ;}-separated list, e.g. tags */
        TAGS(DataTypes.createArrayType(DataTypes.StringType)),
        /** {@code monthly} or {@code annual}; {@code annual} when empty */
        PERIOD(DataTypes.StringType),
        /** an NPS score, 0 to 10 */
        SCORE(DataTypes.LongType),
        /** {@code account} or {@code user} */
        ENTITY_TYPE(DataTypes.StringType),
        /** {@code open}, {@code paid} or {@code void} */
        INVOICE_STATUS(DataTypes.StringType),
        /** lower-cased text */
        LOWER(DataTypes.StringType),
        /** a finite number, zero or more (a price); a negative one is quarantined as {@code negative_<column>} */
        AMOUNT(DataTypes.DoubleType),
        /** a whole number, zero or more (seats); a negative one is quarantined as {@code negative_<column>} */
        COUNT(DataTypes.LongType);

        public final DataType type;

        Kind(DataType type) {
            this.type = type;
        }

        /** The kind of a custom column typed in {@code crm.custom-fields}. */
        public static Kind of(CustomFieldType type) {
            return switch (type) {
                case STRING -> STRING;
                case LONG -> LONG;
                case DOUBLE -> DOUBLE;
                case BOOLEAN -> BOOLEAN;
                case DATE -> DATE;
                case TIMESTAMP -> TIMESTAMP;
            };
        }
    }

    static CrmColumn required(String name, Kind kind, String description) {
        return new CrmColumn(name, kind, true, description);
    }

    static CrmColumn optional(String name, Kind kind, String description) {
        return new CrmColumn(name, kind, false, description);
    }

    static CrmColumn optional(String name, String description) {
        return new CrmColumn(name, Kind.STRING, false, description);
    }
}
