namespace Ergate.Benchmarks.Configs;

/// <summary>Collects wrong final values, from any thread.</summary>
internal sealed class ResultCheck(int expected)
{
    private int _wrong;
    private string? _first;

    public int Expected => expected;

    public int Wrong => Volatile.Read(ref _wrong);

    public string? FirstWrong => Volatile.Read(ref _first);

    /// <summary>Checks one job: completed with the value S.</summary>
    public void Check(string id, bool found, bool completed, int? value)
    {
        if (found && completed && value == expected)
        {
            return;
        }

        Interlocked.Increment(ref _wrong);
        var description = !found ? $"job {id}: not found" : $"job {id}: completed={completed}, value={value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, expected {expected}";
        Interlocked.CompareExchange(ref _first, description, null);
    }
}
