namespace Recognition.Web.Features.Admin.Catalogue;

public sealed record PreviewSide(int Points, int People, int Paid, IReadOnlyList<(string Name, int Points)> Largest);

public sealed record RulePreviewResult(int Days, int Claims, PreviewSide Current, PreviewSide Proposed);

/// <summary>
/// What a changed rule would have paid: the rule's approved claims of the last 90 days replayed in order under the
/// proposed points and caps (per person per day, week and month, as approval counts them), next to what was paid.
/// Adopted suggestions keep what adoption paid. Achievement bonuses are not included.
/// </summary>
public sealed class RulePreview(Db db)
{
    public const int Days = 90;

    public async Task<RulePreviewResult?> ForAsync(long ruleId, int points, int? capDay, int? capWeek, int? capMonth, DateTime now)
    {
        await using var c = await db.OpenAsync();
        var claims = (await c.QueryAsync<(long Employee, string? Zh, string? En, int Paid, bool Adopted, DateTime CreatedUtc, string Zone)>(
            @"SELECT cl.employee_id, e.name_zh, e.name_en, cl.points_awarded, cl.adopted, cl.created_utc, s.time_zone
              FROM claims cl JOIN employees e ON e.id = cl.employee_id JOIN sites s ON s.id = cl.site_id
              WHERE cl.rule_id = @ruleId AND cl.status = 'approved' AND cl.created_utc >= @since ORDER BY cl.id",
            new { ruleId, since = now.AddDays(-Days) })).ToList();
        var names = claims.GroupBy(x => x.Employee).ToDictionary(g => g.Key, g => Bilingual.Pick(g.First().Zh, g.First().En));
        var used = new Dictionary<(long, string), int>();
        var current = new Dictionary<long, int>();
        var proposed = new Dictionary<long, int>();
        foreach (var claim in claims)
        {
            current[claim.Employee] = current.GetValueOrDefault(claim.Employee) + claim.Paid;
            var periods = RuleCaps.PeriodKeys(SiteTime.ToLocal(claim.CreatedUtc, claim.Zone));
            var caps = new[] { capDay, capWeek, capMonth };
            if (Enumerable.Range(0, 3).Any(i => caps[i] is { } cap && used.GetValueOrDefault((claim.Employee, periods[i])) >= cap)) continue;
            foreach (var p in periods) used[(claim.Employee, p)] = used.GetValueOrDefault((claim.Employee, p)) + 1;
            proposed[claim.Employee] = proposed.GetValueOrDefault(claim.Employee) + (claim.Adopted ? claim.Paid : points);
        }
        PreviewSide Side(Dictionary<long, int> paid) => new(paid.Values.Sum(), paid.Count(kv => kv.Value > 0), paid.Values.Count(v => v > 0),
            paid.OrderByDescending(kv => kv.Value).Take(3).Select(kv => (names[kv.Key], kv.Value)).ToList());
        return new RulePreviewResult(Days, claims.Count, Side(current), Side(proposed));
    }
}
