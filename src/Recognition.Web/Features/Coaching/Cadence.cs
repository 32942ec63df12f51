using Recognition.Web.Features.Insights;

namespace Recognition.Web.Features.Coaching;

/// <summary>
/// A supervisor's last 90 days: recognitions they gave, one-to-ones they held, and how many of the people they lead had
/// a one-to-one — that last one a figure about a group, so shown only for five or more people and only where no
/// difference with another shown group (a team, another supervisor's people) singles out fewer than five.
/// </summary>
public sealed record CadenceRow(long SupervisorId, string Name, int Recognitions, int OneOnOnes, int People, Figure PeopleTalkedTo);

/// <summary>A team member not recognised (publicly or in the team) for 60 days or more; <c>Days</c> null when never.</summary>
public sealed record QuietMember(long Id, string Name, int? Days);

public sealed class Cadence(Db db, TimeProvider clock)
{
    public const int Days = 90, QuietDays = 60;

    /// <summary>The suppression decision per site, made again when who leads whom changes.</summary>
    private readonly Disclosure.Memo _decisions = new();

    /// <summary>Every team leader's cadence at a site (HR's view; an organisation admin's null is every site).</summary>
    public async Task<IReadOnlyList<CadenceRow>> ForSiteAsync(long? siteId) => await RowsAsync(siteId, null);

    /// <summary>One supervisor's own cadence (their team page).</summary>
    public async Task<CadenceRow?> ForSupervisorAsync(long supervisorId, long siteId) =>
        (await RowsAsync(siteId, supervisorId)).FirstOrDefault(r => r.SupervisorId == supervisorId);

    private async Task<IReadOnlyList<CadenceRow>> RowsAsync(long? siteId, long? only)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-Days);
        var sinceDay = SiteTime.Day(since);
        return await db.ReadAsync(async c =>
        {
            var leads = (await c.QueryAsync<(long Leader, string? Zh, string? En, long TeamId, long Member)>(
                @"SELECT l.employee_id, s.name_zh, s.name_en, e.team_id, e.id FROM team_leaders l JOIN employees s ON s.id = l.employee_id
                  JOIN teams t ON t.id = l.team_id JOIN employees e ON e.team_id = t.id AND e.active = 1 AND e.id <> l.employee_id
                  WHERE s.active = 1 AND (@siteId IS NULL OR t.site_id = @siteId)", new { siteId })).ToList();
            // Only the leaders' giving, through the giver index: counting every giver at a 10,000-person site took seconds.
            var leaders = leads.Select(l => l.Leader).Distinct().ToArray();
            var given = (await c.QueryAsync<(long Giver, long N)>(
                @"SELECT giver_id, COUNT(*) FROM recognitions WHERE giver_id IN @leaders AND status = 'active' AND source = 'peer' AND created_utc >= @since
                    AND (@siteId IS NULL OR site_id = @siteId) GROUP BY giver_id",
                new { leaders, since, siteId })).ToDictionary(x => x.Giver, x => (int)x.N);
            var talks = (await c.QueryAsync<(long Supervisor, long Employee)>(
                "SELECT supervisor_id, employee_id FROM one_on_ones WHERE held_day >= @sinceDay AND (@siteId IS NULL OR site_id = @siteId)", new { sinceDay, siteId })).ToList();
            // Complementary suppression over what this table and the team figures can show together.
            var candidates = leads.GroupBy(l => l.TeamId).Select(g => new Disclosure.Candidate(0, siteId, 1, g.Select(x => x.Member).Distinct().ToList()))
                .Concat(leads.GroupBy(l => l.Leader).Select(g => new Disclosure.Candidate(0, siteId, 2, g.Select(x => x.Member).Distinct().ToList())));
            var list = candidates.ToList();
            var released = _decisions.Get(siteId ?? 0, Disclosure.Digest(list), () => Disclosure.Released(list));
            return (IReadOnlyList<CadenceRow>)leads.GroupBy(l => l.Leader).Where(g => only is null || g.Key == only).Select(g =>
            {
                var members = g.Select(x => x.Member).Distinct().ToList();
                var talked = talks.Where(t => t.Supervisor == g.Key && members.Contains(t.Employee)).Select(t => t.Employee).Distinct().Count();
                var shown = released.Contains(Disclosure.Key(members));
                return new CadenceRow(g.Key, Bilingual.Pick(g.First().Zh, g.First().En), given.GetValueOrDefault(g.Key), talks.Count(t => t.Supervisor == g.Key),
                    members.Count, new Figure(shown ? talked : null));
            }).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        });
    }

    /// <summary>The team's people not recognised in 60 days or more (or never), longest first: for the people who lead the team only.</summary>
    public async Task<IReadOnlyList<QuietMember>> QuietAsync(long teamId, long leaderId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.ReadAsync(async c =>
        {
            if (!await LeadsAsync(c, teamId, leaderId)) return [];
            var rows = await c.QueryAsync<QuietRow>(
                @"SELECT e.id AS Id, e.name_zh AS Zh, e.name_en AS En,
                         (SELECT MAX(r.created_utc) FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id
                           WHERE x.employee_id = e.id AND r.status = 'active' AND r.visibility IN ('public', 'team')) AS LastUtc
                  FROM employees e WHERE e.team_id = @teamId AND e.active = 1 AND e.id <> @leaderId", new { teamId, leaderId });
            return (IReadOnlyList<QuietMember>)rows.Where(r => r.LastUtc is null || r.LastUtc <= now.AddDays(-QuietDays))
                .Select(r => new QuietMember(r.Id, Bilingual.Pick(r.Zh, r.En), r.LastUtc is { } at ? (now - at).Days : null))
                .OrderBy(m => m.Days is null ? 0 : 1).ThenByDescending(m => m.Days).ToList();
        });
    }

    /// <summary>Open "high pressure, low recognition" clues about the team (the insights rebuild finds them), for the people who lead it.</summary>
    public async Task<IReadOnlyList<string>> TeamHealthAsync(long teamId, long leaderId) =>
        await db.ReadAsync(async c =>
            !await LeadsAsync(c, teamId, leaderId)
                ? (IReadOnlyList<string>)[]
                : (await c.QueryAsync<string>("SELECT detail FROM insight_clues WHERE kind = 'team_health' AND status = 'open' AND clue_key LIKE @key ORDER BY id DESC",
                    new { key = $"team_health:{teamId}:%" })).ToList());

    /// <summary>Whether the person leads the team (an admin who opens a team page does not).</summary>
    private static async Task<bool> LeadsAsync(DbConnection c, long teamId, long leaderId) =>
        await c.ExecuteScalarAsync<long?>("SELECT employee_id FROM team_leaders WHERE team_id = @teamId AND employee_id = @leaderId", new { teamId, leaderId }) is not null;

    private sealed class QuietRow
    {
        public long Id { get; init; }
        public string? Zh { get; init; }
        public string? En { get; init; }
        public DateTime? LastUtc { get; init; }
    }
}
