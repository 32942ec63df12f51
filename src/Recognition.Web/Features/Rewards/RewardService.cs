using Recognition.Web.Infrastructure;

namespace Recognition.Web.Features.Rewards;

public sealed record RedeemCommand(long EmployeeId, long RewardId, int Quantity, int ExpectedCost, string IdempotencyKey);

/// <summary>
/// Spending earned points: a redemption takes the balance (never the giving allowance), the stock and the per-person limit
/// in one transaction, each by a conditional UPDATE whose row count decides, so neither a balance nor a stock can go below
/// zero on either engine (and CHECK constraints stand behind them). An order then moves through approval, "ready" with a
/// pickup code, and hand-over; declining or cancelling refunds with a reversing entry and returns the stock.
/// </summary>
public sealed class RewardService(Db db)
{
    public const int MaxQuantity = 10;
    public static readonly string[] OpenStates = ["pending", "approved", "ready"];

    public async Task<Outcome> RedeemAsync(RedeemCommand cmd, DateTime now)
    {
        if (!Idempotency.IsValidKey(cmd.IdempotencyKey)) return Outcome.Refused("Error.FormExpired");
        if (cmd.Quantity is < 1 or > MaxQuantity) return Outcome.Refused("Rewards.BadQuantity", MaxQuantity);
        return await db.RunOnceAsync(cmd.EmployeeId, cmd.IdempotencyKey, "order", now, async (conn, tx) =>
            {
                var who = await PersonContext.LoadAsync(conn, tx, cmd.EmployeeId) is { Active: true } p ? p : throw new RuleViolation("Error.GiverInactive");
                var r = await conn.QuerySingleOrDefaultAsync<RewardRow>(RewardRow.Select + " WHERE r.id = @RewardId", cmd, tx);
                // Another site's item is as unknown as a missing one.
                if (r is null || r.SiteId != who.SiteId) throw new RuleViolation("Rewards.UnknownItem");
                var local = SiteTime.ToLocal(now, who.TimeZone);
                var day = SiteTime.Day(local);
                if (!r.AvailableOn(day)) throw new RuleViolation("Rewards.NotAvailable");
                if (cmd.ExpectedCost != r.Cost) throw new RuleViolation("Rewards.CostChanged", r.Cost);
                var points = checked(r.Cost * cmd.Quantity);

                if (r.Stock is not null && await conn.ExecAsync(tx,
                        "UPDATE rewards SET stock = stock - @q WHERE id = @id AND stock IS NOT NULL AND stock >= @q", new { q = cmd.Quantity, id = r.Id }) != 1)
                {
                    throw new RuleViolation("Rewards.OutOfStock");
                }
                var period = r.LimitPeriod is null ? null : SiteTime.PeriodKey(local, r.LimitPeriod);
                if (period is not null && await conn.ExecAsync(tx,
                        db.Dialect.UpsertAddCapped("reward_takes", ["employee_id", "reward_id", "period"], "taken", "@cap"),
                        new { employee_id = cmd.EmployeeId, reward_id = r.Id, period, taken = cmd.Quantity, cap = r.LimitCount }) != 1)
                {
                    throw new RuleViolation(r.LimitPeriod == "month" ? "Rewards.LimitMonth" : "Rewards.LimitQuarter", r.LimitCount!);
                }
                var settings = await RewardSettings.LoadAsync(conn, tx, who.SiteId);
                var needed = !r.RequiresApproval ? 0 : settings.SecondApprovalPoints is { } above && points >= above ? 2 : 1;
                var id = await conn.ScalarAsync<long>(tx, db.Dialect.InsertReturningId("reward_orders",
                        "site_id, reward_id, employee_id, quantity, cost_each, points, period, local_day, status, approvals_needed, created_utc",
                        "@siteId, @rewardId, @employeeId, @quantity, @cost, @points, @period, @day, @status, @needed, @now"),
                    new
                    {
                        siteId = who.SiteId, rewardId = r.Id, employeeId = cmd.EmployeeId, quantity = cmd.Quantity, cost = r.Cost, points, period, day,
                        status = needed == 0 ? "approved" : "pending", needed, now,
                    });
                if (!await PointsLedger.DebitAsync(conn, tx, db.Dialect,
                        new LedgerEntry(cmd.EmployeeId, who.TeamId, who.SiteId, -points, "redemption", "order", id, day, now)))
                {
                    throw new RuleViolation("Rewards.NotEnoughPoints", points);
                }
                await Outbox.AppendAsync(conn, tx, who.SiteId, null, "order.placed", id, now);
                return id;
            });
    }

