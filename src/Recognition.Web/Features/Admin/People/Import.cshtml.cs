using System.Security.Cryptography;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Web.Features.Admin.People;

/// <summary>/Admin/Import: template, upload → preview (dry run) → Apply; and the export.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class ImportModel(PeopleImport import, AdminLookups lookups, IMemoryCache cache, TimeProvider clock, IStringLocalizer<SharedResource> L) : PageModel
{
    [BindProperty] public bool DeactivateMissing { get; set; }
    [BindProperty] public long? SiteId { get; set; }
    [BindProperty] public string? Upload { get; set; }
    public ImportPlan? Plan { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<Option> Sites { get; private set; } = [];

    private AdminScope Scope => AdminScope.Of(User);

    public async Task OnGetAsync() => Sites = await lookups.SitesAsync(Scope);

    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? file)
    {
        Sites = await lookups.SitesAsync(Scope);
        if (file is null || file.Length == 0) return Fail("Import.Empty");
        if (file.Length > PeopleCsv.MaxBytes) return Fail("Import.TooBig", PeopleCsv.MaxBytes / 1024 / 1024);
        using var ms = new MemoryStream();
        await file.CopyToAsync(ms);
        var bytes = ms.ToArray();
        Plan = await import.PreviewAsync(bytes, Options(), Scope);
        if (Plan.FileError is not null) return Fail(Plan.FileError, Plan.FileErrorArgs);
        // The file waits for Apply here, tied to this admin, so Apply applies exactly what was previewed.
        Upload = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        cache.Set(CacheKey(Upload), bytes, TimeSpan.FromMinutes(30));
        if (!Plan.CanApply) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync()
    {
        Sites = await lookups.SitesAsync(Scope);
        if (Upload is null || !cache.TryGetValue(CacheKey(Upload), out byte[]? bytes) || bytes is null) return Fail("Import.Expired");
        Plan = await import.ApplyAsync(bytes, Options(), Scope, HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        if (Plan.Applied || Plan.CanApply) cache.Remove(CacheKey(Upload));
        if (!Plan.CanApply) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public IActionResult OnGetTemplate() => File(PeopleCsv.Write(
        [
            ["E1001", "王伟", "Wei Wang", "wei.wang@example.com", "STAMP-1", "S1001", "employee", "zh-CN", "", "", "yes"],
            ["S1001", "李娜", "Na Li", "", "STAMP-1", "", "employee;supervisor", "en-US", "", "", "yes"],
        ]), "text/csv; charset=utf-8", "people-template.csv");

    public async Task<IActionResult> OnGetExportAsync(long? site) =>
        File((await import.ExportAsync(Scope.ListSite(site))).File, "text/csv; charset=utf-8", $"people-{clock.GetUtcNow():yyyyMMdd}.csv");

    private ImportOptions Options() => new(Scope.Org && SiteId is { } chosen && Scope.Covers(chosen) ? chosen : Scope.HomeSite, DeactivateMissing);

    private string CacheKey(string upload) => $"import:{User.EmployeeId()}:{upload}";

    private PageResult Fail(string key, params object[] args)
    {
        Error = L[key, args];
        Response.StatusCode = key == "Import.TooBig" ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}

/// <summary>
/// An upload larger than the import allows is answered before its body is read (or antiforgery buffers it):
/// 413 with the reason in the person's language, nothing stored.
/// </summary>
public static class ImportSizeGuard
{
    private const long Slack = 64 * 1024; // multipart boundaries and the form's other fields

    /// <summary>Other requests pass straight on (no frame of this middleware stays alive under a wall's open connection).</summary>
    public static IApplicationBuilder UseImportSizeGuard(this IApplicationBuilder app) => app.Use((context, next) =>
        HttpMethods.IsPost(context.Request.Method)
        && context.Request.Path.StartsWithSegments("/Admin/Import", StringComparison.OrdinalIgnoreCase)
        && context.Request.ContentLength > PeopleCsv.MaxBytes + Slack ? RejectAsync(context) : next(context));

    private static Task RejectAsync(HttpContext context)
    {
        var L = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.Headers.Connection = "close";
        context.Response.ContentType = "text/html; charset=utf-8";
        var message = System.Net.WebUtility.HtmlEncode(L["Import.TooBig", PeopleCsv.MaxBytes / 1024 / 1024]);
        return context.Response.WriteAsync($"<!doctype html><meta charset=\"utf-8\"><title>413</title><p id=\"import-error\">{message}</p><p><a href=\"/Admin/Import\">←</a></p>");
    }
}
