namespace Recognition.Web.Features.Recognize;

public sealed record AwardCommand(
    long GiverId, IReadOnlyList<long> RecipientIds, long? BadgeId, long? ValueId, string? Message,
    string Visibility, int PointsEach, string IdempotencyKey);

/// <summary>
/// Gives a recognition: one transaction writes the recognition, its recipients, the allowance spend,
/// the ledger entries and buckets, the outbox event and the notifications — or nothing at all.
/// </summary>
public sealed class AwardService(Db db, PolicyStore policies)
{
    private static readonly string[] Visibilities = ["public", "team", "private"];

    public async Task<Outcome> AwardAsync(AwardCommand cmd, DateTime now, CancellationToken ct = default)
    {
        var message = MessageRules.Clean(cmd.Message);
        if (ValidateShape(cmd) is { } invalid) return invalid;
        var recipients = cmd.RecipientIds.Distinct().ToList();
        return await db.RunOnceAsync(cmd.GiverId, cmd.IdempotencyKey, "recognition", now, async (conn, tx) =>
        {
            // Giver and recipients, each by key on a prepared statement; the site's time zone decides the day and the month.
            var everyone = new Dictionary<long, PersonContext>();
            foreach (var pid in recipients.Append(cmd.GiverId).Distinct())
            {
                if (await PersonContext.LoadAsync(conn, tx, pid) is { } row) everyone[row.Id] = row;
            }
            if (!everyone.TryGetValue(cmd.GiverId, out var giver) || !giver.Active) throw new RuleViolation("Error.GiverInactive");
            if (recipients.Contains(giver.Id)) throw new RuleViolation("Error.SelfAward");
            // Someone at another site is, for this giver, nobody: recognitions stay within a site.
            if (recipients.Any(r => !everyone.TryGetValue(r, out var p) || p.SiteId != giver.SiteId)) throw new RuleViolation("Error.UnknownRecipient");
            // The giver's site policy (held in memory) decides the message length, steps, caps and allowance.
            var rules = await policies.ForSiteAsync(giver.SiteId);
            if (Validate(cmd, message, rules) is { Error: { } invalid } refused) throw new RuleViolation(invalid, refused.Args);
            var people = recipients.Select(r => everyone[r]).ToList();
            if (people.FirstOrDefault(p => !p.Active) is { } gone) throw new RuleViolation("Error.InactiveRecipient", gone.NameZh ?? gone.NameEn ?? "");

            var (badgeKind, valueId) = await ResolveBadgeAndValueAsync(conn, tx, cmd, (Roles)giver.Roles);
            var funding = badgeKind == "supervisor" ? "company" : "allowance";
            var day = SiteTime.Day(now, giver.TimeZone);
            var month = SiteTime.Month(now, giver.TimeZone);

            await Allowance.CountGivingAsync(conn, tx, db.Dialect, giver.Id, day, rules);
            if (funding == "allowance" && cmd.PointsEach > 0)
            {
                await Allowance.SpendAsync(conn, tx, db.Dialect, giver, month, cmd.PointsEach, people, rules);
            }
            else if (cmd.PointsEach > 0)
            {
                // A supervisor's badge: company points from the giver's monthly spot budget, not from the peer allowance.
                await Budgets.SpendAsync(conn, tx, db.Dialect, "person", giver.Id, giver.SiteId, month,
                    await Budgets.SpotBudgetForAsync(conn, tx, giver.Id, giver.SiteId), cmd.PointsEach * people.Count, giver.Id, now);
            }

            return await Recognitions.CreateAsync(conn, tx,
                new NewRecognition(giver.SiteId, giver.Id, cmd.BadgeId, valueId, message, cmd.Visibility, cmd.PointsEach, funding),
                people.Select(p => new RecognitionRecipient(p.Id, p.TeamId, cmd.PointsEach)).ToList(), now, day);
        }, ct);
    }

    /// <summary>What needs no policy: checked before the write transaction.</summary>
    private static Outcome? ValidateShape(AwardCommand cmd)
    {
        if (!Idempotency.IsValidKey(cmd.IdempotencyKey)) return Outcome.Refused("Error.FormExpired");
        if (!cmd.RecipientIds.Any()) return Outcome.Refused("Error.NoRecipient");
        if (cmd.BadgeId is null && cmd.ValueId is null) return Outcome.Refused("Error.NoBadgeOrValue");
        if (!Visibilities.Contains(cmd.Visibility)) return Outcome.Refused("Error.BadVisibility");
        return null;
    }

    /// <summary>What the giver's site policy decides: recipients, steps, message length.</summary>
    private static Outcome? Validate(AwardCommand cmd, string message, RulesOptions rules)
    {
        if (cmd.RecipientIds.Distinct().Count() > rules.MaxRecipients) return Outcome.Refused("Error.TooManyRecipients", rules.MaxRecipients);
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
            var badge = await conn.RowAsync<(string Kind, long? ValueId, bool Active)>(tx,
                "SELECT kind, value_id, active FROM badges WHERE id = @badgeId", new { badgeId });
            if (badge is not { Active: true } b) throw new RuleViolation("Error.UnknownBadge");
            var supervisor = giverRoles.HasFlag(Roles.Supervisor) || giverRoles.HasFlag(Roles.Admin);
            if (b.Kind == "achievement" || (b.Kind == "supervisor" && !supervisor)) throw new RuleViolation("Error.BadgeNotAllowed");
            kind = b.Kind;
            valueId ??= b.ValueId;
        }
        if (valueId is { } v && await conn.ScalarAsync<long>(tx,
                "SELECT COUNT(*) FROM core_values WHERE id = @v AND active = 1", new { v }) == 0)
        {
            throw new RuleViolation("Error.UnknownValue");
        }
        return (kind, valueId);
    }
}
