using Microsoft.Extensions.Options;

namespace Ergate.Sqlite;

/// <summary>Validates <see cref="SqliteJobStateStoreOptions"/>; every failure names its configuration path and the value given.</summary>
internal sealed class SqliteJobStateStoreOptionsValidator : IValidateOptions<SqliteJobStateStoreOptions>
{
    public static readonly SqliteJobStateStoreOptionsValidator Instance = new();

    public ValidateOptionsResult Validate(string? name, SqliteJobStateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = SqliteOptionsValidation.Validate(options, SqliteJobStateStoreOptions.SectionName);
        SqliteOptionsValidation.CheckDatabasePath(options.DatabasePath, SqliteJobStateStoreOptions.SectionName, failures);
        return SqliteOptionsValidation.ToResult(failures);
    }
}
