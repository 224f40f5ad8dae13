-- A forum's thread list is ordered by latest activity, then id (the keyset
-- pages' tie-break). With `id` in the index the list is read in order from
-- it; without, SQLite sorted each run of equal times in a temporary B-tree
-- (measured: the forum's first page 40 % slower to read).
DROP INDEX forum_threads_list;
CREATE INDEX forum_threads_list ON forum_threads (forum_id, pinned, last_post_at, id);
