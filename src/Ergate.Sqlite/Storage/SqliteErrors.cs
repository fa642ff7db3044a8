using Microsoft.Data.Sqlite;

namespace Ergate.Sqlite.Storage;

/// <summary>Turns driver and file-system failures into the core's backend exceptions.</summary>
internal static class SqliteErrors
{
    private const int Busy = 5;
    private const int Locked = 6;

    /// <summary>Whether <paramref name="exception"/> is a failure of the database or its file, which the backends wrap.</summary>
    public static bool IsDatabaseFailure(Exception exception) =>
        exception is SqliteException or IOException or UnauthorizedAccessException;

    /// <summary>SQLITE_BUSY and SQLITE_LOCKED: another connection holds the lock longer than the busy timeout.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is SqliteException sqlite && (sqlite.SqliteErrorCode & 0xFF) is Busy or Locked;

    public static JobQueueException Queue(string databasePath, string operation, Exception exception) =>
        new(Describe("queue", databasePath, operation, exception), IsTransient(exception), exception);

    public static JobStateStoreException StateStore(string databasePath, string operation, Exception exception) =>
        new(Describe("state store", databasePath, operation, exception), IsTransient(exception), exception);

    private static string Describe(string role, string databasePath, string operation, Exception exception) =>
        IsTransient(exception)
            ? $"SQLite {role} '{databasePath}': the {operation} failed because the database stayed locked past the busy timeout ({exception.Message}); retry later, or raise BusyTimeout."
            : $"SQLite {role} '{databasePath}': the {operation} failed ({exception.Message}).";
}
