using Microsoft.Extensions.Logging;

namespace Ergate.Benchmarks.Configs;

/// <summary>Logging for every configuration: warnings and errors only, to stderr (stdout carries the child's result).</summary>
internal static class BenchLogging
{
    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Warning);

        // At Warning this category only says, at every start, that the silo is not on server GC (a choice here).
        logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
    }
}
