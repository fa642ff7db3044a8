using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ergate.Sqlite.Storage;

/// <summary>
/// One prepared statement driven through SQLitePCL directly, for the hot statements (every write, and the reads of a
/// job and of due messages): binding a long or a span allocates nothing, and a run makes no data reader, statement
/// enumerator or boxed parameter values, which through Microsoft.Data.Sqlite were a fifth of everything the silo
/// allocated per step. Not thread-safe (a session's).
/// </summary>
/// <remarks>
/// Parameters are named <c>$1</c>, <c>$2</c>, ... (every number up to the count must appear) and bound by that number.
/// Failures are thrown as <see cref="SqliteException"/>, as Microsoft.Data.Sqlite throws them. A lock held by another
/// connection is waited for by SQLite's busy handler (the connection's busy_timeout), not retried again on top as a
/// <see cref="SqliteCommand"/> does: the writer runs these inside its <c>BEGIN IMMEDIATE</c> transaction, which
/// already holds the write lock, and WAL readers wait for no lock but a WAL recovery's.
/// </remarks>
internal sealed class SqliteStatement : IDisposable
{
    // Longer text is encoded into a rented buffer instead of on the stack.
    private const int StackTextBytes = 256;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;

    public SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        var rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        _statement = statement!;

        // "$3" is a named parameter to SQLite, numbered in the order names first appear in the text, so $n is looked up
        // once here rather than assumed to be index n.
        var count = raw.sqlite3_bind_parameter_count(_statement);
        _indexes = new int[count + 1];
        for (var n = 1; n <= count; n++)
        {
            _indexes[n] = raw.sqlite3_bind_parameter_index(_statement, "$" + n.ToString(CultureInfo.InvariantCulture));
        }
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, _indexes[index], value));

    // An empty span would reach SQLite as a null pointer, which binds NULL; empty values are bound as such.
    public void Bind(int index, byte[] value) =>
        Check(value.Length == 0 ? raw.sqlite3_bind_zeroblob(_statement, _indexes[index], 0) : raw.sqlite3_bind_blob(_statement, _indexes[index], value));

    public void Bind(int index, string value)
    {
        if (value.Length == 0)
        {
            Check(raw.sqlite3_bind_text(_statement, _indexes[index], string.Empty));
            return;
        }

        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length <= StackTextBytes)
        {
            Span<byte> buffer = stackalloc byte[StackTextBytes];
            BindUtf8(index, value, buffer);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            BindUtf8(index, value, rented);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    /// <returns>The rows it changed.</returns>
    public int Execute()
    {
        try
        {
            while (Step())
            {
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Steps to the next row; call <see cref="Reset"/> when done with the rows (also after a failure).</summary>
    /// <returns>Whether there is a row.</returns>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return false;
    }

    /// <summary>Ends a run, so the statement holds no lock and can run again.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public int GetInt32(int column) => raw.sqlite3_column_int(_statement, column);

    public string GetString(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public byte[] GetBlob(int column) => raw.sqlite3_column_blob(_statement, column).ToArray();

    public void Dispose() => _statement.Dispose();

    private void BindUtf8(int index, string value, Span<byte> buffer)
    {
        var written = Encoding.UTF8.GetBytes(value, buffer);
        Check(raw.sqlite3_bind_text(_statement, _indexes[index], buffer[..written]));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