    /// <summary>The employee withdraws an order that is not ready yet: points and stock come back.</summary>
    public Task<Outcome> CancelAsync(long orderId, long employeeId, DateTime now) =>
        db.RunAsync(async (conn, tx) =>
        {
            var o = await LoadAsync(conn, tx, orderId);
            if (o is null || o.EmployeeId != employeeId) throw new RuleViolation("Rewards.UnknownOrder");
            if (o.Status is not ("pending" or "approved")) throw new RuleViolation("Rewards.CannotCancel");
            await CloseAsync(conn, tx, o, "cancelled", employeeId, null, now);
            await Audit.WriteAsync(conn, tx, employeeId, "order.cancelled", $"order:{orderId}", null, null, now);
            return orderId;
        });

    /// <summary>A rewards keeper (or admin) of the order's site declines it at any open stage: points and stock come back.</summary>
    public Task<Outcome> DeclineAsync(long orderId, AdminScope keeper, string? reason, DateTime now)
    {
        var text = MessageRules.Clean(reason);
        if (text.Length < 2) return Task.FromResult(Outcome.Refused("Error.ReasonRequired"));
        if (text.Length > 500) return Task.FromResult(Outcome.Refused("Error.MessageTooLong", 500));
        return db.RunAsync(async (conn, tx) =>
        {
            var o = await KeeperOrderAsync(conn, tx, orderId, keeper);
            if (!OpenStates.Contains(o.Status)) throw new RuleViolation("Rewards.AlreadyClosed");
            await CloseAsync(conn, tx, o, "declined", keeper.ActorId, text, now);
            await Outbox.NotifyAsync(conn, tx, o.EmployeeId, "order.declined", orderId, now);
            await Audit.WriteAsync(conn, tx, keeper.ActorId, "order.declined", $"order:{orderId}", text, null, now);
            return orderId;
        });
    }

    /// <summary>One approval; orders at or above the site's second-approval cost need a second, different keeper.</summary>
    public Task<Outcome> ApproveAsync(long orderId, AdminScope keeper, DateTime now) =>
        db.RunAsync(async (conn, tx) =>
        {
            var o = await KeeperOrderAsync(conn, tx, orderId, keeper);
            if (o.EmployeeId == keeper.ActorId) throw new RuleViolation("Rewards.OwnOrder");
            if (o.Status != "pending") throw new RuleViolation("Rewards.NotPending");
            int changed;
            if (o.ApprovedBy is null)
            {
                changed = await conn.ExecAsync(tx,
                    "UPDATE reward_orders SET approved_by = @by, approved_utc = @now, status = CASE WHEN approvals_needed <= 1 THEN 'approved' ELSE 'pending' END " +
                    "WHERE id = @id AND status = 'pending' AND approved_by IS NULL", new { by = keeper.ActorId, now, id = orderId });
            }
            else
            {
                if (o.ApprovedBy == keeper.ActorId) throw new RuleViolation("Rewards.SecondApproverSame");
                changed = await conn.ExecAsync(tx,
                    "UPDATE reward_orders SET second_approved_by = @by, second_approved_utc = @now, status = 'approved' " +
                    "WHERE id = @id AND status = 'pending' AND approved_by IS NOT NULL AND second_approved_by IS NULL AND approved_by <> @by",
                    new { by = keeper.ActorId, now, id = orderId });
            }
            if (changed != 1) throw new RuleViolation("Rewards.NotPending");
            // The first of two approvals leaves the order pending: only the change to approved is announced.
            if (await conn.ScalarAsync<string>(tx, "SELECT status FROM reward_orders WHERE id = @orderId", new { orderId }) == "approved")
            {
                await Outbox.AppendAsync(conn, tx, o.SiteId, null, "order.approved", orderId, now);
            }
            await Audit.WriteAsync(conn, tx, keeper.ActorId, "order.approved", $"order:{orderId}", null, null, now);
            return orderId;
        });

    /// <summary>Marks an approved order ready for pickup with a fresh pickup code; the employee gets a toast.</summary>
    public Task<Outcome> ReadyAsync(long orderId, AdminScope keeper, DateTime now) =>
        db.RunAsync(async (conn, tx) =>
        {
            var o = await KeeperOrderAsync(conn, tx, orderId, keeper);
            if (o.Status != "approved") throw new RuleViolation("Rewards.NotApproved");
            var code = ReadableCodes.New();
            var changed = await conn.ExecAsync(tx,
                "UPDATE reward_orders SET status = 'ready', pickup_code = @code, ready_by = @by, ready_utc = @now WHERE id = @id AND status = 'approved'",
                new { code, by = keeper.ActorId, now, id = orderId });
            if (changed != 1) throw new RuleViolation("Rewards.NotApproved");
            await Outbox.NotifyAsync(conn, tx, o.EmployeeId, "order.ready", orderId, now);
            await Outbox.AppendAsync(conn, tx, o.SiteId, null, "order.ready", orderId, now);
            await Audit.WriteAsync(conn, tx, keeper.ActorId, "order.ready", $"order:{orderId}", null, null, now);
            return orderId;
        });

