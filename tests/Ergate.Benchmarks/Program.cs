using Ergate.Benchmarks.Running;

namespace Ergate.Benchmarks;

/// <summary>
/// The throughput benchmark: J jobs of an S-step counting workflow through each configuration, several times,
/// interleaved, each configuration in a child process of its own. See README.md for the command and the output.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--backlog-rss" && int.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out var backlog) && backlog > 0)
        {
            return await BacklogRssProbe.RunAsync(backlog, CancellationToken.None);
        }

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
            return 2;
        }

        if (options.ShowHelp)
        {
            Console.WriteLine(BenchmarkOptions.Usage);
            return 0;
        }

#if DEBUG
        await Console.Error.WriteLineAsync("warning: this is a Debug build; run with -c Release for representative numbers.");
#endif

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        return options.IsChild
            ? await ChildRunner.RunAsync(options, cancellation.Token)
            : await Orchestrator.RunAsync(options, cancellation.Token);
    }
}
