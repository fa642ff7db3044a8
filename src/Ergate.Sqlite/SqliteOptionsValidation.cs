using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Ergate.Sqlite;

/// <summary>Runs the data-annotation rules of an options object and words each failure with its configuration path and value.</summary>
internal static class SqliteOptionsValidation
{
    public static List<string> Validate<TOptions>(TOptions options, string sectionName)
        where TOptions : class
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var failures = new List<string>(results.Count);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames)
            {
                var value = typeof(TOptions).GetProperty(member)?.GetValue(options);
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{sectionName}:{member} {result.ErrorMessage}; got '{value}'."));
            }
        }

        return failures;
    }

    public static ValidateOptionsResult ToResult(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

    public static void ThrowIfInvalid<TOptions>(IValidateOptions<TOptions> validator, TOptions options)
        where TOptions : class
    {
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        }
    }

    public static void CheckDatabasePath(string? databasePath, string sectionName, List<string> failures)
    {
        if (databasePath is not null && databasePath.Trim() == ":memory:")
        {
            failures.Add($"{sectionName}:DatabasePath must be a file; ':memory:' is not supported because the backend uses several connections.");
        }
    }
}
