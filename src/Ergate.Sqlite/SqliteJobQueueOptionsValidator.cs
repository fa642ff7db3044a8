using Microsoft.Extensions.Options;

namespace Ergate.Sqlite;

/// <summary>
/// Validates <see cref="SqliteJobQueueOptions"/>: the data-annotation ranges, and that the poll interval is shorter
/// than the lease. Every failure names its configuration path and the value given.
/// </summary>
internal sealed class SqliteJobQueueOptionsValidator : IValidateOptions<SqliteJobQueueOptions>
{
    public static readonly SqliteJobQueueOptionsValidator Instance = new();

    public ValidateOptionsResult Validate(string? name, SqliteJobQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = SqliteOptionsValidation.Validate(options, SqliteJobQueueOptions.SectionName);
        SqliteOptionsValidation.CheckDatabasePath(options.DatabasePath, SqliteJobQueueOptions.SectionName, failures);
        if (options.PollInterval >= options.LeaseDuration)
        {
            failures.Add(
                $"{SqliteJobQueueOptions.SectionName}:PollInterval must be shorter than {SqliteJobQueueOptions.SectionName}:LeaseDuration; got '{options.PollInterval}' and '{options.LeaseDuration}'.");
        }

        return SqliteOptionsValidation.ToResult(failures);
    }
}
