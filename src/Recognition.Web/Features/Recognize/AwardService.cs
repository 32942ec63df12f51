using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Recognition.Web.Features.Ledger;
using Recognition.Web.Infrastructure;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Web.Features.Recognize;

public sealed record AwardCommand(
    long GiverId, IReadOnlyList<long> RecipientIds, long? BadgeId, long? ValueId, string? Message,
    string Visibility, int PointsEach, string IdempotencyKey);

/// <summary>
/// Gives a recognition: one transaction writes the recognition, its recipients, the allowance spend,
/// the ledger entries and buckets, the outbox event and the notifications — or nothing at all.
/// </summary>
public sealed class AwardService(Db db, IOptionsMonitor<RulesOptions> options)
{
    private static readonly string[] Visibilities = ["public", "team", "private"];

    public async Task<Outcome> AwardAsync(AwardCommand cmd, DateTime now, CancellationToken ct = default)
    {
        var rules = options.CurrentValue;
        var message = MessageRules.Clean(cmd.Message);
        var invalid = Validate(cmd, message, rules);
        if (invalid is not null) return invalid;
        var recipients = cmd.RecipientIds.Distinct().ToList();
        try
        {
            return await db.WriteAsync(async (conn, tx) =>
            {
                var existing = await Idempotency.FindAsync(conn, tx, cmd.GiverId, cmd.IdempotencyKey);
                if (existing is { } prior) return Outcome.Repeated(prior);
                await Idempotency.ClaimAsync(conn, tx, cmd.GiverId, cmd.IdempotencyKey, "recognition", now);

                var giver = await conn.QuerySingleOrDefaultAsync<GiverRow>(
                    @"SELECT e.id AS Id, e.site_id AS SiteId, e.team_id AS TeamId, e.roles AS Roles, e.active AS Active, s.time_zone AS TimeZone
                      FROM employees e JOIN sites s ON s.id = e.site_id WHERE e.id = @id", new { id = cmd.GiverId }, tx)
                    ?? throw new RuleViolation("Error.GiverInactive");
                if (!giver.Active) throw new RuleViolation("Error.GiverInactive");
                if (recipients.Contains(giver.Id)) throw new RuleViolation("Error.SelfAward");

                var people = (await conn.QueryAsync<(long Id, long? TeamId, bool Active, string? NameZh, string? NameEn)>(
                    "SELECT id, team_id, active, name_zh, name_en FROM employees WHERE id IN @recipients", new { recipients }, tx)).ToList();
                if (people.Count != recipients.Count) throw new RuleViolation("Error.UnknownRecipient");
                if (people.FirstOrDefault(p => !p.Active) is { Id: > 0 } gone)
                {
                    throw new RuleViolation("Error.InactiveRecipient", gone.NameZh ?? gone.NameEn ?? "");
                }

                var (badgeKind, valueId) = await ResolveBadgeAndValueAsync(conn, tx, cmd, (Roles)giver.Roles);
                var funding = badgeKind == "supervisor" ? "company" : "allowance";
                var day = SiteTime.Day(now, giver.TimeZone);
                var month = SiteTime.Month(now, giver.TimeZone);

                await SpendDailyCountAsync(conn, tx, giver.Id, day, rules.DailyRecognitionCap);
                if (funding == "allowance" && cmd.PointsEach > 0)
                {
                    await SpendAllowanceAsync(conn, tx, giver, month, cmd.PointsEach, people, rules);
                }

                var id = await conn.QuerySingleAsync<long>(
                    db.Dialect.InsertReturningId("recognitions",
                        "site_id, giver_id, badge_id, value_id, message, visibility, points_each, funding, status, verify_code, created_utc",
                        "@SiteId, @giverId, @BadgeId, @valueId, @message, @Visibility, @PointsEach, @funding, 'active', @code, @now"),
                    new { giver.SiteId, giverId = giver.Id, cmd.BadgeId, valueId, message, cmd.Visibility, cmd.PointsEach, funding, code = NewVerifyCode(), now }, tx);
                foreach (var p in people)
                {
                    await conn.ExecuteAsync(
                        "INSERT INTO recognition_recipients (recognition_id, employee_id, team_id) VALUES (@id, @employeeId, @teamId)",
                        new { id, employeeId = p.Id, teamId = p.TeamId }, tx);
                    if (cmd.PointsEach > 0)
                    {
                        await PointsLedger.PostAsync(conn, tx, db.Dialect,
                            new LedgerEntry(p.Id, p.TeamId, giver.SiteId, cmd.PointsEach, "recognition", "recognition", id, day, now));
                    }
                    await Outbox.NotifyAsync(conn, tx, p.Id, "recognition", id, now);
                }
                await Outbox.AppendAsync(conn, tx, giver.SiteId, null, "recognition.created", id, new
                {
                    visibility = cmd.Visibility,
                    teams = people.Select(p => p.TeamId).Distinct(),
                    recipients = people.Select(p => p.Id),
                }, now);
                await Idempotency.CompleteAsync(conn, tx, cmd.GiverId, cmd.IdempotencyKey, id);
                return Outcome.Created(id);
            }, ct);
        }
        catch (RuleViolation v)
        {
            return v.Outcome;
        }
        catch (Exception ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            // Two identical submissions raced past the lookup (possible on SQL Server): the first one won.
            var won = await db.ReadAsync(c => Idempotency.FindAsync(c, null, cmd.GiverId, cmd.IdempotencyKey));
            if (won is { } first) return Outcome.Repeated(first);
            throw;
        }
    }

    private static Outcome? Validate(AwardCommand cmd, string message, RulesOptions rules)
    {
        if (!Idempotency.IsValidKey(cmd.IdempotencyKey)) return Outcome.Refused("Error.FormExpired");
        var distinct = cmd.RecipientIds.Distinct().Count();
        if (distinct == 0) return Outcome.Refused("Error.NoRecipient");
        if (distinct > rules.MaxRecipients) return Outcome.Refused("Error.TooManyRecipients", rules.MaxRecipients);
        if (cmd.BadgeId is null && cmd.ValueId is null) return Outcome.Refused("Error.NoBadgeOrValue");
        if (!Visibilities.Contains(cmd.Visibility)) return Outcome.Refused("Error.BadVisibility");
        if (!rules.Steps.Contains(cmd.PointsEach)) return Outcome.Refused("Error.BadPoints", string.Join(", ", rules.Steps));
        return MessageRules.Check(message, rules.MessageMinLength, rules.MessageMaxLength, rules.CjkWeight) is { } bad
            ? Outcome.Refused(bad.Key, bad.Arg)
            : null;
    }

    private static async Task<(string? Kind, long? ValueId)> ResolveBadgeAndValueAsync(DbConnection conn, DbTransaction tx, AwardCommand cmd, Roles giverRoles)
    {
        long? valueId = cmd.ValueId;
        string? kind = null;
        if (cmd.BadgeId is { } badgeId)
        {
            var badge = await conn.QuerySingleOrDefaultAsync<(string Kind, long? ValueId, bool Active)?>(
                "SELECT kind, value_id, active FROM badges WHERE id = @badgeId", new { badgeId }, tx);
            if (badge is not { Active: true } b) throw new RuleViolation("Error.UnknownBadge");
            var supervisor = giverRoles.HasFlag(Roles.Supervisor) || giverRoles.HasFlag(Roles.Admin);
            if (b.Kind == "achievement" || (b.Kind == "supervisor" && !supervisor)) throw new RuleViolation("Error.BadgeNotAllowed");
            kind = b.Kind;
            valueId ??= b.ValueId;
        }
        if (valueId is { } v && await conn.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM core_values WHERE id = @v AND active = 1", new { v }, tx) == 0)
        {
            throw new RuleViolation("Error.UnknownValue");
        }
        return (kind, valueId);
    }

    private async Task SpendDailyCountAsync(DbConnection conn, DbTransaction tx, long giverId, int day, int cap)
    {
        await conn.ExecuteAsync(db.Dialect.InsertIfMissing("giving_counts", ["giver_id", "day"], ["giver_id", "day", "given"]),
            new { giver_id = giverId, day, given = 0 }, tx);
        var ok = await conn.ExecuteAsync(
            "UPDATE giving_counts SET given = given + 1 WHERE giver_id = @giverId AND day = @day AND given + 1 <= @cap",
            new { giverId, day, cap }, tx);
        if (ok != 1) throw new RuleViolation("Error.DailyCap", cap);
    }

    private async Task SpendAllowanceAsync(DbConnection conn, DbTransaction tx, GiverRow giver, int month, int each,
        List<(long Id, long? TeamId, bool Active, string? NameZh, string? NameEn)> people, RulesOptions rules)
    {
        var budget = await Allowance.EnsureAsync(conn, tx, db.Dialect, giver.Id, (Roles)giver.Roles, month, rules);
        var total = each * people.Count;
        var ok = await conn.ExecuteAsync(
            "UPDATE allowances SET spent = spent + @total WHERE employee_id = @id AND month = @month AND spent + @total <= budget",
            new { total, id = giver.Id, month }, tx);
        if (ok != 1)
        {
            var left = await conn.ExecuteScalarAsync<int>(
                "SELECT budget - spent FROM allowances WHERE employee_id = @id AND month = @month", new { id = giver.Id, month }, tx);
            throw new RuleViolation("Error.OverAllowance", left, total);
        }
        var maxShare = budget * rules.MaxSharePercentToOnePerson / 100;
        foreach (var p in people)
        {
            await conn.ExecuteAsync(db.Dialect.InsertIfMissing("allowance_grants", ["giver_id", "recipient_id", "month"], ["giver_id", "recipient_id", "month", "points"]),
                new { giver_id = giver.Id, recipient_id = p.Id, month, points = 0 }, tx);
            var granted = await conn.ExecuteAsync(
                "UPDATE allowance_grants SET points = points + @each WHERE giver_id = @g AND recipient_id = @r AND month = @month AND points + @each <= @maxShare",
                new { each, g = giver.Id, r = p.Id, month, maxShare }, tx);
            if (granted != 1) throw new RuleViolation("Error.OverShare", p.NameZh ?? p.NameEn ?? "", maxShare, rules.MaxSharePercentToOnePerson);
        }
    }

    internal static string NewVerifyCode() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    private sealed class GiverRow
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public long? TeamId { get; init; }
        public int Roles { get; init; }
        public bool Active { get; init; }
        public string TimeZone { get; init; } = "";
    }
}
