package dev.intake.ingest;

/** One evaluator result to write; {@code value} is null for TEXT results, which carry {@code stringValue}. */
record ResultRow(String sessionId, String spanId, String name, String resultId, String dataType, Double value,
                 String stringValue) {
}
