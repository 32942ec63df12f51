using System.Security.Claims;

namespace Recognition.Web.Features.Coaching;

/// <summary>Builds one-to-one cards; who may see one: the person, and whoever leads (or administers) the person's team.</summary>
public sealed class CardQueries(Db db, TeamAccess teams, TimeProvider clock)
{
    public const int WindowDays = 90;

    /// <summary>Who a card is about, with the team's name and the site's zone (a LEFT JOIN: a person may be in no team).</summary>
    private const string PersonSql =
        @"SELECT e.id AS Id, e.site_id AS SiteId, e.team_id AS TeamId, e.name_zh AS NameZh, e.name_en AS NameEn, e.employee_no AS EmployeeNo, e.locale AS Locale,
                 t.name_zh AS TeamZh, t.name_en AS TeamEn, s.time_zone AS TimeZone
          FROM employees e JOIN sites s ON s.id = e.site_id LEFT JOIN teams t ON t.id = e.team_id WHERE e.active = 1 ";

    /// <summary>The card about <paramref name="personId"/>, or null when it does not exist or <paramref name="viewer"/> may not see it.</summary>
    public async Task<CoachingCard?> ForAsync(ClaimsPrincipal viewer, long personId)
    {
        var person = await db.ReadAsync(c => c.QueryFirstOrDefaultAsync<CardPerson>(PersonSql + "AND e.id = @personId", new { personId }));
        if (person is null) return null;
        if (viewer.EmployeeId() != personId && (person.TeamId is not { } team || !await teams.CanPrintTeamAsync(viewer, team))) return null;
        return (await ManyAsync([person]))[0];
    }

    /// <summary>Cards for a whole team (the batch printed with the shift summary), in name order; null when the viewer may not print for it.</summary>
    public async Task<IReadOnlyList<CoachingCard>?> ForTeamAsync(ClaimsPrincipal viewer, long teamId)
    {
        if (!await teams.CanPrintTeamAsync(viewer, teamId)) return null;
        var people = (await db.ReadAsync(c => c.QueryAsync<CardPerson>(PersonSql + "AND e.team_id = @teamId ORDER BY e.employee_no", new { teamId }))).ToList();
        return await ManyAsync(people);
    }

    private sealed class ValueRow
    {
        public long Person { get; init; }
        public string Zh { get; init; } = "";
        public string En { get; init; } = "";
        public long ThenCount { get; init; }
        public long NowCount { get; init; }
    }

    private sealed class LastRow
    {
        public long Person { get; init; }
        public DateTime At { get; init; }
    }

