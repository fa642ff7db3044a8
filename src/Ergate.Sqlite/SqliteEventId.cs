namespace Ergate.Sqlite;

/// <summary>The event ids of the SQLite backend's log messages (range 3100–3199).</summary>
public static class SqliteEventId
{
    /// <summary>A connection to the database file was opened.</summary>
    public const int ConnectionOpened = 3100;

    /// <summary>The tables were created or found, and the journal mode was set.</summary>
    public const int SchemaReady = 3101;

    /// <summary>The database did not switch to write-ahead logging (the file system may not support it).</summary>
    public const int WalUnavailable = 3102;

    /// <summary>One write of a batch failed; it was reported to its caller and the rest of the batch was retried.</summary>
    public const int WriteFailed = 3110;

    /// <summary>A whole batch of writes failed (the database could not be opened, locked or committed).</summary>
    public const int WriteBatchFailed = 3111;

    /// <summary>The writer stopped unexpectedly; further writes fail.</summary>
    public const int WriterCrashed = 3112;

    /// <summary>A background checkpoint (copying the WAL into the database) failed; the next one retries.</summary>
    public const int CheckpointFailed = 3113;

    /// <summary>Publishing a committed write's result failed (not expected); its caller was given the failure.</summary>
    public const int CompletionFailed = 3114;

    /// <summary>The database was closed.</summary>
    public const int DatabaseClosed = 3120;
}
