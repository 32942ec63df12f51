using System.Text.RegularExpressions;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.Catalogue;

public sealed record ValueForm(long? Id, string? Code, string? NameZh, string? NameEn, string? BehavioursZh, string? BehavioursEn, string? Color, int SortOrder, bool Active);
public sealed record BadgeForm(long? Id, string? Code, string? Kind, long? ValueId, string? Icon, string? Color, string? NameZh, string? NameEn,
    string? DescriptionZh, string? DescriptionEn, string? PhrasesZh, string? PhrasesEn, bool Active);
/// <summary>An open write transaction a save joins instead of starting its own.</summary>
public sealed record Tx(System.Data.Common.DbConnection Connection, System.Data.Common.DbTransaction Transaction);
public sealed record AchievementForm(long? Id, long BadgeId, long RuleId, int Threshold, int WindowDays, int BonusPoints, bool Active);
public sealed record RuleForm(long? Id, string? Code, string? Category, string? NameZh, string? NameEn, int Points, bool RequiresApproval,
    int? CapPerDay, int? CapPerWeek, int? CapPerMonth, bool Claimable, bool Kiosk, bool Active, string? SystemKey = null);

/// <summary>
/// The recognition catalogue HR owns: values, badges and behaviour rules. Nothing is deleted (history points at it):
/// values and rules are deactivated, badges retired. System rules (the behaviours the product relies on) keep their
/// system key and stay active; their names, points and caps are HR's. Every change is audited with before and after.
/// The catalogue is shared by every site, so only organisation admins change it.
/// </summary>
public sealed partial class CatalogueAdmin(Db db)
{
    public static readonly string[] Categories = ["safety", "mentoring", "customer", "knowledge", "improvement"]; // the behaviour_rules CHECK, exactly
    public const int MaxPhrases = 6, MaxPoints = 1000;

    /// <summary>The behaviours the product itself relies on; a catalogue file may create them where a database lacks them.</summary>
    public static readonly string[] SystemKeys = ["hazard_report", "near_miss", "customer_praise", "suggestion", "suggestion_adopted"];

    public Task<Outcome> SaveValueAsync(ValueForm f, AdminScope scope, DateTime now, Tx? inTx = null)
    {
        if (!scope.Org) return Refused("Catalogue.OrgOnly");
        var (zh, en) = Names(f.NameZh, f.NameEn);
        var (bzh, ben) = (Text(f.BehavioursZh, 1000), Text(f.BehavioursEn, 1000));
        if (!Code().IsMatch((f.Code ?? "").Trim())) return Refused("Org.BadCode");
        if (zh is null) return Refused("Org.NameMissing");
        if (bzh is null && ben is null) return Refused("Catalogue.BehavioursMissing");
        if (!Color().IsMatch(f.Color ?? "")) return Refused("Catalogue.BadColor");
        var row = new { f.Id, code = f.Code!.Trim(), zh, en, bzh = bzh ?? ben, ben = ben ?? bzh, color = f.Color, sort = Math.Clamp(f.SortOrder, 0, 999), active = f.Active ? 1 : 0 };
        return SaveAsync(scope, "value", f.Id, now, inTx, row,
            "SELECT code, name_zh, name_en, behaviours_zh, behaviours_en, color, sort_order, active FROM core_values WHERE id = @Id",
            db.Dialect.InsertReturningId("core_values", "code, name_zh, name_en, behaviours_zh, behaviours_en, color, sort_order, active", "@code, @zh, @en, @bzh, @ben, @color, @sort, @active"),
            "UPDATE core_values SET code = @code, name_zh = @zh, name_en = @en, behaviours_zh = @bzh, behaviours_en = @ben, color = @color, sort_order = @sort, active = @active WHERE id = @Id",
            "SELECT COUNT(*) FROM core_values WHERE (code = @code OR name_zh = @zh OR name_en = @en) AND (@Id IS NULL OR id <> @Id)");
    }

