using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Features.Admin.People;

/// <summary>`people import FILE [--dry-run] [--deactivate-missing] [--site CODE]` and `people export FILE [--site CODE]`.</summary>
public static class ImportCommands
{
    public static async Task<int> ImportAsync(IServiceProvider services, string file, string[] options)
    {
        if (await CommandFiles.ReadAsync("people import", file, PeopleCsv.MaxBytes) is not { } bytes)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { @new = 0, changed = 0, deactivated = 0, unchanged = 0, errors = 1 }));
            return 1;
        }
        var (siteOk, site) = await SiteAsync(services, options, "people import");
        if (!siteOk) return 2;
        var import = services.GetRequiredService<PeopleImport>();
        var importOptions = new ImportOptions(site, options.Contains("--deactivate-missing"));
        var plan = options.Contains("--dry-run")
            ? await import.PreviewAsync(bytes, importOptions, AdminScope.CommandLine)
            : await import.ApplyAsync(bytes, importOptions, AdminScope.CommandLine, null, DateTime.UtcNow);
        Console.WriteLine(JsonSerializer.Serialize(plan.Summary));
        // What is wrong, in English, one line each, on stderr (stdout stays one JSON line for scripts).
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en-US");
        var L = services.GetRequiredService<IStringLocalizer<SharedResource>>();
        if (plan.FileError is not null) Console.Error.WriteLine($"file: {L[plan.FileError, plan.FileErrorArgs]}");
        foreach (var e in plan.Errors) Console.Error.WriteLine($"row {e.Row} ({e.EmployeeNo}): {L[e.Key, e.Args]}");
        return plan.CanApply ? 0 : 1;
    }

    public static async Task<int> ExportAsync(IServiceProvider services, string file, string[] options)
    {
        var (siteOk, site) = await SiteAsync(services, options, "people export");
        if (!siteOk) return 2;
        var (bytes, count) = await services.GetRequiredService<PeopleImport>().ExportAsync(site);
        await File.WriteAllBytesAsync(file, bytes);
        Console.WriteLine($"Exported {count} people to {file}.");
        return 0;
    }

    /// <summary>The site named by --site CODE (none: null); false after saying the code is unknown.</summary>
    private static async Task<(bool Ok, long? Site)> SiteAsync(IServiceProvider services, string[] options, string verb)
    {
        if (Option(options, "--site") is not { } code) return (true, null);
        var site = await services.GetRequiredService<Db>().ReadAsync(c => c.ExecuteScalarAsync<long?>("SELECT id FROM sites WHERE code = @code", new { code }));
        if (site is null) Console.Error.WriteLine($"{verb}: unknown site code '{code}'.");
        return (site is not null, site);
    }

    private static string? Option(string[] options, string name) =>
        Array.IndexOf(options, name) is var i and >= 0 && i + 1 < options.Length ? options[i + 1] : null;
}
