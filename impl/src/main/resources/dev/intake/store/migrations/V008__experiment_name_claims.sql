-- Creating an experiment is a claim on its name that must hold across any number of API instances without a
-- coordinator of our own: the create INSERT carries an insert_deduplication_token naming the name and its
-- generation (experiments/create.sql), and ClickHouse stores only the first block it sees with a token. On a
-- non-replicated MergeTree that memory is this window of recent insert blocks (off by default); replicated tables
-- use replicated_deduplication_window, kept in Keeper. 10,000 blocks of experiment writes is far more than can
-- happen between a creator's read of the name and its insert.
ALTER TABLE experiments MODIFY SETTING non_replicated_deduplication_window = 10000
