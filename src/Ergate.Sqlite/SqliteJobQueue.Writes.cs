using Ergate.Sqlite.Storage;

namespace Ergate.Sqlite;

// The queue's statements and writes, each a few prepared statements run by the group-commit writer. Lease-bound statements match
// the row id, the lease id and an unexpired lease (visible_at > now), so a stale delivery changes nothing.
public sealed partial class SqliteJobQueue
{
    private const string PutSql =
        "INSERT INTO ergate_messages (message_id, payload, visible_at, lease_id, delivery_count, enqueued_at) VALUES ($1, $2, $3, NULL, 0, $4)";

    // The oldest visible rows, in delivery order (a lease that ran out leaves visible_at at its expiry, so it is
    // visible again), read by one query and then leased one by one by row id, all in one write transaction, so no
    // other receiver, in this process or another, can take the same rows. (One UPDATE over an IN subquery with
    // RETURNING gave no order, and SQLite built two temporary tables for it on every lease, about a twentieth of the
    // writer's time, since a lease takes only a few rows while the queue keeps up.) The LIMIT is written into the text
    // (see DueStatement), not bound: SQLite plans a statement for the value bound to its LIMIT and prepares it again
    // whenever that value was rebound.
    private const string DueSql = "SELECT id, message_id, payload, delivery_count FROM ergate_messages WHERE visible_at <= $1 ORDER BY visible_at, id LIMIT ";

    private const string LeaseSql = "UPDATE ergate_messages SET lease_id = $2, visible_at = $3, delivery_count = $4 WHERE id = $1";

    // Gives back a prefetched row that was never handed out: visible at once (or still, if its lease ran out), and the
    // delivery it was not given is not counted. Matching the lease id is enough: any later lease would have replaced it.
    private const string ReturnSql =
        "UPDATE ergate_messages SET lease_id = NULL, visible_at = min(visible_at, $3), delivery_count = delivery_count - 1 WHERE id = $1 AND lease_id = $2";

    private const string HasVisibleSql = "SELECT 1 FROM ergate_messages WHERE visible_at <= $1 LIMIT 1";

    private const string CountSql = "SELECT count(*) FROM ergate_messages";

    private const string AcknowledgeSql = "DELETE FROM ergate_messages WHERE id = $1 AND lease_id = $2 AND visible_at > $3";

    private const string ReleaseSql =
        "UPDATE ergate_messages SET visible_at = $4, lease_id = NULL WHERE id = $1 AND lease_id = $2 AND visible_at > $3";

    private const string RenewSql = "UPDATE ergate_messages SET visible_at = $4 WHERE id = $1 AND lease_id = $2 AND visible_at > $3";

    private const string DeadLetterInsertSql = """
        INSERT INTO ergate_dead_letters (message_id, payload, reason, delivery_count, dead_lettered_at)
        SELECT message_id, payload, $4, delivery_count, $3 FROM ergate_messages WHERE id = $1 AND lease_id = $2 AND visible_at > $3
        """;

    private static bool Insert(SqliteSession session, string messageId, byte[] payload, long visibleAt, long enqueuedAt)
    {
        var statement = session.Statement(PutSql);
        statement.Bind(1, messageId);
        statement.Bind(2, payload);
        statement.Bind(3, visibleAt);
        statement.Bind(4, enqueuedAt);
        return statement.Execute() == 1;
    }

    // Runs a lease-bound statement ($1 row id, $2 lease id, $3 now); true when it matched the leased row.
    private static bool ExecuteLeased(SqliteSession session, string sql, long id, string leaseId, long now) =>
        BindLeased(session, sql, id, leaseId, now).Execute() == 1;

    // The same with a fourth value ($4).
    private static bool ExecuteLeased(SqliteSession session, string sql, long id, string leaseId, long now, long value)
    {
        var statement = BindLeased(session, sql, id, leaseId, now);
        statement.Bind(4, value);
        return statement.Execute() == 1;
    }

    private static bool ExecuteLeased(SqliteSession session, string sql, long id, string leaseId, long now, string value)
    {
        var statement = BindLeased(session, sql, id, leaseId, now);
        statement.Bind(4, value);
        return statement.Execute() == 1;
    }

    private static SqliteStatement BindLeased(SqliteSession session, string sql, long id, string leaseId, long now)
    {
        var statement = session.Statement(sql);
        statement.Bind(1, id);
        statement.Bind(2, leaseId);
        statement.Bind(3, now);
        return statement;
    }

