using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Web.Features.Praise;

/// <summary>
/// /thanks/{code}: the public form a customer or partner opens from a QR card — no sign-in, phone first. Before anything
/// is stored: antiforgery, a size limit, a honeypot field, a minimum fill time (the form carries its protected start
/// time), rate limits per address and per code (in the database, shared by instances), then the content rules.
/// </summary>
[AllowAnonymous]
[RequestSizeLimit(PraiseLimits.MaxBody)]
public sealed class ThanksModel(PraiseService praise, PraiseCodes codes, AttemptLimiter limiter, IDataProtectionProvider protection, PolicyStore policies,
    TimeProvider clock, IStringLocalizer<SharedResource> L) : PageModel
{
    public PraiseCode? Code { get; private set; }
    public IReadOnlyList<(string Key, string Name)> Choices { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name)> Values { get; private set; } = [];
    public RulesOptions Rules { get; private set; } = RulesOptions.Product;
    public string Started { get; private set; } = "";
    public bool Sent { get; private set; }
    public string? Error { get; private set; }
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
        Error = L[outcome.Error!, outcome.Args];
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync();
        return Page();
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

/// <summary>The public form's limits (one place, so tests and the README quote the same numbers).</summary>
public static class PraiseLimits
{
    public const int MaxBody = 16 * 1024;
    public const int PerAddress = 10;
    public static readonly TimeSpan AddressWindow = TimeSpan.FromHours(1);
    public const int PerCode = 100;
    public static readonly TimeSpan CodeWindow = TimeSpan.FromDays(1);
    public static readonly TimeSpan MinFillTime = TimeSpan.FromSeconds(3);

    /// <summary>A small, friendly, self-contained page for refusals that happen before the form can be shown.</summary>
    public static string Page(string message, string title) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{System.Net.WebUtility.HtmlEncode(title)}</title>" +
        $"<link rel=\"stylesheet\" href=\"/css/site.css\"></head><body><main><section class=\"card narrow\"><h1>{System.Net.WebUtility.HtmlEncode(title)}</h1>" +
        $"<p id=\"thanks-refused\">{System.Net.WebUtility.HtmlEncode(message)}</p></section></main></body></html>";
}

/// <summary>Once a day: rejected submissions older than 30 days are deleted with their text and contact details.</summary>
public sealed class PraisePurge(PraiseService praise, TimeProvider clock, ILogger<PraisePurge> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var n = await praise.PurgeAsync(clock.GetUtcNow().UtcDateTime);
                if (n > 0) log.LogInformation("Purged {Count} rejected customer messages", n);
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogError(ex, "Purging rejected customer messages failed"); }
            try { await Task.Delay(TimeSpan.FromHours(6), clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
