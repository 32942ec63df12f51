using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Praise;

/// <summary>
/// /thanks/{code}: the public form a customer or partner opens from a QR card — no sign-in, phone first. Before anything
/// is stored: antiforgery, a size limit, a honeypot field, a minimum fill time (the form carries its protected start
/// time), rate limits per address and per code (in the database, shared by instances), then the content rules.
/// </summary>
[AllowAnonymous]
[RequestSizeLimit(PraiseLimits.MaxBody)]
public sealed class ThanksModel(PraiseService praise, PraiseCodes codes, AttemptLimiter limiter, IDataProtectionProvider protection, PolicyStore policies,
    TimeProvider clock, IStringLocalizer<SharedResource> L) : FormPage
{
    public PraiseCode? Code { get; private set; }
    public IReadOnlyList<(string Key, string Name)> Choices { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Values { get; private set; } = [];
    public RulesOptions Rules { get; private set; } = RulesOptions.Product;
    public string Started { get; private set; } = "";
    public bool Sent { get; private set; }
    [BindProperty] public string? Who { get; set; }
    [BindProperty] public string? Message { get; set; }
    [BindProperty] public long? ValueId { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Company { get; set; }
    [BindProperty] public string? Contact { get; set; }

    private IDataProtector Protector => protection.CreateProtector("praise-form-start");

    public async Task<IActionResult> OnGetAsync(string code, bool sent = false)
    {
        Response.Headers.CacheControl = "no-store";
        Code = await codes.FindAsync(code);
        if (Code is not { Active: true }) return Retired();
        Sent = sent;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, string? website, string? started)
    {
        Response.Headers.CacheControl = "no-store";
        var now = clock.GetUtcNow().UtcDateTime;
        Code = await codes.FindAsync(code);
        if (Code is not { Active: true }) return Retired();
        // Limits first: a flood costs one counter update per post and nothing else.
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await limiter.ReserveAsync([new AttemptBucket($"praise-ip:{ip}", PraiseLimits.PerAddress, PraiseLimits.AddressWindow),
                new AttemptBucket($"praise-code:{Code.Id}", PraiseLimits.PerCode, PraiseLimits.CodeWindow)], now) is { } blocked)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)blocked.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Content(PraiseLimits.Page(L["Praise.TooMany"], L["Praise.Title"]), "text/html; charset=utf-8");
        }
        // A filled honeypot or a form sent faster than a person can write: thanked, not stored.
        if (!string.IsNullOrEmpty(website) || !StartedLongEnoughAgo(started, now)) return Redirect($"/thanks/{Code.Code}?sent=true");
        var outcome = await praise.SubmitAsync(new PraiseForm(code, Who, Message, ValueId, Name, Company, Contact), now);
        if (outcome.Ok) return Redirect($"/thanks/{Code.Code}?sent=true");
        await LoadAsync();
        return Refuse(outcome);
    }

    private bool StartedLongEnoughAgo(string? token, DateTime now)
    {
        try
        {
            var ticks = long.Parse(Protector.Unprotect(token ?? ""), CultureInfo.InvariantCulture);
            return now - new DateTime(ticks, DateTimeKind.Utc) >= PraiseLimits.MinFillTime;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return false;
        }
    }

    private IActionResult Retired()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Content(PraiseLimits.Page(L["Praise.CodeRetired"], L["Praise.Title"]), "text/html; charset=utf-8");
    }

    private async Task LoadAsync()
    {
        Choices = await praise.ChoicesAsync(Code!);
        Values = await praise.ValuesAsync();
        Rules = await policies.ForSiteAsync(Code!.SiteId);
        Started = Protector.Protect(clock.GetUtcNow().UtcDateTime.Ticks.ToString(CultureInfo.InvariantCulture));
    }
}
