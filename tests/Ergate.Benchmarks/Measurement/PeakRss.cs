using System.Diagnostics;
using System.Globalization;

namespace Ergate.Benchmarks.Measurement;

/// <summary>The process's peak resident set size.</summary>
internal static class PeakRss
{
    /// <summary>Reads VmHWM from /proc/self/status (Linux), or the runtime's peak working set elsewhere.</summary>
    public static long ReadBytes()
    {
        const string Path = "/proc/self/status";
        if (File.Exists(Path))
        {
            foreach (var line in File.ReadLines(Path))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
