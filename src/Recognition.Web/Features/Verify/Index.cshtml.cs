using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Verify;

/// <summary>
/// The public page a certificate's QR code opens: the recognition's public facts, or that it was revoked.
/// Codes are 128 random bits; anything else is simply "not found".
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(Db db) : PageModel
{
    public VerifyRow? Row { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code)
    {
        if (code is not { Length: 32 } || !code.All(char.IsAsciiHexDigitLower)) return NotFoundPage();
        await using var conn = await db.OpenAsync();
        Row = await conn.QuerySingleOrDefaultAsync<VerifyRow>(
            @"SELECT 'recognition' AS Kind, r.status AS Status, r.visibility AS Visibility, r.message AS Message, r.created_utc AS CreatedUtc, r.revoked_utc AS RevokedUtc,
                     b.name_zh AS BadgeZh, b.name_en AS BadgeEn, v.name_zh AS ValueZh, v.name_en AS ValueEn, g.name_zh AS GiverZh, g.name_en AS GiverEn,
                     s.name_zh AS SiteZh, s.name_en AS SiteEn, s.time_zone AS TimeZone, r.id AS Id
              FROM recognitions r JOIN sites s ON s.id = r.site_id JOIN employees g ON g.id = r.giver_id
              LEFT JOIN badges b ON b.id = r.badge_id LEFT JOIN core_values v ON v.id = r.value_id WHERE r.verify_code = @code", new { code })
            ?? await conn.QuerySingleOrDefaultAsync<VerifyRow>(
            @"SELECT 'achievement' AS Kind, 'active' AS Status, 'public' AS Visibility, b.description_zh AS Message, eb.created_utc AS CreatedUtc,
                     b.name_zh AS BadgeZh, b.name_en AS BadgeEn, s.name_zh AS SiteZh, s.name_en AS SiteEn, s.time_zone AS TimeZone, eb.employee_id AS Id
              FROM employee_badges eb JOIN badges b ON b.id = eb.badge_id JOIN employees e ON e.id = eb.employee_id JOIN sites s ON s.id = e.site_id
              WHERE eb.verify_code = @code", new { code });
        if (Row is null) return NotFoundPage();
        Row.Recipients = Row.Kind == "recognition"
            ? (await conn.QueryAsync<(string? Zh, string? En)>(
                "SELECT e.name_zh, e.name_en FROM recognition_recipients x JOIN employees e ON e.id = x.employee_id WHERE x.recognition_id = @Id ORDER BY e.id", new { Row.Id }))
                .Select(n => Bilingual.Pick(n.Zh, n.En)).ToList()
            : (await conn.QueryAsync<(string? Zh, string? En)>("SELECT name_zh, name_en FROM employees WHERE id = @Id", new { Row.Id }))
                .Select(n => Bilingual.Pick(n.Zh, n.En)).ToList();
        return Page();
    }

    private IActionResult NotFoundPage()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}

public sealed class VerifyRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Status { get; init; } = "";
    public string Visibility { get; init; } = "";
    public string? Message { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime? RevokedUtc { get; init; }
    public string? BadgeZh { get; init; }
    public string? BadgeEn { get; init; }
    public string? ValueZh { get; init; }
    public string? ValueEn { get; init; }
    public string? GiverZh { get; init; }
    public string? GiverEn { get; init; }
    public string SiteZh { get; init; } = "";
    public string SiteEn { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public List<string> Recipients { get; set; } = [];
    public string Date => SiteTime.ToLocal(CreatedUtc, TimeZone).ToString("yyyy-MM-dd");
}
