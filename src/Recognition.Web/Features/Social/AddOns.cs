namespace Recognition.Web.Features.Social;

/// <summary>"+N from …" under a recognition: who added points, and how many each recipient got from each.</summary>
public sealed class AddOnRow
{
    public long Id { get; init; }
    public long RecognitionId { get; init; }
    public long GiverId { get; init; }
    public string? GiverZh { get; init; }
    public string? GiverEn { get; init; }
    public int PointsEach { get; init; }
    public string? Message { get; init; }
    public string Giver => Bilingual.Pick(GiverZh, GiverEn);
}

/// <summary>
/// Add-on points: anyone with allowance left adds points to someone else's public recognition (with an optional short
/// message). The same rules as giving hold — the site's point steps, the daily giving cap, the monthly allowance and the
/// share one person may get of it (<see cref="Allowance.SpendAsync"/>) — in one transaction that writes the add-on, one
/// earned ledger entry per recipient (source "addon"), their notifications, or nothing. The giver and the recipients of
/// the recognition cannot add to it. Revoking the recognition reverses its add-ons with it (<c>RevokeService</c>).
/// </summary>
public sealed class AddOns(Db db, PolicyStore policies)
{
    public const int MessageMax = 140;

    public async Task<Outcome> AddAsync(long recognitionId, long adderId, long siteId, int pointsEach, string? text, string key, DateTime now)
    {
        var message = MessageRules.Clean(text);
        if (MessageRules.Length(message) > MessageMax) return Outcome.Refused("Error.AddOnMessageTooLong", MessageMax);
        return await db.RunOnceAsync(adderId, key, "addon", now, async (c, t) =>
        {
            if (await RecognitionAccess.ForAsync(c, t, recognitionId, adderId, siteId) is not { } seen) throw new RuleViolation("Error.RecognitionNotFound");
            if (seen.Visibility != "public") throw new RuleViolation("Error.AddOnNotPublic");
            if (seen.Involved) throw new RuleViolation("Error.AddOnOwn");
            if (await PersonContext.LoadAsync(c, t, adderId) is not { Active: true } adder) throw new RuleViolation("Error.GiverInactive");
            var rules = await policies.ForSiteAsync(adder.SiteId);
            if (pointsEach <= 0 || !rules.Steps.Contains(pointsEach)) throw new RuleViolation("Error.BadPoints", string.Join(", ", rules.Steps.Where(s => s > 0)));
            var people = new List<PersonContext>();
            foreach (var pid in await c.QueryAsync<long>("SELECT employee_id FROM recognition_recipients WHERE recognition_id = @recognitionId", new { recognitionId }, t))
            {
                if (await PersonContext.LoadAsync(c, t, pid) is { Active: true } p) people.Add(p);
            }
            if (people.Count == 0) throw new RuleViolation("Error.AddOnNobodyLeft");
            var day = SiteTime.Day(now, adder.TimeZone);
            await Allowance.CountGivingAsync(c, t, db.Dialect, adder.Id, day, rules);
            await Allowance.SpendAsync(c, t, db.Dialect, adder, SiteTime.Month(now, adder.TimeZone), pointsEach, people, rules);
            var id = await c.ScalarAsync<long>(t, db.Dialect.InsertReturningId("recognition_addons",
                    "recognition_id, giver_id, points_each, message, created_utc", "@recognitionId, @adderId, @pointsEach, @message, @now"),
                new { recognitionId, adderId, pointsEach, message = message.Length == 0 ? null : message, now });
            foreach (var p in people)
            {
                await PointsLedger.PostAsync(c, t, db.Dialect, new LedgerEntry(p.Id, p.TeamId, seen.SiteId, pointsEach, "recognition", "addon", id, day, now));
                await Outbox.NotifyAsync(c, t, p.Id, "addon", id, now);
            }
            return id;
        });
    }

    /// <summary>The add-ons of the given recognitions, oldest first, for their cards.</summary>
    public async Task<Dictionary<long, List<AddOnRow>>> ForAsync(IReadOnlyCollection<long> recognitionIds)
    {
        if (recognitionIds.Count == 0) return [];
        var rows = await db.ReadAsync(c => c.QueryAsync<AddOnRow>(
            @"SELECT a.id AS Id, a.recognition_id AS RecognitionId, a.giver_id AS GiverId, g.name_zh AS GiverZh, g.name_en AS GiverEn,
                     a.points_each AS PointsEach, a.message AS Message
              FROM recognition_addons a JOIN employees g ON g.id = a.giver_id WHERE a.recognition_id IN @recognitionIds ORDER BY a.id",
            new { recognitionIds }));
        return rows.GroupBy(r => r.RecognitionId).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>Reverses every add-on of a revoked recognition, in the revoking transaction.</summary>
    public static async Task ReverseAllAsync(DbConnection c, DbTransaction t, ISqlDialect d, long recognitionId, DateTime now)
    {
        foreach (var id in (await c.QueryAsync<long>("SELECT id FROM recognition_addons WHERE recognition_id = @recognitionId", new { recognitionId }, t)).ToList())
        {
            await PointsLedger.ReverseSourceAsync(c, t, d, "addon", id, now);
        }
    }
}
