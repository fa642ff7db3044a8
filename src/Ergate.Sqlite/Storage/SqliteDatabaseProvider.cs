using Microsoft.Extensions.Logging;

namespace Ergate.Sqlite.Storage;

/// <summary>
/// Shares one <see cref="SqliteDatabase"/> per file (and busy timeout) among the SQLite queue and state store of one
/// service provider, so both commit through one writer instead of contending for the file lock. Registered as a
/// singleton; it closes the databases when the provider is disposed.
/// </summary>
internal sealed class SqliteDatabaseProvider : IAsyncDisposable, IDisposable
{
    private readonly Dictionary<(string Path, TimeSpan BusyTimeout), SqliteDatabase> _databases = [];
    private readonly Lock _lock = new();
    private readonly ILoggerFactory _loggerFactory;

    public SqliteDatabaseProvider(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
    }

    public SqliteDatabase Get(string databasePath, TimeSpan busyTimeout)
    {
        var key = (Path.GetFullPath(databasePath), busyTimeout);
        lock (_lock)
        {
            if (!_databases.TryGetValue(key, out var database))
            {
                database = new SqliteDatabase(key.Item1, busyTimeout, _loggerFactory.CreateLogger<SqliteDatabase>());
                _databases.Add(key, database);
            }

            return database;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in TakeAll())
        {
            await database.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A synchronous dispose does not wait: each writer commits what is queued and closes its connection by itself.
    public void Dispose()
    {
        foreach (var database in TakeAll())
        {
            database.Dispose();
        }
    }

    private SqliteDatabase[] TakeAll()
    {
        lock (_lock)
        {
            SqliteDatabase[] databases = [.. _databases.Values];
            _databases.Clear();
            return databases;
        }
    }
}
