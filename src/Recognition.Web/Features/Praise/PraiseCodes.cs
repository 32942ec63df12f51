using Recognition.Web.Infrastructure;

namespace Recognition.Web.Features.Praise;

/// <summary>What a public code stands for.</summary>
public sealed class PraiseCode
{
    public long Id { get; init; }
    public long SiteId { get; init; }
    public string Kind { get; init; } = "";
    public long? TeamId { get; init; }
    public long? EmployeeId { get; init; }
    public long? AreaId { get; init; }
    public string Code { get; init; } = "";
    public bool Active { get; init; }
    public string? NameZh { get; init; }
    public string? NameEn { get; init; }
    public string SiteZh { get; init; } = "";
    public string SiteEn { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string Name => Bilingual.Pick(NameZh, NameEn);
    public string Site => Bilingual.Pick(SiteZh, SiteEn);

    public const string Select =
        @"SELECT c.id AS Id, c.site_id AS SiteId, c.kind AS Kind, c.team_id AS TeamId, c.employee_id AS EmployeeId, c.area_id AS AreaId, c.code AS Code, c.active AS Active,
                 COALESCE(t.name_zh, e.name_zh, a.name_zh) AS NameZh, COALESCE(t.name_en, e.name_en, a.name_en) AS NameEn, s.name_zh AS SiteZh, s.name_en AS SiteEn,
                 s.time_zone AS TimeZone
          FROM praise_codes c JOIN sites s ON s.id = c.site_id LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN employees e ON e.id = c.employee_id
          LEFT JOIN site_areas a ON a.id = c.area_id";
}

/// <summary>
/// The public thank-you codes: one per active team and area (made on first use), one per person who opts in; rotating a
/// code retires it (its link then says it is no longer in use) and issues a new one for the same target.
/// </summary>
public sealed class PraiseCodes(Db db)
{
    public Task<PraiseCode?> FindAsync(string? code) =>
        string.IsNullOrEmpty(code) || code.Length > 20 ? Task.FromResult<PraiseCode?>(null)
            : db.ReadAsync(c => c.QuerySingleOrDefaultAsync<PraiseCode>(PraiseCode.Select + " WHERE c.code = @code", new { code = code.ToUpperInvariant() }));

    /// <summary>The code of a team, opted-in person or area, created on first use.</summary>
    public async Task<string> EnsureCodeAsync(long siteId, string kind, long targetId, DateTime now)
    {
        var column = Column(kind);
        var existing = await db.ReadAsync(c => c.ExecuteScalarAsync<string?>(
            $"SELECT code FROM praise_codes WHERE kind = @kind AND {column} = @targetId AND active = 1", new { kind, targetId }));
        if (existing is not null) return existing;
        return await db.WriteAsync(async (c, t) =>
        {
            var again = await c.ExecuteScalarAsync<string?>($"SELECT code FROM praise_codes WHERE kind = @kind AND {column} = @targetId AND active = 1", new { kind, targetId }, t);
            if (again is not null) return again;
            var code = ReadableCodes.New();
            await c.ExecuteAsync($"INSERT INTO praise_codes (site_id, kind, {column}, code, active, created_utc) VALUES (@siteId, @kind, @targetId, @code, 1, @now)",
                new { siteId, kind, targetId, code, now }, t);
            return code;
        });
    }

    /// <summary>Every active code of a site, after making sure each active team and area has one (opted-in people have theirs).</summary>
    public async Task<IReadOnlyList<PraiseCode>> SiteCodesAsync(long siteId, DateTime now)
    {
        var (teams, areas) = await db.ReadAsync(async c => (
            (await c.QueryAsync<long>("SELECT id FROM teams WHERE site_id = @siteId AND active = 1", new { siteId })).ToList(),
            (await c.QueryAsync<long>("SELECT id FROM site_areas WHERE site_id = @siteId AND active = 1", new { siteId })).ToList()));
        foreach (var t in teams) await EnsureCodeAsync(siteId, "team", t, now);
        foreach (var a in areas) await EnsureCodeAsync(siteId, "area", a, now);
        return (await db.ReadAsync(c => c.QueryAsync<PraiseCode>(PraiseCode.Select + " WHERE c.site_id = @siteId AND c.active = 1 ORDER BY c.kind DESC, c.id", new { siteId }))).ToList();
    }

    /// <summary>Retires a code and issues a new one for the same target; the old link then says it is no longer in use.</summary>
    public async Task<Outcome> RotateAsync(long codeId, AdminScope scope, DateTime now)
    {
        return await db.RunAsync(async (c, t) =>
        {
            var old = await c.QuerySingleOrDefaultAsync<PraiseCode>(PraiseCode.Select + " WHERE c.id = @codeId", new { codeId }, t);
            if (old is null || !old.Active || !scope.Covers(old.SiteId)) throw new RuleViolation("Praise.UnknownCode");
            await c.ExecuteAsync("UPDATE praise_codes SET active = 0, retired_utc = @now WHERE id = @codeId", new { now, codeId }, t);
            var code = ReadableCodes.New();
            var id = await c.ScalarAsync<long>(t, db.Dialect.InsertReturningId("praise_codes", "site_id, kind, team_id, employee_id, area_id, code, active, created_utc",
                "@SiteId, @Kind, @TeamId, @EmployeeId, @AreaId, @code, 1, @now"), new { old.SiteId, old.Kind, old.TeamId, old.EmployeeId, old.AreaId, code, now });
            await Audit.WriteAsync(c, t, scope.Actor, "praise.code_rotated", $"praise_code:{codeId}", $"→ praise_code:{id}", null, now);
            return id;
        });
    }

    /// <summary>A person's choice to have their own thank-you code (and so appear by name on their own card).</summary>
    public async Task SetOptInAsync(long employeeId, bool optIn, DateTime now)
    {
        await db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE employees SET praise_opt_in = @v WHERE id = @employeeId", new { v = optIn ? 1 : 0, employeeId }, t));
        var siteId = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT site_id FROM employees WHERE id = @employeeId", new { employeeId }));
        if (optIn) await EnsureCodeAsync(siteId, "person", employeeId, now);
        else await db.WriteAsync((c, t) => c.ExecuteAsync("UPDATE praise_codes SET active = 0, retired_utc = @now WHERE kind = 'person' AND employee_id = @employeeId AND active = 1",
            new { now, employeeId }, t));
    }

    private static string Column(string kind) => kind switch
    {
        "team" => "team_id",
        "person" => "employee_id",
        "area" => "area_id",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind),
    };
}
