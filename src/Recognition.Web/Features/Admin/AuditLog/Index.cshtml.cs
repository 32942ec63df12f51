using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Admin.AuditLog;

public sealed class AuditRow
{
    public long Id { get; init; }
    public DateTime AtUtc { get; init; }
    public string? ActorNo { get; init; }
    public string Action { get; init; } = "";
    public string? Target { get; init; }
    public string? Detail { get; init; }
    public string? BeforeJson { get; init; }
    public string? AfterJson { get; init; }
    public string? Ip { get; init; }
    public string TimeZone { get; init; } = "UTC";
}

/// <summary>/Admin/Audit: who changed what and when, with before and after; filtered and paged, limited to the admin's sites.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(Db db) : PageModel
{
    public const int PageSize = 50;
    public IReadOnlyList<AuditRow> Rows { get; private set; } = [];
    public string? Who { get; private set; }
    public string? What { get; private set; }
    public string? From { get; private set; }
    public string? To { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public bool More { get; private set; }

    public async Task OnGetAsync(string? who, string? what, string? from, string? to, int page = 1)
    {
        var scope = AdminScope.Of(User);
        (Who, What, From, To, PageNumber) = (Trim(who), Trim(what), from, to, Math.Clamp(page, 1, 10_000));
        static DateTime? Day(string? d) => DateTime.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var v) ? v : null;
        var args = new
        {
            org = scope.Org ? 1 : 0, home = scope.HomeSite, who = Who, what = What is null ? null : What + "%",
            from = Day(from), to = Day(to)?.AddDays(1), skip = (PageNumber - 1) * PageSize, take = PageSize + 1,
        };
        await using var c = await db.OpenAsync();
        var rows = (await c.QueryAsync<AuditRow>(db.Dialect.Page(
            @"SELECT a.id AS Id, a.at_utc AS AtUtc, e.employee_no AS ActorNo, a.action AS Action, a.target AS Target, a.detail AS Detail,
                     a.before_json AS BeforeJson, a.after_json AS AfterJson, a.ip AS Ip, COALESCE(s.time_zone, 'UTC') AS TimeZone
              FROM audit_log a LEFT JOIN employees e ON e.id = a.actor_id LEFT JOIN sites s ON s.id = COALESCE(a.site_id, e.site_id)
              WHERE (@org = 1 OR a.site_id = @home OR (a.site_id IS NULL AND e.site_id = @home))
                AND (@who IS NULL OR UPPER(e.employee_no) = UPPER(@who)) AND (@what IS NULL OR a.action LIKE @what)
                AND (@from IS NULL OR a.at_utc >= @from) AND (@to IS NULL OR a.at_utc < @to)
              ORDER BY a.id DESC"), args)).ToList();
        More = rows.Count > PageSize;
        Rows = rows.Take(PageSize).ToList();
    }

    public string PageUrl(int page) =>
        $"/Admin/Audit?who={Uri.EscapeDataString(Who ?? "")}&what={Uri.EscapeDataString(What ?? "")}&from={From}&to={To}&page={page}";

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim()[..Math.Min(s.Trim().Length, 100)];
}
