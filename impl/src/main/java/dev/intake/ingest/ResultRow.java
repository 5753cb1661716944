package dev.intake.ingest;

/** One evaluator result to write; {@code value} is null for TEXT results, which carry {@code stringValue}. */
record ResultRow(String sessionId, String spanId, String name, String resultId, DataType dataType, Double value,
                 String stringValue) {

    /** What a result holds (the store's {@code data_type} column holds the name). */
    enum DataType { NUMERIC, BOOLEAN, TEXT }

    /** A reward as a result: a boolean as 1 or 0, a number as is, anything else as its text. */
    static ResultRow of(String sessionId, String evaluatorSpanId, String name, String resultId, Object value) {
        if (value instanceof Boolean b) {
            return new ResultRow(sessionId, evaluatorSpanId, name, resultId, DataType.BOOLEAN, b ? 1.0 : 0.0, null);
        }
        if (value instanceof Number n) {
            return new ResultRow(sessionId, evaluatorSpanId, name, resultId, DataType.NUMERIC, n.doubleValue(), null);
        }
        return new ResultRow(sessionId, evaluatorSpanId, name, resultId, DataType.TEXT, null, String.valueOf(value));
    }
}
