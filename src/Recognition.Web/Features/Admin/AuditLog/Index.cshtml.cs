using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure;

namespace Recognition.Web.Features.Admin.AuditLog;

public sealed class AuditRow
{
    public long Id { get; init; }
    public DateTime AtUtc { get; init; }
    public long? ActorId { get; init; }
    public string? ActorNo { get; init; }
    public string? ActorZh { get; init; }
    public string? ActorEn { get; init; }
    public string Action { get; init; } = "";
    public string? Target { get; init; }
    public string? Detail { get; init; }
    public string? BeforeJson { get; init; }
    public string? AfterJson { get; init; }
    public string? Ip { get; init; }
    public string TimeZone { get; init; } = "UTC";
    public long? SiteId { get; init; }
}

/// <summary>What a row's target is, as a person reads it: a name (and a link to where it is managed) or a short label.</summary>
public sealed record AuditTarget(string Text, string? Href);

/// <summary>
/// /Admin/Audit: who did what to whom and when, readable in both languages — the action named, the person and the target by
/// name with links, the time in the site's zone, before/after on demand; filtered by kind, person and dates; paged; CSV of
/// the same filters. Limited to the admin's sites.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(Db db, IStringLocalizer<SharedResource> L, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;
    public const int CsvMax = 50_000;

    /// <summary>The kinds the filter offers (an action's part before the dot).</summary>
    public static readonly string[] Kinds =
        ["signin", "signout", "person", "people", "kiosk", "device", "recognition", "claim", "clue", "praise", "order", "reward", "policy",
         "site", "area", "shift", "team", "value", "badge", "rule", "channel", "api", "scim", "sso", "setup"];

    public IReadOnlyList<AuditRow> Rows { get; private set; } = [];
    public IReadOnlyDictionary<string, AuditTarget> Targets { get; private set; } = new Dictionary<string, AuditTarget>();
    public string? Who { get; private set; }
    public string? What { get; private set; }
    public string? From { get; private set; }
    public string? To { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public bool More { get; private set; }

    public async Task OnGetAsync(string? who, string? what, string? from, string? to, int page = 1)
    {
        var rows = await QueryAsync(who, what, from, to, Math.Clamp(page, 1, 10_000), PageSize + 1);
        More = rows.Count > PageSize;
        Rows = rows.Take(PageSize).ToList();
        Targets = await ResolveAsync(Rows);
    }

    /// <summary>The same filters as the page, every row (up to <see cref="CsvMax"/>), in the reader's language.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? who, string? what, string? from, string? to)
    {
        var rows = await QueryAsync(who, what, from, to, 1, CsvMax);
        var targets = await ResolveAsync(rows);
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return File(Csv.Write(["when", "who", "employee_no", "what", "action", "target", "target_id", "detail", "before", "after"],
            rows.Select(r => (IReadOnlyList<string?>)[Domain.SiteTime.Format(r.AtUtc, r.TimeZone), ActorName(r), r.ActorNo, ActionText(r.Action), r.Action,
                TargetOf(r, targets)?.Text, r.Target, r.Detail, r.BeforeJson, r.AfterJson])), "text/csv; charset=utf-8", $"audit-{stamp}.csv");
    }

    public string ActionText(string action)
    {
        var s = L["Audit.Act." + action];
        return s.ResourceNotFound ? action : s.Value;
    }

    public string KindText(string kind) => L["Audit.Kind." + kind];

    public string ActorName(AuditRow r) => r.ActorId is null ? L["Audit.System"] : Bilingual.Pick(r.ActorZh, r.ActorEn) ?? r.ActorNo ?? "—";

    public static AuditTarget? TargetOf(AuditRow r, IReadOnlyDictionary<string, AuditTarget> targets) =>
        r.Target is null ? null : targets.TryGetValue(r.Target, out var t) ? t : new AuditTarget(r.Target, null);

    private async Task<List<AuditRow>> QueryAsync(string? who, string? what, string? from, string? to, int page, int take)
    {
        var scope = AdminScope.Of(User);
        (Who, What, From, To, PageNumber) = (Trim(who), Trim(what), Date(from), Date(to), page);
        // A kind from the list ("person.") or an action's code as typed; a person by employee number or part of a name.
        var whatLike = What is null ? null : What.EndsWith('.') ? What + "%" : What.Contains('.') ? What : What + ".%";
        var args = new
        {
            org = scope.Org ? 1 : 0, home = scope.HomeSite, who = Who, whoLike = Who is null ? null : "%" + Who + "%", what = whatLike,
            from = Day(From), to = Day(To)?.AddDays(1), skip = (page - 1) * PageSize, take,
        };
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<AuditRow>(db.Dialect.Page(
            @"SELECT a.id AS Id, a.at_utc AS AtUtc, a.actor_id AS ActorId, e.employee_no AS ActorNo, e.name_zh AS ActorZh, e.name_en AS ActorEn,
                     a.action AS Action, a.target AS Target, a.detail AS Detail, a.before_json AS BeforeJson, a.after_json AS AfterJson, a.ip AS Ip,
                     COALESCE(s.time_zone, 'UTC') AS TimeZone, COALESCE(a.site_id, e.site_id) AS SiteId
              FROM audit_log a LEFT JOIN employees e ON e.id = a.actor_id LEFT JOIN sites s ON s.id = COALESCE(a.site_id, e.site_id)
              WHERE (@org = 1 OR a.site_id = @home OR (a.site_id IS NULL AND e.site_id = @home))
                AND (@who IS NULL OR UPPER(e.employee_no) = UPPER(@who) OR e.name_zh LIKE @whoLike OR UPPER(e.name_en) LIKE UPPER(@whoLike))
                AND (@what IS NULL OR a.action LIKE @what)
                AND (@from IS NULL OR a.at_utc >= @from) AND (@to IS NULL OR a.at_utc < @to)
              ORDER BY a.id DESC"), args)).ToList();
    }

    /// <summary>
    /// Names for the rows' targets ("employee:12" → the person, linked), one query per kind of target. Only ids the admin's
    /// scope allows are named (a row from another site never reaches here; the site check is repeated for the names).
    /// </summary>
    private async Task<IReadOnlyDictionary<string, AuditTarget>> ResolveAsync(IReadOnlyList<AuditRow> rows)
    {
        var scope = AdminScope.Of(User);
        var byKind = rows.Select(r => r.Target).OfType<string>().Where(t => t.IndexOf(':') > 0)
            .Select(t => (Kind: t[..t.IndexOf(':')], Key: t[(t.IndexOf(':') + 1)..], Full: t))
            .Distinct().GroupBy(x => x.Kind).ToDictionary(g => g.Key, g => g.ToList());
        var result = new Dictionary<string, AuditTarget>();
        var args = new { org = scope.Org ? 1 : 0, home = scope.HomeSite };
        await using var c = await db.OpenAsync();
        async Task NamesAsync(string kind, string sql, Func<long, string> href)
        {
            if (!byKind.TryGetValue(kind, out var list)) return;
            var ids = list.Select(x => long.TryParse(x.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).Distinct().ToArray();
            if (ids.Length == 0) return;
            var names = (await c.QueryAsync<(long Id, string? Zh, string? En)>(sql, new { ids, args.org, args.home })).ToDictionary(n => n.Id);
            foreach (var x in list)
            {
                if (long.TryParse(x.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && names.TryGetValue(id, out var n))
                    result[x.Full] = new AuditTarget(Bilingual.Pick(n.Zh, n.En) ?? x.Full, href(id));
            }
        }
        const string InScope = " AND (@org = 1 OR site_id = @home)";
        await NamesAsync("employee", "SELECT id, name_zh, name_en FROM employees WHERE id IN @ids" + InScope, id => $"/Admin/Person?id={id}");
        await NamesAsync("team", "SELECT id, name_zh, name_en FROM teams WHERE id IN @ids" + InScope, _ => "/Admin/Organisation");
        await NamesAsync("device", "SELECT id, name AS name_zh, name AS name_en FROM devices WHERE id IN @ids" + InScope, _ => "/Admin/Devices");
        await NamesAsync("kiosk", "SELECT id, name AS name_zh, name AS name_en FROM devices WHERE id IN @ids" + InScope, _ => "/Admin/Devices");
        await NamesAsync("reward", "SELECT id, name_zh, name_en FROM rewards WHERE id IN @ids" + InScope, id => $"/Admin/Rewards/Item?id={id}");
        await NamesAsync("channel", "SELECT id, name AS name_zh, name AS name_en FROM channels WHERE id IN @ids" + InScope, _ => "/Admin/Channels");
        await NamesAsync("site", "SELECT id, name_zh, name_en FROM sites WHERE id IN @ids AND (@org = 1 OR id = @home)", _ => "/Admin/Organisation");
        if (byKind.TryGetValue("employee_no", out var nos))
        {
            var found = (await c.QueryAsync<(long Id, string No, string? Zh, string? En)>(
                "SELECT id, employee_no, name_zh, name_en FROM employees WHERE employee_no IN @nos" + InScope,
                new { nos = nos.Select(x => x.Key).Distinct().ToArray(), args.org, args.home })).ToList();
            foreach (var x in nos)
            {
                if (found.FirstOrDefault(f => string.Equals(f.No, x.Key, StringComparison.OrdinalIgnoreCase)) is { Id: > 0 } f)
                    result[x.Full] = new AuditTarget(Bilingual.Pick(f.Zh, f.En) ?? x.Key, $"/Admin/Person?id={f.Id}");
            }
        }
        foreach (var (kind, label) in new[] { ("order", "Audit.Order"), ("recognition", "Audit.Recognition") })
        {
            if (byKind.TryGetValue(kind, out var list))
                foreach (var x in list) result.TryAdd(x.Full, new AuditTarget(L[label, x.Key], null));
        }
        foreach (var (kind, list) in byKind)
        {
            if (!Kinds.Contains(kind) && kind is not ("employee" or "kiosk" or "employee_no" or "api_token" or "scim_token" or "praise_code")) continue;
            foreach (var x in list) result.TryAdd(x.Full, new AuditTarget($"{KindText(kind == "employee" ? "person" : kind == "kiosk" ? "device" : kind.Replace("_token", "").Replace("_code", ""))} {L["Audit.Item", x.Key]}", null));
        }
        return result;
    }

    public string PageUrl(int page) =>
        $"/Admin/Audit?who={Uri.EscapeDataString(Who ?? "")}&what={Uri.EscapeDataString(What ?? "")}&from={From}&to={To}&page={page}";

    public string CsvUrl() =>
        $"/Admin/Audit?handler=Csv&who={Uri.EscapeDataString(Who ?? "")}&what={Uri.EscapeDataString(What ?? "")}&from={From}&to={To}";

    private static DateTime? Day(string? d) => DateTime.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var v) ? v : null;

    private static string? Date(string? d) => Day(d) is null ? null : d;

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim()[..Math.Min(s.Trim().Length, 100)];
}
