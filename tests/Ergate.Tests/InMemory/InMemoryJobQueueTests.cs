using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Ergate.Tests.InMemory;

// Receives are checked synchronously where that proves something: a ready message completes ReceiveAsync before it
// returns, so a receive started after the clock moved and still pending shows that nothing is visible. The sweep
// is a timer on the fake clock, so it runs inside Advance on this thread.
public sealed class InMemoryJobQueueTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Sweep = TimeSpan.FromMilliseconds(50);

    // A real-time guard so a regression fails the test instead of hanging it; tests never wait for it to pass.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryJobQueue _queue;

    public InMemoryJobQueueTests()
    {
        _queue = new InMemoryJobQueue(_time, Lease, Sweep);
    }

    public void Dispose() => _queue.Dispose();

    private static Job NewJob(int id) => new("w") { Id = JsonValues.From(id) };

    private static int IdOf(JobDelivery delivery) => JobJson.Deserialize(delivery.Payload.Span).Id.GetInt32();

    // Receives a message that must already be visible.
    private async Task<JobDelivery> ReceiveReadyAsync()
    {
        var receive = _queue.ReceiveAsync(CancellationToken.None);
        Assert.True(receive.IsCompleted, "Expected a visible message, but ReceiveAsync is waiting.");
        return await receive;
    }

    // Asserts that no message is visible now, leaving no receiver behind.
    private async Task AssertNothingVisibleAsync()
    {
        using var cancel = new CancellationTokenSource();
        var receive = _queue.ReceiveAsync(cancel.Token);
        var delivered = receive.IsCompleted;
        await cancel.CancelAsync();
        if (delivered)
        {
            var delivery = await receive;
            Assert.Fail($"Expected no visible message, but message {delivery.MessageId} was delivered (count {delivery.DeliveryCount}).");
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task ReceiveAsync_SeveralPuts_DeliversInPutOrder()
    {
        for (var id = 0; id < 10; id++)
        {
            await _queue.PutAsync(NewJob(id), CancellationToken.None);
        }

        var received = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            received.Add(IdOf(await ReceiveReadyAsync()));
        }

        Assert.Equal(Enumerable.Range(0, 10), received);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task ReceiveAsync_WhenEmpty_WaitsForPut()
    {
        var receive = _queue.ReceiveAsync(CancellationToken.None);
        Assert.False(receive.IsCompleted);

        await _queue.PutAsync(NewJob(7), CancellationToken.None);
        var delivery = await receive.WaitAsync(HangGuard);

        Assert.Equal(7, IdOf(delivery));
        Assert.Equal(1, delivery.DeliveryCount);
        Assert.NotNull(delivery.MessageId);
    }

    [Fact]
    public async Task ReceiveAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        var receive = _queue.ReceiveAsync(cancel.Token);
        Assert.False(receive.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(HangGuard));
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        Assert.Equal(1, IdOf(await ReceiveReadyAsync()));
    }

    [Fact]
    public async Task GetOneAsync_WhenEmpty_WaitsForPut()
    {
        var get = _queue.GetOneAsync(CancellationToken.None);
        Assert.False(get.IsCompleted);

        await _queue.PutAsync(NewJob(3), CancellationToken.None);
        var job = await get.WaitAsync(HangGuard);

        Assert.Equal(3, job.Id.GetInt32());
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task GetOneAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        var get = _queue.GetOneAsync(cancel.Token);
        Assert.False(get.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task GetOneAsync_JobQueued_ReturnsItAndRemovesIt()
    {
        var job = JobJson.Deserialize("""{"id": "a", "workflow_name": "w", "current_step": 2, "steps_completed": 2, "last_return_value": [1, 2]}""");
        await _queue.PutAsync(job, CancellationToken.None);

        var got = await _queue.GetOneAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal("a", got.Id.GetString());
        Assert.Equal(2, got.CurrentStep);
        Assert.Equal("[1,2]", got.LastReturnValue.GetRawText());
        Assert.Equal(0, _queue.Count);
        Assert.Equal(0, _queue.LeasedCount);
        _time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task GetOneAsync_InvalidRawData_DeadLettersItAndReturnsNextValidJob()
    {
        var invalid = Encoding.UTF8.GetBytes("""{"id": "bad", "current_step": 0}""");
        await _queue.PutRawAsync(invalid);
        await _queue.PutRawAsync(Encoding.UTF8.GetBytes("not json"));
        await _queue.PutAsync(NewJob(5), CancellationToken.None);

        var job = await _queue.GetOneAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(5, job.Id.GetInt32());
        Assert.Equal(0, _queue.Count);
        Assert.Equal(2, _queue.DeadLetters.Count);
        Assert.Equal(invalid, _queue.DeadLetters[0].Payload.ToArray());
        Assert.Contains("'workflow_name'", _queue.DeadLetters[0].Reason, StringComparison.Ordinal);
        Assert.Equal("not json"u8.ToArray(), _queue.DeadLetters[1].Payload.ToArray());
    }

    [Fact]
    public async Task GetOneAsync_InvalidUtf8RawData_DeadLettersItAndReturnsNextValidJob()
    {
        byte[] invalid = [.. "{\"workflow_name\": \""u8, 0xC3, 0x28, .. "\"}"u8];
        await _queue.PutRawAsync(invalid);
        await _queue.PutAsync(NewJob(5), CancellationToken.None);

        var job = await _queue.GetOneAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(5, job.Id.GetInt32());
        Assert.Equal(invalid, Assert.Single(_queue.DeadLetters).Payload.ToArray());
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task ReceiveAsync_LeasedMessage_InvisibleUntilLeaseExpires()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var first = await ReceiveReadyAsync();

        _time.Advance(Lease - Sweep);
        await AssertNothingVisibleAsync();
        var second = _queue.ReceiveAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        _time.Advance(Sweep + Sweep);
        var redelivery = await second.WaitAsync(HangGuard);

        Assert.Equal(1, first.DeliveryCount);
        Assert.Equal(2, redelivery.DeliveryCount);
        Assert.Equal(first.MessageId, redelivery.MessageId);
        Assert.NotEqual(first.DeliveryId, redelivery.DeliveryId);
        Assert.Equal(first.Payload.ToArray(), redelivery.Payload.ToArray());
        Assert.Equal(1, _queue.Count);
    }

    [Fact]
    public async Task ReceiveAsync_LeaseExpiresTwice_CountsEveryDelivery()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var first = await ReceiveReadyAsync();
        _time.Advance(Lease + Sweep);
        var second = await ReceiveReadyAsync();
        _time.Advance(Lease + Sweep);
        var third = await ReceiveReadyAsync();

        Assert.Equal([1, 2, 3], [first.DeliveryCount, second.DeliveryCount, third.DeliveryCount]);
        Assert.Equal(first.MessageId, third.MessageId);
    }

    [Fact]
    public async Task RenewLeaseAsync_BeforeExpiry_KeepsMessageInvisible()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        _time.Advance(Lease - TimeSpan.FromSeconds(1));

        var renewed = await _queue.RenewLeaseAsync(delivery, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2) + Sweep);

        Assert.True(renewed);
        await AssertNothingVisibleAsync();
        _time.Advance(Lease);
        var redelivery = await ReceiveReadyAsync();
        Assert.Equal(2, redelivery.DeliveryCount);
    }

    [Fact]
    public async Task RenewLeaseAsync_AfterExpiry_ReturnsFalse()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        _time.Advance(Lease + Sweep);

        Assert.False(await _queue.RenewLeaseAsync(delivery, CancellationToken.None));
        Assert.Equal(2, (await ReceiveReadyAsync()).DeliveryCount);
    }

    [Fact]
    public async Task AcknowledgeAsync_LeasedMessage_RemovesItForGood()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        Assert.Equal(1, _queue.Count);

        await _queue.AcknowledgeAsync(delivery, CancellationToken.None);

        Assert.Equal(0, _queue.Count);
        Assert.Equal(0, _queue.LeasedCount);
        _time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task AcknowledgeAsync_StaleLease_KeepsRedeliveredMessage()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        _time.Advance(Lease + Sweep);
        var current = await ReceiveReadyAsync();

        await _queue.AcknowledgeAsync(stale, CancellationToken.None);

        Assert.Equal(1, _queue.Count);
        Assert.Equal(1, _queue.LeasedCount);
        Assert.True(await _queue.RenewLeaseAsync(current, CancellationToken.None));
        await _queue.AcknowledgeAsync(current, CancellationToken.None);
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task ReleaseAsync_ZeroDelay_MakesMessageVisibleAtOnce()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await _queue.ReleaseAsync(delivery, TimeSpan.Zero, CancellationToken.None);
        var again = await ReceiveReadyAsync();

        Assert.Equal(delivery.MessageId, again.MessageId);
        Assert.Equal(2, again.DeliveryCount);
        Assert.Equal(1, _queue.Count);
    }

    [Fact]
    public async Task ReleaseAsync_WithDelay_VisibleOnlyAfterDelay()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await _queue.ReleaseAsync(delivery, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(1, _queue.Count);
        Assert.Equal(0, _queue.LeasedCount);
        await AssertNothingVisibleAsync();
        _time.Advance(TimeSpan.FromSeconds(5) - Sweep);
        await AssertNothingVisibleAsync();
        _time.Advance(Sweep + Sweep);
        var again = await ReceiveReadyAsync();
        Assert.Equal(delivery.MessageId, again.MessageId);
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task ReleaseAsync_StaleLease_DoesNotDuplicateMessage()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        _time.Advance(Lease + Sweep);
        var current = await ReceiveReadyAsync();

        await _queue.ReleaseAsync(stale, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(1, _queue.Count);
        await AssertNothingVisibleAsync();
        Assert.True(await _queue.RenewLeaseAsync(current, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_NotBeforeInFuture_DeliveredOnlyFromThatTime()
    {
        var notBefore = _time.GetUtcNow() + TimeSpan.FromMinutes(10);

        await _queue.PutAsync(NewJob(1), notBefore, CancellationToken.None);

        Assert.Equal(1, _queue.Count);
        await AssertNothingVisibleAsync();
        _time.Advance(TimeSpan.FromMinutes(10) - Sweep);
        await AssertNothingVisibleAsync();
        _time.Advance(Sweep);
        var delivery = await ReceiveReadyAsync();
        Assert.Equal(1, IdOf(delivery));
        Assert.Equal(1, delivery.DeliveryCount);
    }

    [Fact]
    public async Task PutAsync_NotBeforeInPast_DeliveredAtOnce()
    {
        await _queue.PutAsync(NewJob(1), _time.GetUtcNow() - TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(1, IdOf(await ReceiveReadyAsync()));
    }

    [Fact]
    public async Task PutAsync_SeveralNotBefore_DeliveredInDueOrder()
    {
        var now = _time.GetUtcNow();
        await _queue.PutAsync(NewJob(3), now + TimeSpan.FromSeconds(3), CancellationToken.None);
        await _queue.PutAsync(NewJob(1), now + TimeSpan.FromSeconds(1), CancellationToken.None);
        await _queue.PutAsync(NewJob(2), now + TimeSpan.FromSeconds(2), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(1));
        var first = await ReceiveReadyAsync();
        await AssertNothingVisibleAsync();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, IdOf(first));
        Assert.Equal(2, IdOf(await ReceiveReadyAsync()));
        Assert.Equal(3, IdOf(await ReceiveReadyAsync()));
    }

    [Fact]
    public async Task DeadLetterAsync_LeasedMessage_RecordsPayloadAndReasonAndRemovesIt()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await _queue.DeadLetterAsync(delivery, "UnknownWorkflowException: no workflow named 'w'", CancellationToken.None);

        var deadLetter = Assert.Single(_queue.DeadLetters);
        Assert.Equal(delivery.Payload.ToArray(), deadLetter.Payload.ToArray());
        Assert.Equal("UnknownWorkflowException: no workflow named 'w'", deadLetter.Reason);
        Assert.Equal(0, _queue.Count);
        _time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task DeadLetterAsync_StaleLease_RecordsNothingAndKeepsMessage()
    {
        await _queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        _time.Advance(Lease + Sweep);
        var current = await ReceiveReadyAsync();

        await _queue.DeadLetterAsync(stale, "late", CancellationToken.None);

        Assert.Empty(_queue.DeadLetters);
        Assert.Equal(1, _queue.Count);
        Assert.True(await _queue.RenewLeaseAsync(current, CancellationToken.None));
    }

    [Fact]
    public async Task PutRawAsync_PythonJson_DeliveredByteForByte()
    {
        var raw = Encoding.UTF8.GetBytes(
            """{"id": "caf\u00e9", "workflow_name": "w", "status": 2, "current_step": 0, "steps_completed": 0, "percent_completed": 0.0, "initial_input_value": {"x": [1, 2.50, 1e3]}, "last_return_value": null, "user_context": null, "requested_start_time": "2030-01-01T09:30:00+05:30"}""");

        await _queue.PutRawAsync(raw);
        var delivery = await ReceiveReadyAsync();

        Assert.Equal(raw, delivery.Payload.ToArray());
        Assert.Equal("2030-01-01T09:30:00+05:30", JobJson.Deserialize(delivery.Payload.Span).RequestedStartTime);
    }

    [Fact]
    public async Task PutAsync_Job_DeliveredAsItsJobJsonBytes()
    {
        var job = JobJson.Deserialize("""{"id": [1, "a"], "workflow_name": "w", "status": 3, "percent_completed": 33.333333333333336, "user_context": {"k": "v"}, "extra": true}""");

        await _queue.PutAsync(job, CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        Assert.Equal(JobJson.SerializeToUtf8Bytes(job), delivery.Payload.ToArray());
    }

    [Fact]
    public async Task ReceiveAsync_ConcurrentReceivers_NeverReceiveSameMessageTwice()
    {
        const int Jobs = 1000;
        const int Receivers = 8;
        for (var id = 0; id < Jobs; id++)
        {
            await _queue.PutAsync(NewJob(id), CancellationToken.None);
        }

        var messageIds = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var jobIds = new ConcurrentDictionary<int, int>();
        var duplicates = new ConcurrentBag<string>();
        var received = 0;
        using var done = new CancellationTokenSource();
        using var gate = new SemaphoreSlim(0);
        var receivers = Enumerable.Range(0, Receivers).Select(_ => Task.Run(async () =>
        {
            await gate.WaitAsync();
            var count = 0;
            try
            {
                while (true)
                {
                    var delivery = await _queue.ReceiveAsync(done.Token);
                    count++;
                    if (!messageIds.TryAdd(delivery.MessageId!, 0) || !jobIds.TryAdd(IdOf(delivery), 0))
                    {
                        duplicates.Add(delivery.MessageId!);
                    }

                    await _queue.AcknowledgeAsync(delivery, CancellationToken.None);
                    if (Interlocked.Increment(ref received) == Jobs)
                    {
                        await done.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
                return count;
            }
        })).ToList();

        gate.Release(Receivers);
        var counts = await Task.WhenAll(receivers).WaitAsync(HangGuard);

        Assert.Empty(duplicates);
        Assert.Equal(Jobs, counts.Sum());
        Assert.Equal(Jobs, messageIds.Count);
        Assert.Equal(Enumerable.Range(0, Jobs), jobIds.Keys.Order());
        Assert.Equal(0, _queue.Count);
    }
}
