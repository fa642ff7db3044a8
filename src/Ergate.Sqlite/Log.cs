using Microsoft.Extensions.Logging;

namespace Ergate.Sqlite;

/// <summary>The SQLite backend's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(SqliteEventId.ConnectionOpened, LogLevel.Debug, "SQLite database {DatabasePath}: {Role} connection opened", EventName = "ConnectionOpened")]
    public static partial void ConnectionOpened(ILogger logger, string databasePath, string role);

    [LoggerMessage(SqliteEventId.SchemaReady, LogLevel.Information, "SQLite database {DatabasePath}: tables ready, journal mode {JournalMode}", EventName = "SchemaReady")]
    public static partial void SchemaReady(ILogger logger, string databasePath, string journalMode);

    [LoggerMessage(SqliteEventId.WalUnavailable, LogLevel.Warning, "SQLite database {DatabasePath}: journal mode is {JournalMode}, not WAL; readers and the writer will block each other", EventName = "WalUnavailable")]
    public static partial void WalUnavailable(ILogger logger, string databasePath, string journalMode);

    [LoggerMessage(SqliteEventId.WriteFailed, LogLevel.Warning, "SQLite database {DatabasePath}: a {Operation} failed and was reported to its caller; the other {Remaining} writes of the batch are retried", EventName = "WriteFailed")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string databasePath, string operation, int remaining);

    [LoggerMessage(SqliteEventId.WriteBatchFailed, LogLevel.Warning, "SQLite database {DatabasePath}: a batch of {Count} writes failed and was reported to every caller", EventName = "WriteBatchFailed")]
    public static partial void WriteBatchFailed(ILogger logger, Exception exception, string databasePath, int count);

    [LoggerMessage(SqliteEventId.WriterCrashed, LogLevel.Critical, "SQLite database {DatabasePath}: the writer stopped unexpectedly; further writes fail", EventName = "WriterCrashed")]
    public static partial void WriterCrashed(ILogger logger, Exception exception, string databasePath);

    [LoggerMessage(SqliteEventId.CheckpointFailed, LogLevel.Warning, "SQLite database {DatabasePath}: a background checkpoint failed; the WAL keeps the commits and the next checkpoint copies them", EventName = "CheckpointFailed")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception, string databasePath);

    [LoggerMessage(SqliteEventId.CompletionFailed, LogLevel.Error, "SQLite database {DatabasePath}: publishing the result of a committed {Operation} failed; its caller gets the failure", EventName = "CompletionFailed")]
    public static partial void CompletionFailed(ILogger logger, Exception exception, string databasePath, string operation);

    [LoggerMessage(SqliteEventId.DatabaseClosed, LogLevel.Debug, "SQLite database {DatabasePath}: closed", EventName = "DatabaseClosed")]
    public static partial void DatabaseClosed(ILogger logger, string databasePath);
}
