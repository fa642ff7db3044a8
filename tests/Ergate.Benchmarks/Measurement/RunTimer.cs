using System.Diagnostics;

namespace Ergate.Benchmarks.Measurement;

/// <summary>
/// Brackets a timed run: wall time, bytes allocated by every thread (<see cref="GC.GetTotalAllocatedBytes"/>) and
/// CPU time of the whole process (all threads, so the submitter and any runtime background work count too).
/// </summary>
internal readonly struct RunTimer
{
    private readonly long _allocated;
    private readonly TimeSpan _cpu;
    private readonly int _gen0;
    private readonly int _gen1;
    private readonly int _gen2;
    private readonly TimeSpan _gcPause;
    private readonly TimeSpan _jit;
    private readonly long _started;

    private RunTimer(long allocated, TimeSpan cpu, long started)
    {
        _allocated = allocated;
        _cpu = cpu;
        _gen0 = GC.CollectionCount(0);
        _gen1 = GC.CollectionCount(1);
        _gen2 = GC.CollectionCount(2);
        _gcPause = GC.GetTotalPauseDuration();
        _jit = System.Runtime.JitInfo.GetCompilationTime();
        _started = started;
    }

    /// <summary>Starts; call just before the first submission.</summary>
    public static RunTimer Start()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = ProcessCpu();
        return new RunTimer(allocated, cpu, Stopwatch.GetTimestamp());
    }

    /// <summary>Stops; call as soon as every job is complete.</summary>
    public RunCost Stop()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var cpu = ProcessCpu() - _cpu;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        return new RunCost(
            elapsed,
            cpu,
            allocated,
            GC.CollectionCount(0) - _gen0,
            GC.CollectionCount(1) - _gen1,
            GC.CollectionCount(2) - _gen2,
            GC.GetTotalPauseDuration() - _gcPause,
            System.Runtime.JitInfo.GetCompilationTime() - _jit);
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}

/// <summary>What a timed run cost.</summary>
/// <param name="Elapsed">Wall time from just before the first submission until every job was complete.</param>
/// <param name="Cpu">CPU time of the process over the same span.</param>
/// <param name="AllocatedBytes">Bytes allocated over the same span.</param>
/// <param name="Gen0">Collections of generation 0 (or higher) over the same span.</param>
/// <param name="Gen1">Collections of generation 1 (or higher).</param>
/// <param name="Gen2">Collections of generation 2.</param>
/// <param name="GcPause">Time the runtime was paused for garbage collection.</param>
/// <param name="Jit">Time spent compiling methods (all threads): large when the warm-up was too short.</param>
internal readonly record struct RunCost(TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan GcPause, TimeSpan Jit);
