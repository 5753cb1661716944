-- What a creator needs to know about a name: how many experiments have ever held it (its generation: every
-- create stores a new id, deleted ones included, so this count only grows and never depends on clocks) and how
-- many of them are live. Read without FINAL: deleted rows count too. argMax by version is each id's current state.
SELECT count() AS generation, countIf(deleted = 0) AS live
FROM (
  SELECT id, argMax(is_deleted, version) AS deleted
  FROM experiments
  PREWHERE workspace = :workspace AND name = :name
  GROUP BY id)
