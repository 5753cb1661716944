-- Readiness probe: the cheapest statement that proves ClickHouse answers.
SELECT 1
