-- Records that a generation of some sessions' trajectories is completely written: run after their spans and
-- results are inserted, so a recorded generation always has all its rows (see V009__session_generations.sql).
-- span_count and result_count are the distinct rows the generation wrote, which lets a reader tell whether a
-- newer, still unrecorded generation has already overwritten some of them.
INSERT INTO session_generations (workspace, session_id, generation, span_count, result_count)
VALUES (:workspace, :session_id, :generation, :span_count, :result_count)
