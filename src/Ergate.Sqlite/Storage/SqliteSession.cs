using Microsoft.Data.Sqlite;

namespace Ergate.Sqlite.Storage;

/// <summary>
/// One open connection with its prepared commands, reused for the connection's life. Not thread-safe: the writer
/// owns one, and each reader is rented by one caller at a time.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    // Keyed by the text's reference, not its characters: hashing and comparing the longer statements' text on every
    // call was about a percent of the silo's CPU. Callers pass constants or texts they keep (see Statement).
    private readonly Dictionary<string, SqliteStatement> _statements = new(ReferenceEqualityComparer.Instance);

    public SqliteSession(SqliteConnection connection, int commandTimeoutSeconds)
    {
        Connection = connection;
        CommandTimeoutSeconds = commandTimeoutSeconds;
    }

    public SqliteConnection Connection { get; }

    public int CommandTimeoutSeconds { get; }

    // Whether a transaction is open. SQLite rolls a transaction back by itself after some errors (a full disk, an
    // I/O error); a batch must not go on in autocommit mode then.
    public bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0;

    /// <summary>The prepared command for <paramref name="sql"/>, created with positional parameters on first use.</summary>
    public SqliteCommand Command(string sql, int parameterCount = 0)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = CommandTimeoutSeconds;
        for (var i = 1; i <= parameterCount; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = "$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        command.Prepare();
        _commands.Add(sql, command);
        return command;
    }

    /// <summary>The raw prepared statement for <paramref name="sql"/> (parameters <c>$1</c>, <c>$2</c>, ...), prepared on first use.</summary>
    /// <param name="sql">The text: a constant, or a string the caller keeps and passes again. Statements are found by the string's reference, so a text built anew for every call would be prepared (and kept) anew every time.</param>
    public SqliteStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(Connection.Handle!, sql);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>Runs a prepared statement that takes no parameters and returns no rows (<c>BEGIN IMMEDIATE</c>, <c>COMMIT</c>).</summary>
    /// <param name="sql">The text, as for <see cref="Statement"/>.</param>
    /// <returns>The rows it changed.</returns>
    public int Execute(string sql) => Statement(sql).Execute();

    /// <summary>Runs a statement that is not worth keeping prepared (a pragma, the schema).</summary>
    public void ExecuteOnce(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = CommandTimeoutSeconds;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a statement once and returns the first column of its first row.</summary>
    public object? ScalarOnce(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = CommandTimeoutSeconds;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
        Connection.Dispose();
    }
}
