using System.Globalization;
using System.Text.RegularExpressions;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Admin.Organisation;

public sealed record SiteForm(long? Id, string? Code, string? NameZh, string? NameEn, string? TimeZone, string? Locale, bool Active);
public sealed record AreaForm(long? Id, long SiteId, string? NameZh, string? NameEn, bool Active);
public sealed record ShiftForm(long? Id, long SiteId, string? Code, string? NameZh, string? NameEn, string? Start, string? End, bool Active);
public sealed record TeamForm(long? Id, long SiteId, string? Code, string? NameZh, string? NameEn, string? Kind, bool Active, long[] Leaders, long[] Shifts);

/// <summary>
/// Sites, their hazard-report areas, shift patterns and teams. Nothing that history points at is deleted: it is
/// deactivated. Every change is validated, limited to the admin's sites and audited with before and after.
/// </summary>
public sealed partial class OrgAdmin(Db db)
{
    public Task<Outcome> SaveSiteAsync(SiteForm f, AdminScope scope, DateTime now)
    {
        var code = (f.Code ?? "").Trim();
        var (zh, en) = Names(f.NameZh, f.NameEn);
        if (f.Id is null && !scope.Org) return Refused("Org.OrgAdminOnly");
        if (f.Id is { } id && !scope.Covers(id)) return Refused("People.SiteNotYours");
        if (!Code().IsMatch(code)) return Refused("Setup.BadSiteCode");
        if (zh is null) return Refused("Setup.SiteNameMissing");
        if (!SiteTime.IsValidZone(f.TimeZone)) return Refused("Setup.BadTimeZone");
        if (f.Id == scope.HomeSite && !f.Active) return Refused("Org.OwnSite");
        var row = new { f.Id, code, zh, en, tz = f.TimeZone!.Trim(), locale = LocalizationSetup.Normalize(f.Locale), active = f.Active ? 1 : 0, now };
        return SaveAsync(scope, "site", f.Id, row.Id ?? 0,
            "SELECT code, name_zh, name_en, time_zone, default_locale, active FROM sites WHERE id = @Id",
            db.Dialect.InsertReturningId("sites", "code, name_zh, name_en, time_zone, default_locale, active, created_utc", "@code, @zh, @en, @tz, @locale, @active, @now"),
            "UPDATE sites SET code = @code, name_zh = @zh, name_en = @en, time_zone = @tz, default_locale = @locale, active = @active WHERE id = @Id",
            row, now, siteOf: (_, _) => Task.FromResult<long?>(f.Id));
    }

    public Task<Outcome> SaveAreaAsync(AreaForm f, AdminScope scope, DateTime now)
    {
        var (zh, en) = Names(f.NameZh, f.NameEn);
        if (!scope.Covers(f.SiteId)) return Refused("People.SiteNotYours");
        if (zh is null) return Refused("Org.NameMissing");
        var row = new { f.Id, f.SiteId, zh, en, active = f.Active ? 1 : 0 };
        return SaveAsync(scope, "area", f.Id, f.SiteId,
            "SELECT site_id, name_zh, name_en, active FROM site_areas WHERE id = @Id AND site_id = @SiteId",
            db.Dialect.InsertReturningId("site_areas", "site_id, name_zh, name_en, active", "@SiteId, @zh, @en, @active"),
            "UPDATE site_areas SET name_zh = @zh, name_en = @en, active = @active WHERE id = @Id AND site_id = @SiteId",
            row, now, unique: ("SELECT COUNT(*) FROM site_areas WHERE site_id = @SiteId AND name_zh = @zh AND (@Id IS NULL OR id <> @Id)", "Org.DuplicateName"));
    }

    public Task<Outcome> SaveShiftAsync(ShiftForm f, AdminScope scope, DateTime now)
    {
        var code = (f.Code ?? "").Trim();
        var (zh, en) = Names(f.NameZh, f.NameEn);
        if (!scope.Covers(f.SiteId)) return Refused("People.SiteNotYours");
        if (!Code().IsMatch(code)) return Refused("Org.BadCode");
        if (zh is null) return Refused("Org.NameMissing");
        if (Minutes(f.Start) is not { } start || Minutes(f.End) is not { } end) return Refused("Org.BadTime");
        if (start == end) return Refused("Org.EmptyShift");
        var row = new { f.Id, f.SiteId, code, zh, en, start, end, active = f.Active ? 1 : 0 };
        return SaveAsync(scope, "shift", f.Id, f.SiteId,
            "SELECT code, name_zh, name_en, start_minute, end_minute, active FROM shifts WHERE id = @Id AND site_id = @SiteId",
            db.Dialect.InsertReturningId("shifts", "site_id, code, name_zh, name_en, start_minute, end_minute, active", "@SiteId, @code, @zh, @en, @start, @end, @active"),
            "UPDATE shifts SET code = @code, name_zh = @zh, name_en = @en, start_minute = @start, end_minute = @end, active = @active WHERE id = @Id AND site_id = @SiteId",
            row, now, unique: ("SELECT COUNT(*) FROM shifts WHERE site_id = @SiteId AND code = @code AND (@Id IS NULL OR id <> @Id)", "Org.DuplicateCode"));
    }

