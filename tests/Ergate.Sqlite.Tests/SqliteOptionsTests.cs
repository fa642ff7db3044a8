using Microsoft.Extensions.Options;

namespace Ergate.Sqlite.Tests;

public sealed class SqliteJobQueueOptionsTests
{
    [Fact]
    public void Constructor_Defaults_AreTheDocumentedOnes()
    {
        var options = new SqliteJobQueueOptions();

        Assert.Equal("Ergate:Queue", SqliteJobQueueOptions.SectionName);
        Assert.Equal("ergate.db", options.DatabasePath);
        Assert.Equal(TimeSpan.FromSeconds(30), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
        Assert.Equal(64, options.ReceiveBatchSize);
        Assert.True(SqliteJobQueueOptionsValidator.Instance.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_InvalidOptions_ListsEveryFailureWithPathAndValue()
    {
        var options = new SqliteJobQueueOptions
        {
            DatabasePath = "",
            LeaseDuration = TimeSpan.Zero,
            PollInterval = TimeSpan.FromMinutes(2),
            BusyTimeout = TimeSpan.FromHours(1),
            ReceiveBatchSize = 0,
        };

        var result = SqliteJobQueueOptionsValidator.Instance.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Ergate:Queue:DatabasePath is required; got ''.",
                "Ergate:Queue:LeaseDuration must be between 00:00:01 and 1.00:00:00; got '00:00:00'.",
                "Ergate:Queue:PollInterval must be between 00:00:00.0010000 and 00:01:00; got '00:02:00'.",
                "Ergate:Queue:BusyTimeout must be between 00:00:00.0010000 and 00:10:00; got '01:00:00'.",
                "Ergate:Queue:ReceiveBatchSize must be between 1 and 1000; got '0'.",
                "Ergate:Queue:PollInterval must be shorter than Ergate:Queue:LeaseDuration; got '00:02:00' and '00:00:00'.",
            ],
            result.Failures);
    }

    [Fact]
    public void Validate_InMemoryDatabase_Fails()
    {
        var result = SqliteJobQueueOptionsValidator.Instance.Validate(null, new SqliteJobQueueOptions { DatabasePath = ":memory:" });

        Assert.Equal(
            ["Ergate:Queue:DatabasePath must be a file; ':memory:' is not supported because the backend uses several connections."],
            result.Failures);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithEveryFailureInTheMessage()
    {
        var error = Assert.Throws<OptionsValidationException>(
            () => new SqliteJobQueue(new SqliteJobQueueOptions { LeaseDuration = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromSeconds(1) }));

        Assert.Equal(typeof(SqliteJobQueueOptions), error.OptionsType);
        Assert.Equal(
            "Ergate:Queue:PollInterval must be shorter than Ergate:Queue:LeaseDuration; got '00:00:01' and '00:00:01'.",
            error.Message);
    }
}

public sealed class SqliteJobStateStoreOptionsTests
{
    [Fact]
    public void Constructor_Defaults_AreTheDocumentedOnes()
    {
        var options = new SqliteJobStateStoreOptions();

        Assert.Equal("Ergate:StateStore", SqliteJobStateStoreOptions.SectionName);
        Assert.Equal("ergate.db", options.DatabasePath);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
        Assert.True(SqliteJobStateStoreOptionsValidator.Instance.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_InvalidOptions_ListsEveryFailureWithPathAndValue()
    {
        var result = SqliteJobStateStoreOptionsValidator.Instance.Validate(null, new SqliteJobStateStoreOptions { DatabasePath = " ", BusyTimeout = TimeSpan.Zero });

        Assert.Equal(
            [
                "Ergate:StateStore:DatabasePath is required; got ' '.",
                "Ergate:StateStore:BusyTimeout must be between 00:00:00.0010000 and 00:10:00; got '00:00:00'.",
            ],
            result.Failures);
    }
}
