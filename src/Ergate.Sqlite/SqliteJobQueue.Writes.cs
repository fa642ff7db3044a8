using Ergate.Sqlite.Storage;

namespace Ergate.Sqlite;

// The queue's statements and writes, each a few prepared statements run by the group-commit writer. Lease-bound statements match
// the row id, the lease id and an unexpired lease (visible_at > now), so a stale delivery changes nothing.
public sealed partial class SqliteJobQueue
{
    private const string PutSql =
        "INSERT INTO ergate_messages (message_id, payload, visible_at, lease_id, delivery_count, enqueued_at) VALUES ($1, $2, $3, NULL, 0, $4)";

    // The oldest visible row (a lease that ran out leaves visible_at at its expiry, so it is visible again), leased in
    // one statement: no other receiver, in this process or another, can take the same row.
    private const string LeaseSql = """
        UPDATE ergate_messages SET lease_id = $1, visible_at = $3, delivery_count = delivery_count + 1
        WHERE id = (SELECT id FROM ergate_messages WHERE visible_at <= $2 ORDER BY visible_at, id LIMIT 1)
        RETURNING id, message_id, payload, delivery_count
        """;

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

    private sealed class PutWrite(SqliteJobQueue queue, string messageId, byte[] payload, long visibleAt, long enqueuedAt, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "put";

        public override void Execute(SqliteSession session)
        {
            var command = session.Command(PutSql, 4);
            command.Parameters[0].Value = messageId;
            command.Parameters[1].Value = payload;
            command.Parameters[2].Value = visibleAt;
            command.Parameters[3].Value = enqueuedAt;
            Result = command.ExecuteNonQuery() == 1;
        }

        public override void Complete()
        {
            base.Complete();
            queue.Wake();
        }
    }

    private sealed class LeasedRow(long id, string messageId, byte[] payload, int deliveryCount)
    {
        public long Id { get; } = id;

        public string MessageId { get; } = messageId;

        public byte[] Payload { get; } = payload;

        public int DeliveryCount { get; } = deliveryCount;
    }

    private sealed class LeaseWrite(string leaseId, long now, long leaseUntil, CancellationToken cancellationToken)
        : SqliteWrite<LeasedRow?>(cancellationToken)
    {
        public override string Operation => "receive";

        public override void Execute(SqliteSession session)
        {
            var command = session.Command(LeaseSql, 3);
            command.Parameters[0].Value = leaseId;
            command.Parameters[1].Value = now;
            command.Parameters[2].Value = leaseUntil;
            using var reader = command.ExecuteReader();
            Result = reader.Read()
                ? new LeasedRow(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetInt32(3))
                : null;
        }
    }

    private sealed class AcknowledgeWrite(long id, string leaseId, long now, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "acknowledge";

        public override void Execute(SqliteSession session)
        {
            var command = session.Command(AcknowledgeSql, 3);
            command.Parameters[0].Value = id;
            command.Parameters[1].Value = leaseId;
            command.Parameters[2].Value = now;
            Result = command.ExecuteNonQuery() == 1;
        }
    }

    private sealed class ReleaseWrite(SqliteJobQueue queue, long id, string leaseId, long now, long visibleAt, bool wakes, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "release";

        public override void Execute(SqliteSession session)
        {
            var command = session.Command(ReleaseSql, 4);
            command.Parameters[0].Value = id;
            command.Parameters[1].Value = leaseId;
            command.Parameters[2].Value = now;
            command.Parameters[3].Value = visibleAt;
            Result = command.ExecuteNonQuery() == 1;
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

        public override void Execute(SqliteSession session)
        {
            var command = session.Command(RenewSql, 4);
            command.Parameters[0].Value = id;
            command.Parameters[1].Value = leaseId;
            command.Parameters[2].Value = now;
            command.Parameters[3].Value = leaseUntil;
            Result = command.ExecuteNonQuery() == 1;
        }
    }

    private sealed class DeadLetterWrite(long id, string leaseId, string reason, long now, CancellationToken cancellationToken)
        : SqliteWrite<bool>(cancellationToken)
    {
        public override string Operation => "dead letter";

        public override void Execute(SqliteSession session)
        {
            var insert = session.Command(DeadLetterInsertSql, 4);
            insert.Parameters[0].Value = id;
            insert.Parameters[1].Value = leaseId;
            insert.Parameters[2].Value = now;
            insert.Parameters[3].Value = reason;
            if (insert.ExecuteNonQuery() == 0)
            {
                Result = false;
                return;
            }

            var delete = session.Command(AcknowledgeSql, 3);
            delete.Parameters[0].Value = id;
            delete.Parameters[1].Value = leaseId;
            delete.Parameters[2].Value = now;
            Result = delete.ExecuteNonQuery() == 1;
        }
    }
}