    private sealed class PutWrite(SqliteJobQueue queue, string messageId, byte[] payload, long visibleAt, long enqueuedAt, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "put";

        public override void Execute(SqliteSession session)
        {
            Result = Insert(session, messageId, payload, visibleAt, enqueuedAt);
        }

        public override void Complete()
        {
            base.Complete();
            queue.Wake();
        }
    }

    private sealed class LeaseWrite(SqliteJobQueue queue, string leaseId, long now, long leaseUntil, int count, CancellationToken cancellationToken)
        : SqliteWrite<Leased?>(cancellationToken)
    {
        public override string Operation => "receive";

        public override void Execute(SqliteSession session)
        {
            Result = null;
            var select = session.Statement(queue.DueStatement(count));
            select.Bind(1, now);
            Prefetched? first = null;
            List<Prefetched>? rest = null;
            try
            {
                while (select.Step())
                {
                    var row = new Prefetched(select.GetInt64(0), leaseId, select.GetString(1), select.GetBlob(2), select.GetInt32(3) + 1, leaseUntil);
                    if (first is null)
                    {
                        first = row;
                    }
                    else
                    {
                        (rest ??= []).Add(row);
                    }
                }
            }
            finally
            {
                select.Reset();
            }

            if (first is null)
            {
                return;
            }

            var lease = session.Statement(LeaseSql);
            Lease(lease, first);
            if (rest is not null)
            {
                foreach (var row in rest)
                {
                    Lease(lease, row);
                }
            }

            Result = new Leased(first, rest);
        }

        public override void Complete()
        {
            // The rest of a batch is buffered before the caller even resumes, so the next receive finds it.
            if (Result?.Rest is { } rest)
            {
                queue.Buffer(rest);
            }

            base.Complete();
        }

        private void Lease(SqliteStatement statement, Prefetched row)
        {
            statement.Bind(1, row.Id);
            statement.Bind(2, leaseId);
            statement.Bind(3, leaseUntil);
            statement.Bind(4, row.DeliveryCount);
            statement.Execute();
        }
    }

    private sealed record Leased(Prefetched First, List<Prefetched>? Rest);

    private sealed class ReturnWrite(SqliteJobQueue queue, List<Prefetched> rows, long now, CancellationToken cancellationToken)
        : SqliteWrite<int>(cancellationToken)
    {
        public override string Operation => "return of prefetched messages";

        public override void Execute(SqliteSession session)
        {
            var returned = 0;
            foreach (var row in rows)
            {
                returned += ExecuteLeased(session, ReturnSql, row.Id, row.LeaseId, now) ? 1 : 0;
            }

            Result = returned;
        }

        public override void Complete()
        {
            base.Complete();
            if (Result > 0)
            {
                queue.Wake();
            }
        }
    }

    private sealed class AcknowledgeWrite(long id, string leaseId, long now, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "acknowledge";

        public override void Execute(SqliteSession session) => Result = ExecuteLeased(session, AcknowledgeSql, id, leaseId, now);
    }

    // The put first, so the new row's id is past the delivered one's even when that was the newest (a deleted
    // newest rowid would be reused); then the acknowledgement, which finds nothing when the lease was lost.
    private sealed class RequeueWrite(SqliteJobQueue queue, long id, string leaseId, string messageId, byte[] payload, long now, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "requeue";

        public override void Execute(SqliteSession session)
        {
            Insert(session, messageId, payload, now, now);
            Result = ExecuteLeased(session, AcknowledgeSql, id, leaseId, now);
        }

        public override void Complete()
        {
            base.Complete();
            queue.Wake();
        }
    }

    private sealed class ReleaseWrite(SqliteJobQueue queue, long id, string leaseId, long now, long visibleAt, bool wakes, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "release";

        public override void Execute(SqliteSession session)
        {
            Result = ExecuteLeased(session, ReleaseSql, id, leaseId, now, visibleAt);
        }

        public override void Complete()
        {
            base.Complete();
            if (wakes && Result)
            {
                queue.Wake();
            }
        }
    }

    private sealed class RenewWrite(long id, string leaseId, long now, long leaseUntil, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "lease renewal";

        public override void Execute(SqliteSession session) => Result = ExecuteLeased(session, RenewSql, id, leaseId, now, leaseUntil);
    }

    private sealed class DeadLetterWrite(long id, string leaseId, string reason, long now, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "dead letter";

        // The copy first; the delete only when the copy matched the leased row.
        public override void Execute(SqliteSession session) =>
            Result = ExecuteLeased(session, DeadLetterInsertSql, id, leaseId, now, reason) && ExecuteLeased(session, AcknowledgeSql, id, leaseId, now);
    }
}