    public Task<Outcome> SaveTeamAsync(TeamForm f, AdminScope scope, DateTime now)
    {
        var code = (f.Code ?? "").Trim();
        var (zh, en) = Names(f.NameZh, f.NameEn);
        if (!scope.Covers(f.SiteId)) return Refused("People.SiteNotYours");
        if (!Code().IsMatch(code)) return Refused("Org.BadCode");
        if (zh is null) return Refused("Org.NameMissing");
        if (f.Kind is not ("standing" or "project")) return Refused("Org.BadKind");
        var leaders = f.Leaders.Distinct().ToArray();
        var shifts = f.Shifts.Distinct().ToArray();
        var row = new { f.Id, f.SiteId, code, zh, en, kind = f.Kind, active = f.Active ? 1 : 0 };
        return SaveAsync(scope, "team", f.Id, f.SiteId,
            "SELECT code, name_zh, name_en, kind, active FROM teams WHERE id = @Id AND site_id = @SiteId",
            db.Dialect.InsertReturningId("teams", "site_id, code, name_zh, name_en, kind, active", "@SiteId, @code, @zh, @en, @kind, @active"),
            "UPDATE teams SET code = @code, name_zh = @zh, name_en = @en, kind = @kind, active = @active WHERE id = @Id AND site_id = @SiteId",
            row, now, unique: ("SELECT COUNT(*) FROM teams WHERE code = @code AND (@Id IS NULL OR id <> @Id)", "Org.DuplicateCode"),
            after: async (c, t, id) =>
            {
                // Leaders: active supervisors or admins of the same site; shifts: active shifts of the same site.
                if (leaders.Length > 0 && await c.ExecuteScalarAsync<int>(
                        $"SELECT COUNT(*) FROM employees WHERE id IN @leaders AND site_id = @SiteId AND active = 1 AND (roles & {(int)(Roles.Supervisor | Roles.Admin)}) <> 0",
                        new { leaders, f.SiteId }, t) != leaders.Length) throw new RuleViolation("Org.BadLeader");
                if (shifts.Length > 0 && await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM shifts WHERE id IN @shifts AND site_id = @SiteId AND active = 1",
                        new { shifts, f.SiteId }, t) != shifts.Length) throw new RuleViolation("Org.BadShift");
                await c.ExecuteAsync("DELETE FROM team_leaders WHERE team_id = @id", new { id }, t);
                await c.ExecuteAsync("DELETE FROM team_shifts WHERE team_id = @id", new { id }, t);
                foreach (var l in leaders) await c.ExecuteAsync("INSERT INTO team_leaders (team_id, employee_id) VALUES (@id, @l)", new { id, l }, t);
                foreach (var s in shifts) await c.ExecuteAsync("INSERT INTO team_shifts (team_id, shift_id) VALUES (@id, @s)", new { id, s }, t);
                return new { leaders, shifts };
            });
    }

    /// <summary>One shape for every save: unique check, insert or update (the row must be at the admin's site), extra writes, audit.</summary>
    private async Task<Outcome> SaveAsync(AdminScope scope, string kind, long? id, long siteId, string selectBefore, string insert, string update, object row, DateTime now,
        (string Sql, string Error)? unique = null, Func<DbConnection, DbTransaction, long, Task<object>>? after = null,
        Func<DbConnection, DbTransaction, Task<long?>>? siteOf = null)
    {
        return await db.RunAsync(async (c, t) =>
        {
            if (unique is { } u && await c.ExecuteScalarAsync<int>(u.Sql, row, t) > 0) throw new RuleViolation(u.Error);
            object? before = null;
            long saved;
            if (id is null)
            {
                saved = await c.QuerySingleAsync<long>(insert, row, t);
            }
            else
            {
                before = (await c.QueryAsync(selectBefore, row, t)).FirstOrDefault() ?? throw new RuleViolation("Org.NotFound");
                await c.ExecuteAsync(update, row, t);
                saved = id.Value;
            }
            var extra = after is null ? null : await after(c, t, saved);
            var site = siteOf is null ? siteId : await siteOf(c, t) ?? saved;
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, $"{kind}.{(id is null ? "create" : "update")}", $"{kind}:{saved}", site,
                Before: before, After: new { row, extra }), now);
            return Outcome.Created(saved);
        }, "Org.DuplicateCode");
    }

    private static Task<Outcome> Refused(string key) => Task.FromResult(Outcome.Refused(key));

    private static (string? Zh, string? En) Names(string? zh, string? en)
    {
        var z = TextRules.Clean(zh) is { Length: > 0 and <= 100 } a ? a : null;
        var e = TextRules.Clean(en) is { Length: > 0 and <= 100 } b ? b : null;
        return (z ?? e, e ?? z);
    }

    /// <summary>"06:30" → 390.</summary>
    public static int? Minutes(string? hhmm) =>
        TimeOnly.TryParseExact((hhmm ?? "").Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t.Hour * 60 + t.Minute : null;

    public static string Clock(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,20}$")]
    private static partial Regex Code();
}
