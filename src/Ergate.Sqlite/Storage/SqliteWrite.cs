namespace Ergate.Sqlite.Storage;

/// <summary>
/// One write a caller hands to the group-commit writer. The writer runs it inside a batch transaction and
/// completes it only after the commit, so a completed write is durable (as far as the synchronous mode goes).
/// </summary>
internal abstract class SqliteWrite
{
    protected SqliteWrite(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
    }

    /// <summary>A write whose caller gave up before the writer took it is skipped.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Names the write in logs, for example "put".</summary>
    public abstract string Operation { get; }

    /// <summary>Runs the write's statements. It may run again, from scratch, if the batch is rolled back and retried.</summary>
    public abstract void Execute(SqliteSession session);

    /// <summary>Publishes the result after the commit.</summary>
    public abstract void Complete();

    /// <summary>Whether a database failure is reported as the state store's (otherwise as the queue's).</summary>
    public virtual bool IsStateStoreWrite => false;

    /// <summary>Publishes a failure; the write's effects were rolled back.</summary>
    /// <param name="exception">The failure; a database failure is wrapped in the core's backend exception here, so callers can return the write's task as it is.</param>
    /// <param name="databasePath">The file, for the message.</param>
    public abstract void Fail(Exception exception, string databasePath);

    /// <summary>Publishes that the write was skipped because its caller cancelled.</summary>
    public abstract void Cancel();
}

/// <summary>A write with a result.</summary>
/// <typeparam name="T">The result type.</typeparam>
internal abstract class SqliteWrite<T> : SqliteWrite
{
    // Continuations run on the thread pool, never on the writer's thread, so callers cannot stall the writer.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected SqliteWrite(CancellationToken cancellationToken)
        : base(cancellationToken)
    {
    }

    public Task<T> Task => _completion.Task;

    protected T Result { get; set; } = default!;

    public override void Complete() => _completion.TrySetResult(Result);

    public override void Fail(Exception exception, string databasePath) =>
        _completion.TrySetException(!SqliteErrors.IsDatabaseFailure(exception) ? exception
            : IsStateStoreWrite ? SqliteErrors.StateStore(databasePath, Operation, exception)
            : SqliteErrors.Queue(databasePath, Operation, exception));

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