    private async Task<IReadOnlyList<CoachingCard>> ManyAsync(IReadOnlyList<CardPerson> people)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = people.Select(p => p.Id).ToArray();
        var p = new { ids, from = now.AddDays(-WindowDays), then = now.AddDays(-2 * WindowDays) };
        return await db.ReadAsync(async c =>
        {
            // Public and team recognitions only: a private one is for the two people in it, never for a card.
            var received = (await c.QueryAsync<long, CardRecognition, (long Person, CardRecognition R)>(
                @"SELECT x.employee_id, r.id AS Id, r.created_utc AS CreatedUtc, r.message AS Message, g.name_zh AS FromZh, g.name_en AS FromEn,
                         v.name_zh AS ValueZh, v.name_en AS ValueEn, b.name_zh AS BadgeZh, b.name_en AS BadgeEn, r.source AS Source, r.external_from AS ExternalFrom
                  FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id JOIN employees g ON g.id = r.giver_id
                  LEFT JOIN badges b ON b.id = r.badge_id LEFT JOIN core_values v ON v.id = COALESCE(r.value_id, b.value_id)
                  WHERE x.employee_id IN @ids AND r.status = 'active' AND r.visibility IN ('public', 'team') AND r.created_utc >= @from
                  ORDER BY r.created_utc DESC", (person, r) => (person, r), p, splitOn: "Id")).ToLookup(x => x.Person, x => x.R);
            var given = (await c.QueryAsync<long, CardRecognition, (long Person, CardRecognition R)>(
                @"SELECT r.giver_id, r.id AS Id, r.created_utc AS CreatedUtc, r.message AS Message, v.name_zh AS ValueZh, v.name_en AS ValueEn, b.name_zh AS BadgeZh, b.name_en AS BadgeEn
                  FROM recognitions r LEFT JOIN badges b ON b.id = r.badge_id LEFT JOIN core_values v ON v.id = COALESCE(r.value_id, b.value_id)
                  WHERE r.giver_id IN @ids AND r.status = 'active' AND r.visibility IN ('public', 'team') AND r.created_utc >= @from
                  ORDER BY r.created_utc DESC", (person, r) => (person, r), p, splitOn: "Id")).ToLookup(x => x.Person, x => x.R);
            var claims = (await c.QueryAsync<long, CardClaim, (long Person, CardClaim C)>(
                @"SELECT c.employee_id, c.created_utc AS CreatedUtc, b.category AS Category, b.name_zh AS RuleZh, b.name_en AS RuleEn, c.description AS Description, c.status AS Status
                  FROM claims c JOIN behaviour_rules b ON b.id = c.rule_id
                  WHERE c.employee_id IN @ids AND c.created_utc >= @from AND b.category IN ('safety', 'improvement') AND c.status <> 'rejected'
                  ORDER BY c.created_utc DESC", (person, cl) => (person, cl), p, splitOn: "CreatedUtc")).ToLookup(x => x.Person, x => x.C);
            var values = (await c.QueryAsync<ValueRow>(
                @"SELECT x.employee_id AS Person, v.name_zh AS Zh, v.name_en AS En,
                         SUM(CASE WHEN r.created_utc < @from THEN 1 ELSE 0 END) AS ThenCount, SUM(CASE WHEN r.created_utc >= @from THEN 1 ELSE 0 END) AS NowCount
                  FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id LEFT JOIN badges b ON b.id = r.badge_id
                  JOIN core_values v ON v.id = COALESCE(r.value_id, b.value_id)
                  WHERE x.employee_id IN @ids AND r.status = 'active' AND r.visibility IN ('public', 'team') AND r.created_utc >= @then
                  GROUP BY x.employee_id, v.name_zh, v.name_en, v.sort_order ORDER BY v.sort_order", p)).ToLookup(x => x.Person, x => new ValueCount(x.Zh, x.En, (int)x.ThenCount, (int)x.NowCount));
            var last = (await c.QueryAsync<LastRow>(
                @"SELECT x.employee_id AS Person, MAX(r.created_utc) AS At FROM recognition_recipients x JOIN recognitions r ON r.id = x.recognition_id
                  WHERE x.employee_id IN @ids AND r.status = 'active' AND r.visibility IN ('public', 'team') GROUP BY x.employee_id", p)).ToDictionary(x => x.Person, x => x.At);
            var talks = (await c.QueryAsync<long, OneOnOneRow, (long Person, OneOnOneRow O)>(
                @"SELECT o.employee_id, o.id AS Id, o.held_day AS HeldDay, o.supervisor_id AS SupervisorId, s.name_zh AS SupervisorZh, s.name_en AS SupervisorEn,
                         o.note AS Note, o.next_step AS NextStep, o.next_step_day AS NextStepDay
                  FROM one_on_ones o JOIN employees s ON s.id = o.supervisor_id WHERE o.employee_id IN @ids ORDER BY o.held_day DESC, o.id DESC",
                (person, o) => (person, o), p, splitOn: "Id")).ToLookup(x => x.Person, x => x.O);
            return (IReadOnlyList<CoachingCard>)people.Select(person => new CoachingCard
            {
                Person = person, NowUtc = now, Received = received[person.Id].ToList(), Given = given[person.Id].ToList(), Claims = claims[person.Id].ToList(),
                Values = values[person.Id].ToList(), LastRecognisedUtc = last.TryGetValue(person.Id, out var at) ? at : null, OneOnOnes = talks[person.Id].Take(5).ToList(),
            }).ToList();
        });
    }
}
