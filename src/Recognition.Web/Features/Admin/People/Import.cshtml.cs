using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin.People;

/// <summary>/Admin/Import: template, upload → preview (dry run) → Apply; and the export.</summary>
[Authorize(Policy = Policies.Admin)]
[RequestFormLimits(MultipartBodyLengthLimit = PeopleCsv.MaxBytes + 64 * 1024)]
public sealed class ImportModel(PeopleImport import, AdminLookups lookups, ImportUploads uploads, TimeProvider clock) : FormPage
{
    [BindProperty] public bool DeactivateMissing { get; set; }
    [BindProperty] public long? SiteId { get; set; }
    [BindProperty] public string? Upload { get; set; }
    public ImportPlan? Plan { get; private set; }
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
        // The file waits for Apply, tied to this admin, so Apply applies exactly what was previewed.
        Upload = await uploads.KeepAsync(User.EmployeeId(), bytes);
        if (!Plan.CanApply) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync()
    {
        Sites = await lookups.SitesAsync(Scope);
        if (Upload is null || await uploads.FindAsync(User.EmployeeId(), Upload) is not { } bytes) return Fail("Import.Expired");
        Plan = await import.ApplyAsync(bytes, Options(), Scope, HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow().UtcDateTime);
        if (Plan.Applied || Plan.CanApply) uploads.Remove(User.EmployeeId(), Upload);
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

    private PageResult Fail(string key, params object[] args) =>
        Refuse(Outcome.Refused(key, args), key == "Import.TooBig" ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity);
}
