using System.Collections.Concurrent;
using Ergate.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ergate;

/// <summary>
/// The in-process worker (Python Ergate's <c>JobRunner</c>): get one delivery, run one step through the
/// <see cref="JobProcessor"/>, and repeat. Without Orleans, this is the whole runtime.
/// </summary>
public sealed class JobRunner
{
    private readonly JobProcessor _processor;
    private readonly ErgateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<AcceptedDelivery, CancellationToken, ValueTask<DeliveryResult>> _process;

    // What the worker remembers per job, and a gate per job so that with several loops one job's deliveries never
    // overlap (as the job grain guarantees on Orleans). Forgotten once a job is final, unless the store cannot read
    // back, in which case memory is all the stale check has.
    private readonly ConcurrentDictionary<string, (JobMemory Memory, SemaphoreSlim Gate)> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (JobMemory Memory, SemaphoreSlim Gate)>.AlternateLookup<ReadOnlySpan<char>> _jobsByChars;
    private readonly KnownKeyLookup _knownKeys;

    internal JobRunner(JobProcessor processor, IOptions<ErgateOptions> options, TimeProvider time, ILogger<JobRunner> logger)
    {
        _processor = processor;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _process = ProcessAcceptedAsync;
        _jobsByChars = _jobs.GetAlternateLookup<ReadOnlySpan<char>>();
        _knownKeys = FindKey;
    }

    /// <summary>Receives one delivery and processes it.</summary>
    /// <param name="cancellationToken">Stops waiting for a delivery. A delivery already received is processed to the end.</param>
    /// <returns>How the delivery ended.</returns>
    public async ValueTask<DeliveryResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var delivery = await _processor.Queue.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        return await ProcessAsync(delivery).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <see cref="ErgateOptions.WorkerConcurrency"/> loops until <paramref name="stoppingToken"/> is cancelled,
    /// then finishes the deliveries already received. Failures are logged, backed off and survived.
    /// </summary>
    /// <param name="stoppingToken">Stops receiving.</param>
    /// <returns>A task that completes when every loop has stopped.</returns>
    public Task RunAsync(CancellationToken stoppingToken)
    {
        var loops = new Task[_options.WorkerConcurrency];
        for (var i = 0; i < loops.Length; i++)
        {
            loops[i] = LoopAsync(stoppingToken);
        }

        return Task.WhenAll(loops);
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        var backoff = _options.BackendRetryBaseDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                backoff = _options.BackendRetryBaseDelay;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                Log.WorkerLoopFailed(_logger, exception, "receive", backoff);
                try
                {
                    await Task.Delay(backoff, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.BackendRetryMaxDelay.Ticks));
            }
        }
    }

    private ValueTask<DeliveryResult> ProcessAsync(JobDelivery delivery) => _processor.DeliverKnowingKeysAsync(delivery, _process, _knownKeys, CancellationToken.None);

    // The key string of a job this worker already knows (every delivery after a job's first), so a delivery of it
    // makes no new string for its key.
    private string? FindKey(ReadOnlySpan<byte> asciiKey)
    {
        const int MaxLength = 256;
        if (asciiKey.Length > MaxLength)
        {
            return null;
        }

        // Sized to the key: a stack buffer is zeroed, and most keys are far shorter than the limit.
        Span<char> chars = stackalloc char[asciiKey.Length];
        System.Text.Ascii.ToUtf16(asciiKey, chars, out _);
        return _jobsByChars.TryGetValue(chars, out var key, out _) ? key : null;
    }

    private async ValueTask<DeliveryResult> ProcessAcceptedAsync(AcceptedDelivery accepted, CancellationToken ct)
    {
        var (memory, gate) = _jobs.GetOrAdd(accepted.Key, static _ => (new JobMemory(), new SemaphoreSlim(1, 1)));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var result = await _processor.ProcessAsync(accepted.Job, accepted.Key, memory, CancellationToken.None, ct, deferPut: true, delivery: accepted.Delivery).ConfigureAwait(false);
            if (_processor.CanReadStore && result.Job?.Status.IsFinal() == true)
            {
                _jobs.TryRemove(accepted.Key, out _);
            }

            return result;
        }
        finally
        {
            gate.Release();
        }
    }
}