    public Task<Outcome> SaveBadgeAsync(BadgeForm f, AdminScope scope, DateTime now, Tx? inTx = null)
    {
        if (!scope.Org) return Refused("Catalogue.OrgOnly");
        var (zh, en) = Names(f.NameZh, f.NameEn);
        var (dzh, den) = (Text(f.DescriptionZh, 500), Text(f.DescriptionEn, 500));
        if (!Code().IsMatch((f.Code ?? "").Trim())) return Refused("Org.BadCode");
        if (f.Kind is not ("peer" or "supervisor" or "achievement")) return Refused("Catalogue.BadKind");
        if (zh is null) return Refused("Org.NameMissing");
        if (dzh is null && den is null) return Refused("Catalogue.DescriptionMissing");
        var icon = BadgeIcons.Normalize(f.Icon); // an icon of the shipped set (an old catalogue file's character maps to its icon)
        if (icon is null) return Refused("Catalogue.BadIcon");
        if (!Color().IsMatch(f.Color ?? "")) return Refused("Catalogue.BadColor");
        var (pzh, pen) = (Phrases(f.PhrasesZh), Phrases(f.PhrasesEn));
        if (pzh is null || pen is null) return Refused("Catalogue.BadPhrases", MaxPhrases);
        var row = new
        {
            f.Id, code = f.Code!.Trim(), kind = f.Kind, valueId = f.ValueId is > 0 ? f.ValueId : null, icon, color = f.Color, zh, en,
            dzh = dzh ?? den, den = den ?? dzh, pzh = pzh.Length == 0 ? null : pzh, pen = pen.Length == 0 ? null : pen, active = f.Active ? 1 : 0
        };
        return SaveAsync(scope, "badge", f.Id, now, inTx, row,
            "SELECT code, kind, value_id, icon, color, name_zh, name_en, description_zh, description_en, phrases_zh, phrases_en, active FROM badges WHERE id = @Id",
            db.Dialect.InsertReturningId("badges", "code, kind, value_id, icon, color, name_zh, name_en, description_zh, description_en, phrases_zh, phrases_en, active",
                "@code, @kind, @valueId, @icon, @color, @zh, @en, @dzh, @den, @pzh, @pen, @active"),
            "UPDATE badges SET code = @code, kind = @kind, value_id = @valueId, icon = @icon, color = @color, name_zh = @zh, name_en = @en, description_zh = @dzh, " +
            "description_en = @den, phrases_zh = @pzh, phrases_en = @pen, active = @active WHERE id = @Id",
            "SELECT COUNT(*) FROM badges WHERE (code = @code OR name_zh = @zh OR name_en = @en) AND (@Id IS NULL OR id <> @Id)",
            check: async (c, t) =>
            {
                // A badge may point only at an active value (a retired value's badge would be given for nothing HR still asks for).
                if (row.valueId is not null && await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM core_values WHERE id = @valueId AND active = 1", row, t) == 0)
                    throw new RuleViolation("Catalogue.RetiredValue");
            });
    }

    public Task<Outcome> SaveRuleAsync(RuleForm f, AdminScope scope, DateTime now, Tx? inTx = null)
    {
        if (!scope.Org) return Refused("Catalogue.OrgOnly");
        var (zh, en) = Names(f.NameZh, f.NameEn);
        if (!Code().IsMatch((f.Code ?? "").Trim())) return Refused("Org.BadCode");
        if (!Categories.Contains(f.Category)) return Refused("Catalogue.BadCategory");
        if (zh is null) return Refused("Org.NameMissing");
        if (f.Points is < 0 or > MaxPoints) return Refused("Catalogue.BadPoints", MaxPoints);
        if (f.CapPerDay is < 1 || f.CapPerWeek is < 1 || f.CapPerMonth is < 1) return Refused("Catalogue.BadCap");
        if ((f.CapPerDay is { } d && f.CapPerWeek is { } w && d > w) || (f.CapPerWeek is { } w2 && f.CapPerMonth is { } m && w2 > m)
            || (f.CapPerDay is { } d2 && f.CapPerMonth is { } m2 && d2 > m2)) return Refused("Catalogue.CapsContradict");
        if (f.SystemKey is not null && (f.Id is not null || !SystemKeys.Contains(f.SystemKey))) return Refused("Catalogue.UnknownReference", f.SystemKey);
        var row = new
        {
            f.Id, systemKey = f.SystemKey, code = f.Code!.Trim(), category = f.Category, zh, en, points = f.Points, approval = f.RequiresApproval ? 1 : 0,
            day = f.CapPerDay, week = f.CapPerWeek, month = f.CapPerMonth, claimable = f.Claimable ? 1 : 0, kiosk = f.Kiosk ? 1 : 0, active = f.Active ? 1 : 0
        };
        return SaveAsync(scope, "rule", f.Id, now, inTx, row,
            "SELECT code, system_key, category, name_zh, name_en, points, requires_approval, cap_per_day, cap_per_week, cap_per_month, claimable, kiosk, active FROM behaviour_rules WHERE id = @Id",
            db.Dialect.InsertReturningId("behaviour_rules", "code, system_key, category, name_zh, name_en, points, requires_approval, cap_per_day, cap_per_week, cap_per_month, claimable, kiosk, active",
                "@code, @systemKey, @category, @zh, @en, @points, @approval, @day, @week, @month, @claimable, @kiosk, @active"),
            "UPDATE behaviour_rules SET code = @code, category = @category, name_zh = @zh, name_en = @en, points = @points, requires_approval = @approval, " +
            "cap_per_day = @day, cap_per_week = @week, cap_per_month = @month, claimable = @claimable, kiosk = @kiosk, active = @active WHERE id = @Id",
            "SELECT COUNT(*) FROM behaviour_rules WHERE (code = @code OR name_zh = @zh OR name_en = @en) AND (@Id IS NULL OR id <> @Id)",
            check: async (c, t) =>
            {
                if (row.Id is null || row.active == 1) return;
                if (await c.ExecuteScalarAsync<string?>("SELECT system_key FROM behaviour_rules WHERE id = @Id", row, t) is not null)
                    throw new RuleViolation("Catalogue.SystemRule");
            });
    }

    /// <summary>How many approved claims of which rule, within how many days, earn which achievement badge (and bonus points).</summary>
    public Task<Outcome> SaveAchievementAsync(AchievementForm f, AdminScope scope, DateTime now, Tx? inTx = null)
    {
        if (!scope.Org) return Refused("Catalogue.OrgOnly");
        if (f.Threshold is < 1 or > 1000 || f.WindowDays is < 1 or > 3660) return Refused("Catalogue.BadThreshold");
        if (f.BonusPoints is < 0 or > MaxPoints) return Refused("Catalogue.BadPoints", MaxPoints);
        var row = new { f.Id, badge = f.BadgeId, rule = f.RuleId, threshold = f.Threshold, days = f.WindowDays, bonus = f.BonusPoints, active = f.Active ? 1 : 0 };
        return SaveAsync(scope, "achievement", f.Id, now, inTx, row,
            "SELECT badge_id, rule_id, threshold, window_days, bonus_points, active FROM achievement_rules WHERE id = @Id",
            db.Dialect.InsertReturningId("achievement_rules", "badge_id, rule_id, threshold, window_days, bonus_points, active", "@badge, @rule, @threshold, @days, @bonus, @active"),
            "UPDATE achievement_rules SET badge_id = @badge, rule_id = @rule, threshold = @threshold, window_days = @days, bonus_points = @bonus, active = @active WHERE id = @Id",
            "SELECT COUNT(*) FROM achievement_rules WHERE badge_id = @badge AND rule_id = @rule AND (@Id IS NULL OR id <> @Id)",
            check: async (c, t) =>
            {
                if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM badges WHERE id = @badge AND kind = 'achievement' AND active = 1", row, t) == 0)
                    throw new RuleViolation("Catalogue.NotAchievementBadge");
                if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM behaviour_rules WHERE id = @rule AND active = 1", row, t) == 0)
                    throw new RuleViolation("Catalogue.InactiveRule");
            });
    }

    /// <summary>
    /// One shape for every save: duplicates, extra checks, insert or update, audit — in its own transaction, or in
    /// <paramref name="inTx"/> (a catalogue import). An update that changes nothing writes nothing and answers
    /// <see cref="Outcome.Repeated"/>, so importing the same file twice is a no-op.
    /// </summary>
    private async Task<Outcome> SaveAsync(AdminScope scope, string kind, long? id, DateTime now, Tx? inTx, object row, string selectBefore, string insert, string update,
        string duplicates, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task>? check = null)
    {
        async Task<Outcome> Work(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t)
        {
            if (await c.ExecuteScalarAsync<int>(duplicates, row, t) > 0) throw new RuleViolation("Catalogue.Duplicate");
            if (check is not null) await check(c, t);
            if (id is null)
            {
                var created = await c.QuerySingleAsync<long>(insert, row, t);
                await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, $"{kind}.create", $"{kind}:{created}", null, null, row), now);
                return Outcome.Created(created);
            }
            var before = (await c.QueryAsync(selectBefore, row, t)).FirstOrDefault() as IDictionary<string, object?> ?? throw new RuleViolation("Org.NotFound");
            await c.ExecuteAsync(update, row, t);
            var after = (IDictionary<string, object?>)(await c.QueryAsync(selectBefore, row, t)).First();
            if (before.Values.Select(v => v?.ToString()).SequenceEqual(after.Values.Select(v => v?.ToString()))) return Outcome.Repeated(id.Value);
            await Audit.WriteAsync(c, t, new AuditEntry(scope.Actor, $"{kind}.update", $"{kind}:{id}", null, before, row), now);
            return Outcome.Created(id.Value);
        }
        return inTx is { } outer ? await UseCase.WithinAsync(outer.Connection, outer.Transaction, Work) : await db.RunAsync(Work, "Catalogue.Duplicate");
    }

    private static Task<Outcome> Refused(string key, params object[] args) => Task.FromResult(Outcome.Refused(key, args));

    private static (string? Zh, string? En) Names(string? zh, string? en)
    {
        var z = Text(zh, 100);
        var e = Text(en, 100);
        return (z ?? e, e ?? z);
    }

    private static string? Text(string? value, int max) => TextRules.Clean(value) is { Length: > 0 } s && s.Length <= max ? s : null;

    /// <summary>Phrases, one per line: each a clean line of 10–300 characters, at most <see cref="MaxPhrases"/>; null when invalid.</summary>
    private static string? Phrases(string? text)
    {
        var lines = (text ?? "").Split('\n').Select(TextRules.Clean).Where(l => l.Length > 0).ToList();
        if (lines.Count > MaxPhrases || lines.Any(l => l.Length is < 10 or > 300)) return null;
        return string.Join('\n', lines);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex Code();

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex Color();
}