    /// <summary>Hands an order over against its pickup code (scanned from the slip or typed). Only a ready order of the keeper's site.</summary>
    public Task<Outcome> HandOverAsync(string? pickupCode, AdminScope keeper, DateTime now)
    {
        var code = ReadableCodes.Normalize(pickupCode, QrPrefix);
        if (code is null) return Task.FromResult(Outcome.Refused("Rewards.BadCode"));
        return db.RunAsync(async (conn, tx) =>
        {
            var id = await conn.ScalarAsync<long?>(tx, "SELECT id FROM reward_orders WHERE pickup_code = @code", new { code });
            var o = id is { } found ? await LoadAsync(conn, tx, found) : null;
            // A code of another site reads as unknown here: it says nothing about that site's orders.
            if (o is null || !keeper.Covers(o.SiteId)) throw new RuleViolation("Rewards.UnknownCode");
            if (o.Status == "handed_over") throw new RuleViolation("Rewards.CodeUsed");
            if (o.Status != "ready") throw new RuleViolation("Rewards.AlreadyClosed");
            var changed = await conn.ExecAsync(tx,
                "UPDATE reward_orders SET status = 'handed_over', handed_by = @by, handed_utc = @now WHERE id = @id AND status = 'ready'",
                new { by = keeper.ActorId, now, id = o.Id });
            if (changed != 1) throw new RuleViolation("Rewards.CodeUsed");
            await Outbox.AppendAsync(conn, tx, o.SiteId, null, "order.handed_over", o.Id, now);
            await Audit.WriteAsync(conn, tx, keeper.ActorId, "order.handed_over", $"order:{o.Id}", null, null, now);
            return o.Id;
        });
    }

    private async Task CloseAsync(DbConnection conn, DbTransaction tx, OrderRow o, string status, long by, string? reason, DateTime now)
    {
        var changed = await conn.ExecAsync(tx,
            "UPDATE reward_orders SET status = @status, closed_by = @by, closed_utc = @now, closed_reason = @reason WHERE id = @id AND status = @was",
            new { status, by, now, reason, id = o.Id, was = o.Status });
        if (changed != 1) throw new RuleViolation("Rewards.AlreadyClosed");
        await Outbox.AppendAsync(conn, tx, o.SiteId, null, "order." + status, o.Id, now);
        await PointsLedger.ReverseSourceAsync(conn, tx, db.Dialect, "order", o.Id, now);
        await conn.ExecAsync(tx, "UPDATE rewards SET stock = stock + @Quantity WHERE id = @RewardId AND stock IS NOT NULL", new { o.Quantity, o.RewardId });
        if (o.Period is not null)
        {
            await conn.ExecAsync(tx, "UPDATE reward_takes SET taken = taken - @Quantity WHERE employee_id = @EmployeeId AND reward_id = @RewardId AND period = @Period",
                new { o.Quantity, o.EmployeeId, o.RewardId, o.Period });
        }
    }

    private static async Task<OrderRow> KeeperOrderAsync(DbConnection conn, DbTransaction tx, long orderId, AdminScope keeper)
    {
        var o = await LoadAsync(conn, tx, orderId);
        if (o is null || !keeper.Covers(o.SiteId)) throw new RuleViolation("Rewards.UnknownOrder");
        return o;
    }

    private static Task<OrderRow?> LoadAsync(DbConnection conn, DbTransaction tx, long id) =>
        conn.QuerySingleOrDefaultAsync<OrderRow>(
            @"SELECT id AS Id, site_id AS SiteId, reward_id AS RewardId, employee_id AS EmployeeId, quantity AS Quantity, period AS Period, status AS Status,
                     approved_by AS ApprovedBy FROM reward_orders WHERE id = @id", new { id }, tx);



    /// <summary>What a slip's QR code carries before the pickup code.</summary>
    public const string QrPrefix = "RCG:PICKUP:";

    internal sealed class OrderRow
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public long RewardId { get; init; }
        public long EmployeeId { get; init; }
        public int Quantity { get; init; }
        public string? Period { get; init; }
        public string Status { get; init; } = "";
        public long? ApprovedBy { get; init; }
    }
}
