using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Ergate.Testing;

/// <summary>
/// The behaviour every queue with all capabilities (leases, not-before puts, a dead letter) must show. A backend's
/// test class derives from this and overrides <see cref="CreateQueueAsync"/>; it may override
/// <see cref="PutRawAsync"/> and <see cref="ReadDeadLettersAsync"/> when the backend can put raw JSON and list its
/// dead letters, and adds facts of its own.
/// </summary>
/// <remarks>
/// <para>
/// Time is a <see cref="FakeTimeProvider"/> that only the test moves. A backend that polls must wait on the given
/// <see cref="TimeProvider"/> (<c>Task.Delay(interval, time, token)</c>), not on real time, and must poll at least
/// every <see cref="Tick"/> of that clock. A message that is visible must be delivered without the clock moving.
/// </para>
/// <para>
/// "Nothing is visible" is checked without sleeping: the test puts a marker job and receives. Since a queue delivers
/// the oldest visible message first (by due time, then put order), the marker comes back only if nothing older was
/// visible; it is then acknowledged, so it leaves no trace. Every wait is bounded by a real-time guard
/// (<see cref="HangGuard"/>) so a regression fails instead of hanging.
/// </para>
/// </remarks>
/// <typeparam name="TQueue">The backend's queue type.</typeparam>
public abstract class JobQueueContractTests<TQueue> : IAsyncLifetime
    where TQueue : class, IDeadLetterJobQueue, IScheduledJobQueue
{
    /// <summary>The lease duration the queue is created with.</summary>
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>The poll (or sweep) interval the queue is created with; the clock moves in steps of this size.</summary>
    protected static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    /// <summary>A real-time bound on every wait, so a regression fails the test instead of hanging it.</summary>
    protected static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private const string MarkerWorkflow = "ergate.contract.marker";

    private TQueue? _queue;
    private int _markers;

    /// <summary>The clock the queue was created with: 2030-01-01 09:00 UTC at the start of each test.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The queue under test, created before each test.</summary>
    protected TQueue Queue => _queue ?? throw new InvalidOperationException("The queue is created in InitializeAsync.");

    /// <summary>Whether the backend can put raw JSON (see <see cref="PutRawAsync"/>); the raw-data facts check nothing without it.</summary>
    protected virtual bool CanPutRaw => false;

    /// <summary>Creates an empty queue for one test.</summary>
    /// <param name="time">The clock for leases, due times and polling.</param>
    /// <param name="leaseDuration">The lease duration.</param>
    /// <param name="pollInterval">How often an idle receiver (or a sweeper) looks for due messages and expired leases.</param>
    /// <returns>The queue.</returns>
    protected abstract Task<TQueue> CreateQueueAsync(TimeProvider time, TimeSpan leaseDuration, TimeSpan pollInterval);

    /// <summary>Puts raw UTF-8 JSON, as an outside producer would; only called when <see cref="CanPutRaw"/>.</summary>
    /// <param name="queue">The queue.</param>
    /// <param name="utf8Json">The message.</param>
    /// <returns>A task.</returns>
    protected virtual Task PutRawAsync(TQueue queue, ReadOnlyMemory<byte> utf8Json) =>
        throw new NotSupportedException("Override PutRawAsync and CanPutRaw when the backend can put raw JSON.");

    /// <summary>Lists the dead letters, oldest first, or <see langword="null"/> when the backend cannot list them.</summary>
    /// <param name="queue">The queue.</param>
    /// <returns>The dead letters, or <see langword="null"/>.</returns>
    protected virtual Task<IReadOnlyList<DeadLetterEntry>?> ReadDeadLettersAsync(TQueue queue) =>
        Task.FromResult<IReadOnlyList<DeadLetterEntry>?>(null);

    /// <summary>Disposes the queue after a test.</summary>
    /// <param name="queue">The queue.</param>
    /// <returns>A task.</returns>
    protected virtual async ValueTask DisposeQueueAsync(TQueue queue)
    {
        switch (queue)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => _queue = await CreateQueueAsync(Time, Lease, Tick);

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_queue is not null)
        {
            await DisposeQueueAsync(_queue);
        }
    }

    /// <summary>A job with the numeric id <paramref name="id"/>.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The job.</returns>
    protected static Job NewJob(int id) => new("w") { Id = JsonValues.From(id) };

    /// <summary>The numeric id of the delivered job.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <returns>The id.</returns>
    protected static int IdOf(JobDelivery delivery) => JobJson.Deserialize(delivery.Payload).Id.GetInt32();

    /// <summary>Receives a message that must be visible now (without the clock moving).</summary>
    /// <returns>The delivery.</returns>
    protected async Task<JobDelivery> ReceiveReadyAsync()
    {
        var delivery = await Queue.ReceiveAsync(CancellationToken.None).WaitAsync(HangGuard);
        Assert.False(IsMarker(delivery), "Expected a visible message, but only the marker of an earlier check was there.");
        return delivery;
    }

    /// <summary>Asserts that no message is visible now, leaving no receiver and no message behind.</summary>
    /// <returns>A task.</returns>
    protected async Task AssertNothingVisibleAsync()
    {
        var marker = new Job(MarkerWorkflow) { Id = JsonValues.From(++_markers) };
        await Queue.PutAsync(marker, CancellationToken.None);
        var delivery = await Queue.ReceiveAsync(CancellationToken.None).WaitAsync(HangGuard);
        if (!IsMarker(delivery))
        {
            Assert.Fail($"Expected no visible message, but message {delivery.MessageId} was delivered (count {delivery.DeliveryCount}).");
        }

        await Queue.AcknowledgeAsync(delivery, CancellationToken.None);
    }

    /// <summary>
    /// Moves the clock in steps of <see cref="Tick"/>, with a short real-time pause after each so a polling receiver
    /// can run, until <paramref name="task"/> completes or the clock has moved <paramref name="atMost"/>.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task to complete, typically a waiting receive.</param>
    /// <param name="atMost">How far the clock may move.</param>
    /// <returns>The task's result.</returns>
    protected async Task<T> AdvanceUntilAsync<T>(Task<T> task, TimeSpan atMost)
    {
        var moved = TimeSpan.Zero;
        while (!task.IsCompleted && moved < atMost)
        {
            Time.Advance(Tick);
            moved += Tick;
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(5)));
        }

        return await task.WaitAsync(HangGuard);
    }

    private static bool IsMarker(JobDelivery delivery)
    {
        try
        {
            return JobJson.Deserialize(delivery.Payload).WorkflowName == MarkerWorkflow;
        }
        catch (InvalidJobDataException)
        {
            return false;
        }
    }

    [Fact]
    public async Task ReceiveAsync_SeveralPuts_DeliversInPutOrder()
    {
        for (var id = 0; id < 10; id++)
        {
            await Queue.PutAsync(NewJob(id), CancellationToken.None);
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
        var receive = Queue.ReceiveAsync(CancellationToken.None);
        Assert.False(receive.IsCompleted);

        await Queue.PutAsync(NewJob(7), CancellationToken.None);
        var delivery = await receive.WaitAsync(HangGuard);

        Assert.Equal(7, IdOf(delivery));
        Assert.Equal(1, delivery.DeliveryCount);
        Assert.NotNull(delivery.MessageId);
    }

    [Fact]
    public async Task ReceiveAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        var receive = Queue.ReceiveAsync(cancel.Token);
        Assert.False(receive.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(HangGuard));
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        Assert.Equal(1, IdOf(await ReceiveReadyAsync()));
    }

    [Fact]
    public async Task ReceiveAsync_AlreadyCancelled_ThrowsAndTakesNothing()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Queue.ReceiveAsync(new CancellationToken(canceled: true)).WaitAsync(HangGuard));

        var delivery = await ReceiveReadyAsync();
        Assert.Equal(1, IdOf(delivery));
        Assert.Equal(1, delivery.DeliveryCount);
    }

    [Fact]
    public async Task TryReceive_TakesAMessageAtHandUnderALease_AsReceiveAsyncWould()
    {
        Assert.False(Queue.TryReceive(out _));
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        await Queue.PutAsync(NewJob(2), CancellationToken.None);

        // A queue may have nothing at hand (the default takes nothing); ReceiveAsync then has the message.
        var first = Queue.TryReceive(out var taken) ? taken : await ReceiveReadyAsync();
        var second = Queue.TryReceive(out taken) ? taken : await ReceiveReadyAsync();

        Assert.Equal([1, 2], [IdOf(first), IdOf(second)]);
        Assert.Equal([1, 1], [first.DeliveryCount, second.DeliveryCount]);
        Assert.False(Queue.TryReceive(out _));
        await AssertNothingVisibleAsync();
        await Queue.AcknowledgeAsync(second, CancellationToken.None);
        Time.Advance(Lease + Tick);
        var redelivery = await ReceiveReadyAsync();
        Assert.Equal(first.MessageId, redelivery.MessageId);
        Assert.Equal(2, redelivery.DeliveryCount);
        await Queue.AcknowledgeAsync(redelivery, CancellationToken.None);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task GetOneAsync_WhenEmpty_WaitsForPut()
    {
        var get = Queue.GetOneAsync(CancellationToken.None);
        Assert.False(get.IsCompleted);

        await Queue.PutAsync(NewJob(3), CancellationToken.None);
        var job = await get.WaitAsync(HangGuard);

        Assert.Equal(3, job.Id.GetInt32());
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task GetOneAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        var get = Queue.GetOneAsync(cancel.Token);
        Assert.False(get.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task GetOneAsync_JobQueued_ReturnsItAndRemovesIt()
    {
        var job = JobJson.Deserialize("""{"id": "a", "workflow_name": "w", "current_step": 2, "steps_completed": 2, "last_return_value": [1, 2]}""");
        await Queue.PutAsync(job, CancellationToken.None);

        var got = await Queue.GetOneAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal("a", got.Id.GetString());
        Assert.Equal(2, got.CurrentStep);
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("[1,2]"), got.LastReturnValue), got.LastReturnValue.GetRawText());
        Time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task GetOneAsync_InvalidRawData_DeadLettersItAndReturnsNextValidJob()
    {
        if (!CanPutRaw)
        {
            return;
        }

        var invalid = Encoding.UTF8.GetBytes("""{"id": "bad", "current_step": 0}""");
        await PutRawAsync(Queue, invalid);
        await PutRawAsync(Queue, Encoding.UTF8.GetBytes("not json"));
        await Queue.PutAsync(NewJob(5), CancellationToken.None);

        var job = await Queue.GetOneAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(5, job.Id.GetInt32());
        Time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
        if (await ReadDeadLettersAsync(Queue) is { } deadLetters)
        {
            Assert.Equal(2, deadLetters.Count);
            Assert.Equal(invalid, deadLetters[0].Payload.ToArray());
            Assert.Contains("'workflow_name'", deadLetters[0].Reason, StringComparison.Ordinal);
            Assert.Equal("not json"u8.ToArray(), deadLetters[1].Payload.ToArray());
        }
    }

    [Fact]
    public async Task GetOneAsync_InvalidUtf8RawData_DeadLettersItAndReturnsNextValidJob()
    {
        if (!CanPutRaw)
        {
            return;
        }

        byte[] invalid = [.. "{\"workflow_name\": \""u8, 0xC3, 0x28, .. "\"}"u8];
        await PutRawAsync(Queue, invalid);
        await Queue.PutAsync(NewJob(5), CancellationToken.None);

        var job = await Queue.GetOneAsync(CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(5, job.Id.GetInt32());
        if (await ReadDeadLettersAsync(Queue) is { } deadLetters)
        {
            Assert.Equal(invalid, Assert.Single(deadLetters).Payload.ToArray());
        }

        Time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task ReceiveAsync_LeasedMessage_InvisibleUntilLeaseExpires()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var first = await ReceiveReadyAsync();

        Time.Advance(Lease - Tick);
        await AssertNothingVisibleAsync();
        var second = Queue.ReceiveAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        var redelivery = await AdvanceUntilAsync(second, Lease);

        Assert.Equal(1, first.DeliveryCount);
        Assert.Equal(2, redelivery.DeliveryCount);
        Assert.Equal(first.MessageId, redelivery.MessageId);
        Assert.NotEqual(first.DeliveryId, redelivery.DeliveryId);
        Assert.Equal(first.Payload.ToArray(), redelivery.Payload.ToArray());
    }

    [Fact]
    public async Task ReceiveAsync_LeaseExpiresTwice_CountsEveryDelivery()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var first = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);
        var second = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);
        var third = await ReceiveReadyAsync();

        Assert.Equal([1, 2, 3], [first.DeliveryCount, second.DeliveryCount, third.DeliveryCount]);
        Assert.Equal(first.MessageId, third.MessageId);
        Assert.Equal(3, new HashSet<string>([first.DeliveryId, second.DeliveryId, third.DeliveryId], StringComparer.Ordinal).Count);
    }

    [Fact]
    public async Task RenewLeaseAsync_BeforeExpiry_KeepsMessageInvisible()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        Time.Advance(Lease - TimeSpan.FromSeconds(1));

        var renewed = await Queue.RenewLeaseAsync(delivery, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(2) + Tick);

        Assert.True(renewed);
        await AssertNothingVisibleAsync();
        Time.Advance(Lease);
        var redelivery = await ReceiveReadyAsync();
        Assert.Equal(2, redelivery.DeliveryCount);
    }

    [Fact]
    public async Task RenewLeaseAsync_AfterExpiry_ReturnsFalse()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);

        Assert.False(await Queue.RenewLeaseAsync(delivery, CancellationToken.None));
        Assert.Equal(2, (await ReceiveReadyAsync()).DeliveryCount);
    }

    [Fact]
    public async Task RenewLeaseAsync_StaleLease_ReturnsFalseAndKeepsCurrentLease()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);
        var current = await ReceiveReadyAsync();

        Assert.False(await Queue.RenewLeaseAsync(stale, CancellationToken.None));
        Assert.True(await Queue.RenewLeaseAsync(current, CancellationToken.None));
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task AcknowledgeAsync_LeasedMessage_RemovesItForGood()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.AcknowledgeAsync(delivery, CancellationToken.None);

        Assert.False(await Queue.RenewLeaseAsync(delivery, CancellationToken.None));
        Time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task AcknowledgeAsync_StaleLease_KeepsRedeliveredMessage()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);
        var current = await ReceiveReadyAsync();

        await Queue.AcknowledgeAsync(stale, CancellationToken.None);

        Assert.True(await Queue.RenewLeaseAsync(current, CancellationToken.None));
        await Queue.AcknowledgeAsync(current, CancellationToken.None);
        Time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task AcknowledgeAsync_ExpiredLease_MessageComesBack()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var expired = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);

        await Queue.AcknowledgeAsync(expired, CancellationToken.None);

        var redelivery = await ReceiveReadyAsync();
        Assert.Equal(expired.MessageId, redelivery.MessageId);
        Assert.Equal(2, redelivery.DeliveryCount);
    }

    [Fact]
    public async Task ReleaseAsync_ZeroDelay_MakesMessageVisibleAtOnce()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.ReleaseAsync(delivery, TimeSpan.Zero, CancellationToken.None);
        var again = await ReceiveReadyAsync();

        Assert.Equal(delivery.MessageId, again.MessageId);
        Assert.Equal(2, again.DeliveryCount);
        Assert.False(await Queue.RenewLeaseAsync(delivery, CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_ZeroDelay_WakesWaitingReceiver()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();
        var waiting = Queue.ReceiveAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        await Queue.ReleaseAsync(delivery, TimeSpan.Zero, CancellationToken.None);

        var again = await AdvanceUntilAsync(waiting, TimeSpan.FromSeconds(1));
        Assert.Equal(delivery.MessageId, again.MessageId);
    }

    [Fact]
    public async Task ReleaseAsync_WithDelay_VisibleOnlyAfterDelay()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.ReleaseAsync(delivery, TimeSpan.FromSeconds(5), CancellationToken.None);

        await AssertNothingVisibleAsync();
        Time.Advance(TimeSpan.FromSeconds(5) - Tick);
        await AssertNothingVisibleAsync();
        Time.Advance(Tick + Tick);
        var again = await ReceiveReadyAsync();
        Assert.Equal(delivery.MessageId, again.MessageId);
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task ReleaseAsync_StaleLease_DoesNotDuplicateMessage()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);
        var current = await ReceiveReadyAsync();

        await Queue.ReleaseAsync(stale, TimeSpan.Zero, CancellationToken.None);

        await AssertNothingVisibleAsync();
        Assert.True(await Queue.RenewLeaseAsync(current, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_NotBeforeInFuture_DeliveredOnlyFromThatTime()
    {
        await Queue.PutAsync(NewJob(1), Time.GetUtcNow() + TimeSpan.FromMinutes(10), CancellationToken.None);

        await AssertNothingVisibleAsync();
        Time.Advance(TimeSpan.FromMinutes(10) - Tick);
        await AssertNothingVisibleAsync();
        Time.Advance(Tick);
        var delivery = await ReceiveReadyAsync();
        Assert.Equal(1, IdOf(delivery));
        Assert.Equal(1, delivery.DeliveryCount);
    }

    [Fact]
    public async Task PutAsync_NotBeforeInFuture_WakesWaitingReceiverWhenDue()
    {
        await Queue.PutAsync(NewJob(1), Time.GetUtcNow() + TimeSpan.FromSeconds(1), CancellationToken.None);
        var waiting = Queue.ReceiveAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        var delivery = await AdvanceUntilAsync(waiting, TimeSpan.FromSeconds(5));

        Assert.Equal(1, IdOf(delivery));
        Assert.True(Time.GetUtcNow() >= new DateTimeOffset(2030, 1, 1, 9, 0, 1, TimeSpan.Zero), "Delivered before its not-before time.");
    }

    [Fact]
    public async Task PutAsync_NotBeforeInPast_DeliveredAtOnce()
    {
        await Queue.PutAsync(NewJob(1), Time.GetUtcNow() - TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(1, IdOf(await ReceiveReadyAsync()));
    }

    [Fact]
    public async Task PutAsync_NotBeforeInPast_KeepsPutOrder()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        await Queue.PutAsync(NewJob(2), Time.GetUtcNow() - TimeSpan.FromHours(1), CancellationToken.None);

        Assert.Equal(1, IdOf(await ReceiveReadyAsync()));
        Assert.Equal(2, IdOf(await ReceiveReadyAsync()));
    }

    [Fact]
    public async Task PutAsync_SeveralNotBefore_DeliveredInDueOrder()
    {
        var now = Time.GetUtcNow();
        await Queue.PutAsync(NewJob(3), now + TimeSpan.FromSeconds(3), CancellationToken.None);
        await Queue.PutAsync(NewJob(1), now + TimeSpan.FromSeconds(1), CancellationToken.None);
        await Queue.PutAsync(NewJob(2), now + TimeSpan.FromSeconds(2), CancellationToken.None);

        Time.Advance(TimeSpan.FromSeconds(1));
        var first = await ReceiveReadyAsync();
        await AssertNothingVisibleAsync();
        Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, IdOf(first));
        Assert.Equal(2, IdOf(await ReceiveReadyAsync()));
        Assert.Equal(3, IdOf(await ReceiveReadyAsync()));
    }

    [Fact]
    public async Task DeadLetterAsync_LeasedMessage_RecordsPayloadAndReasonAndRemovesIt()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        await Queue.DeadLetterAsync(delivery, "UnknownWorkflowException: no workflow named 'w'", CancellationToken.None);

        Assert.False(await Queue.RenewLeaseAsync(delivery, CancellationToken.None));
        Time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
        if (await ReadDeadLettersAsync(Queue) is { } deadLetters)
        {
            var deadLetter = Assert.Single(deadLetters);
            Assert.Equal(delivery.Payload.ToArray(), deadLetter.Payload.ToArray());
            Assert.Equal("UnknownWorkflowException: no workflow named 'w'", deadLetter.Reason);
        }
    }

    [Fact]
    public async Task DeadLetterAsync_StaleLease_RecordsNothingAndKeepsMessage()
    {
        await Queue.PutAsync(NewJob(1), CancellationToken.None);
        var stale = await ReceiveReadyAsync();
        Time.Advance(Lease + Tick);
        var current = await ReceiveReadyAsync();

        await Queue.DeadLetterAsync(stale, "late", CancellationToken.None);

        Assert.True(await Queue.RenewLeaseAsync(current, CancellationToken.None));
        if (await ReadDeadLettersAsync(Queue) is { } deadLetters)
        {
            Assert.Empty(deadLetters);
        }

        await Queue.ReleaseAsync(current, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(3, (await ReceiveReadyAsync()).DeliveryCount);
    }

    [Fact]
    public async Task PutRawAsync_PythonJson_DeliveredByteForByte()
    {
        if (!CanPutRaw)
        {
            return;
        }

        var raw = Encoding.UTF8.GetBytes(
            """{"id": "caf\u00e9", "workflow_name": "w", "status": 2, "current_step": 0, "steps_completed": 0, "percent_completed": 0.0, "initial_input_value": {"x": [1, 2.50, 1e3]}, "last_return_value": null, "user_context": null, "requested_start_time": "2030-01-01T09:30:00+05:30"}""");

        await PutRawAsync(Queue, raw);
        var delivery = await ReceiveReadyAsync();

        Assert.Equal(raw, delivery.Payload.ToArray());
        Assert.Equal("2030-01-01T09:30:00+05:30", JobJson.Deserialize(delivery.Payload).RequestedStartTime);
    }

    [Fact]
    public async Task PutAsync_Job_DeliveredAsItsJobJsonBytes()
    {
        var job = JobJson.Deserialize("""{"id": [1, "a"], "workflow_name": "w", "status": 3, "percent_completed": 33.333333333333336, "user_context": {"k": "v"}, "initial_input_value": "caf\u00e9 \ud83d\ude00 <&>", "extra": true}""");

        await Queue.PutAsync(job, CancellationToken.None);
        var delivery = await ReceiveReadyAsync();

        Assert.Equal(JobJson.SerializeToUtf8Bytes(job), delivery.Payload.ToArray());
    }

    [Fact]
    public async Task PutAsync_JobChangedAfterPut_DeliversItAsPut()
    {
        var job = NewJob(1);
        await Queue.PutAsync(job, CancellationToken.None);

        job.StepsCompleted = 9;
        var delivery = await ReceiveReadyAsync();

        Assert.Equal(0, JobJson.Deserialize(delivery.Payload).StepsCompleted);
    }

    [Fact]
    public async Task ReceiveAsync_ManyPuts_EachMessageHasItsOwnStableId()
    {
        for (var id = 0; id < 20; id++)
        {
            await Queue.PutAsync(NewJob(id), CancellationToken.None);
        }

        var firstIds = new Dictionary<int, string>();
        var held = new List<JobDelivery>();
        for (var i = 0; i < 20; i++)
        {
            var delivery = await ReceiveReadyAsync();
            firstIds.Add(IdOf(delivery), delivery.MessageId!);
            held.Add(delivery);
        }

        foreach (var delivery in held)
        {
            await Queue.ReleaseAsync(delivery, TimeSpan.Zero, CancellationToken.None);
        }

        for (var i = 0; i < 20; i++)
        {
            var delivery = await ReceiveReadyAsync();
            Assert.Equal(firstIds[IdOf(delivery)], delivery.MessageId);
            Assert.Equal(2, delivery.DeliveryCount);
        }

        Assert.Equal(20, firstIds.Values.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ReceiveAsync_ConcurrentReceivers_NeverReceiveSameMessageTwice()
    {
        const int Jobs = 1000;
        const int Receivers = 8;
        var puts = new List<Task>();
        for (var id = 0; id < Jobs; id++)
        {
            puts.Add(Queue.PutAsync(NewJob(id), CancellationToken.None));
        }

        await Task.WhenAll(puts).WaitAsync(HangGuard);
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
                    var delivery = await Queue.ReceiveAsync(done.Token);
                    count++;
                    if (!messageIds.TryAdd(delivery.MessageId!, 0) || !jobIds.TryAdd(IdOf(delivery), 0))
                    {
                        duplicates.Add(delivery.MessageId!);
                    }

                    await Queue.AcknowledgeAsync(delivery, CancellationToken.None);
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
        Time.Advance(Lease + Lease);
        await AssertNothingVisibleAsync();
    }

    [Fact]
    public async Task ReceiveAsync_ConcurrentPutsAndWaitingReceivers_DeliversEveryMessageOnce()
    {
        const int Jobs = 200;
        const int Receivers = 4;
        var delivered = new ConcurrentDictionary<int, int>();
        using var done = new CancellationTokenSource();
        var received = 0;
        var receivers = Enumerable.Range(0, Receivers).Select(_ => Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var delivery = await Queue.ReceiveAsync(done.Token);
                    delivered.AddOrUpdate(IdOf(delivery), 1, static (_, n) => n + 1);
                    await Queue.AcknowledgeAsync(delivery, CancellationToken.None);
                    if (Interlocked.Increment(ref received) == Jobs)
                    {
                        await done.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
            }
        })).ToList();

        // Puts arrive while receivers wait: each must be woken by the puts, not by the clock, which never moves here.
        for (var id = 0; id < Jobs; id++)
        {
            await Queue.PutAsync(NewJob(id), CancellationToken.None);
            if (id % 10 == 0)
            {
                await Task.Yield();
            }
        }

        await Task.WhenAll(receivers).WaitAsync(HangGuard);

        Assert.Equal(Enumerable.Range(0, Jobs), delivered.Keys.Order());
        Assert.All(delivered, pair => Assert.True(pair.Value == 1, string.Create(CultureInfo.InvariantCulture, $"Job {pair.Key} was delivered {pair.Value} times.")));
    }
}
