namespace Ergate.Sqlite.Storage;

/// <summary>
/// The tables, shared by the queue and the state store so both can live in one file. Times are UTC ticks
/// (<see cref="DateTimeOffset.UtcTicks"/>); payloads and job JSON are UTF-8 BLOBs, stored byte for byte.
/// </summary>
internal static class SqliteSchema
{
    // ergate_messages: a row is visible when visible_at <= now. A lease sets visible_at to the lease's expiry, so a
    // lease that runs out makes its row visible again with no sweeper; lease_id tells the current lease from stale ones.
    // ergate_jobs: one row per job key; steps_completed and status are copied out of the JSON for the stale-write rule.
    // It is a rowid table (the key in an index of its own) rather than WITHOUT ROWID: the rows then lie in the order
    // jobs were first stored, so the jobs in progress, stored around the same time, share a few pages. Keyed by job
    // key (random ids), every update dirtied a page of its own, and each commit wrote one WAL frame (a page) per update.
    // A file created with the earlier layout keeps it; both work with the same statements.
    public const string Create = """
        BEGIN IMMEDIATE;
        CREATE TABLE IF NOT EXISTS ergate_messages (
            id INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL,
            payload BLOB NOT NULL,
            visible_at INTEGER NOT NULL,
            lease_id TEXT NULL,
            delivery_count INTEGER NOT NULL,
            enqueued_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ergate_messages_visible_at ON ergate_messages (visible_at);
        CREATE TABLE IF NOT EXISTS ergate_dead_letters (
            id INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL,
            payload BLOB NOT NULL,
            reason TEXT NOT NULL,
            delivery_count INTEGER NOT NULL,
            dead_lettered_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ergate_jobs (
            job_key TEXT NOT NULL PRIMARY KEY,
            steps_completed INTEGER NOT NULL,
            status INTEGER NOT NULL,
            json BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        COMMIT;
        """;
}
