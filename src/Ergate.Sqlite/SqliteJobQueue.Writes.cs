using Ergate.Sqlite.Storage;

namespace Ergate.Sqlite;

// The queue's statements and writes, each a few prepared statements run by the group-commit writer. Lease-bound statements match
// the row id, the lease id and an unexpired lease (visible_at > now), so a stale delivery changes nothing.
public sealed partial class SqliteJobQueue
{
    private const string PutSql =
        "INSERT INTO ergate_messages (message_id, payload, visible_at, lease_id, delivery_count, enqueued_at) VALUES ($1, $2, $3, NULL, 0, $4)";

    // The oldest visible rows, in delivery order (a lease that ran out leaves visible_at at its expiry, so it is
    // visible again), then leased by one statement over the same rows. Both run in one write transaction, so no other
    // receiver, in this process or another, can take the same rows. RETURNING gives no order, hence the first query.
    private const string DueIdsSql = "SELECT id FROM ergate_messages WHERE visible_at <= $1 ORDER BY visible_at, id LIMIT $2";

    private const string LeaseSql = """
        UPDATE ergate_messages SET lease_id = $1, visible_at = $3, delivery_count = delivery_count + 1
        WHERE id IN (SELECT id FROM ergate_messages WHERE visible_at <= $2 ORDER BY visible_at, id LIMIT $4)
        RETURNING id, message_id, payload, delivery_count
        """;

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
        var command = session.Command(PutSql, 4);
        command.Parameters[0].Value = messageId;
        command.Parameters[1].Value = payload;
        command.Parameters[2].Value = visibleAt;
        command.Parameters[3].Value = enqueuedAt;
        return command.ExecuteNonQuery() == 1;
    }

    // Runs a lease-bound statement ($1 row id, $2 lease id, $3 now, and $4 when it takes one more value); true when it
    // matched the leased row.
    private static bool ExecuteLeased(SqliteSession session, string sql, long id, string leaseId, long now, object? value = null)
    {
        var command = session.Command(sql, value is null ? 3 : 4);
        command.Parameters[0].Value = id;
        command.Parameters[1].Value = leaseId;
        command.Parameters[2].Value = now;
        if (value is not null)
        {
            command.Parameters[3].Value = value;
        }

        return command.ExecuteNonQuery() == 1;
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
            if (count == 1)
            {
                // The common idle case: one statement.
                var single = session.Command(LeaseSql, 4);
                BindLease(single, 1);
                using var one = single.ExecuteReader();
                Result = one.Read() ? new Leased(Read(one), null) : null;
                return;
            }

            var select = session.Command(DueIdsSql, 2);
            select.Parameters[0].Value = now;
            select.Parameters[1].Value = count;
            var order = new Dictionary<long, int>(count);
            using (var ids = select.ExecuteReader())
            {
                while (ids.Read())
                {
                    order.Add(ids.GetInt64(0), order.Count);
                }
            }

            if (order.Count == 0)
            {
                return;
            }

            var rows = new Prefetched[order.Count];
            var update = session.Command(LeaseSql, 4);
            BindLease(update, order.Count);
            using (var reader = update.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows[order[reader.GetInt64(0)]] = Read(reader);
                }
            }

            Result = new Leased(rows[0], rows.Length > 1 ? rows[1..] : null);
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

        private void BindLease(Microsoft.Data.Sqlite.SqliteCommand command, int limit)
        {
            command.Parameters[0].Value = leaseId;
            command.Parameters[1].Value = now;
            command.Parameters[2].Value = leaseUntil;
            command.Parameters[3].Value = limit;
        }

        private Prefetched Read(Microsoft.Data.Sqlite.SqliteDataReader reader) =>
            new(reader.GetInt64(0), leaseId, reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetInt32(3), leaseUntil);
    }

    private sealed record Leased(Prefetched First, Prefetched[]? Rest);

    private sealed class ReturnWrite(SqliteJobQueue queue, List<Prefetched> rows, long now, CancellationToken cancellationToken)
        : SqliteWrite<int>(cancellationToken)
    {
        public override string Operation => "return of prefetched messages";

        public override void Execute(SqliteSession session)
        {
            var command = session.Command(ReturnSql, 3);
            var returned = 0;
            foreach (var row in rows)
            {
                command.Parameters[0].Value = row.Id;
                command.Parameters[1].Value = row.LeaseId;
                command.Parameters[2].Value = now;
                returned += command.ExecuteNonQuery();
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
