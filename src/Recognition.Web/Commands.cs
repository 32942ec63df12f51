using Recognition.Web.Features.Demo;

namespace Recognition.Web;

/// <summary>Command-line verbs (`dotnet run --project src/Recognition.Web -- VERB`). Scripts rely on them and on their exit codes.</summary>
public static class Commands
{
    public const string Usage =
        """
        Usage: dotnet run --project src/Recognition.Web -- [VERB]
          (no verb)        run the web app
          migrate          apply pending migrations and exit
          migrate --list   list every migration: applied (with its time), pending or changed; applies nothing
          seed demo [--force]
                           add the demo plant to an empty database (refused in Production without --force)
          people import FILE [--dry-run] [--deactivate-missing] [--site CODE]
                           upsert people from a CSV file by employee number; prints one JSON line
                           {"new":…,"changed":…,"deactivated":…,"unchanged":…,"errors":…}, exits 1 when any row is bad
                           (then nothing is applied; the reasons go to stderr)
          people export FILE [--site CODE]
                           everyone (or one site) as CSV: UTF-8 with BOM, safe to open in Excel
          catalogue export FILE.json
                           values, badges, point rules and achievement thresholds as JSON
          catalogue import FILE.json [--dry-run]
                           upsert them by code (system rules by system key) in one transaction; prints one JSON line
                           {"created":…,"changed":…,"unchanged":…,"errors":…,"applied":…}; exits 1 on any error (nothing written)
          backup FILE      a consistent copy of the embedded database while the app serves (SQLite VACUUM INTO)
          restore FILE     replace the embedded database with a backup: refused while the app runs; checks the file's
                           integrity and migration level first; keeps the replaced file as <db>.before-restore-<time>
          health [URL]     exit 0 when URL (default http://127.0.0.1:8080/healthz) answers 200, else 1 (Docker's HEALTHCHECK)
          setup --site-name NAME --time-zone ZONE --admin-no NO --admin-name NAME [--site-code CODE] [--language zh-CN|en-US]
                           first run without a browser: the first site and its first admin (an organisation admin);
                           the password comes from RECOGNITION_ADMIN_PASSWORD, else one is generated and printed once
        """;

    private static int Report(Infrastructure.Backup.Backups.Result r)
    {
        (r.Ok ? Console.Out : Console.Error).WriteLine(r.Message);
        return r.Ok ? 0 : 2;
    }

    /// <summary>True when the arguments name a verb rather than host options such as --urls.</summary>
    public static bool IsVerb(string[] args) => args is [var first, ..] && !first.StartsWith('-');

    private static async Task<int> CatalogueImportAsync(WebApplication app, string file, bool dryRun)
    {
        if (await CommandFiles.ReadAsync("catalogue import", file, Features.Admin.Catalogue.CatalogueFile.MaxBytes) is not { } bytes) return 1;
        var result = await app.Services.GetRequiredService<Features.Admin.Catalogue.CatalogueFile>()
            .ImportAsync(bytes, dryRun, Recognition.Web.Domain.AdminScope.CommandLine, DateTime.UtcNow);
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(result.Summary));
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en-US");
        var L = app.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
        foreach (var e in result.Errors) Console.Error.WriteLine(Features.Admin.Catalogue.CatalogueFile.Describe(e, L));
        return result.Errors.Count > 0 ? 1 : 0;
    }

    private static async Task<int> SetupAsync(WebApplication app, string[] options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Length; i += 2)
        {
            if (i + 1 >= options.Length || !options[i].StartsWith("--", StringComparison.Ordinal) || values.ContainsKey(options[i]))
            {
                Console.Error.WriteLine($"setup: expected --option VALUE pairs, got '{string.Join(' ', options)}'.");
                Console.Error.WriteLine(Usage);
                return 2;
            }
            values[options[i]] = options[i + 1];
        }
        string? Get(string name) => values.GetValueOrDefault(name);
        var unknown = values.Keys.Except(["--site-name", "--time-zone", "--admin-no", "--admin-name", "--site-code", "--language"]).ToList();
        if (unknown.Count > 0 || Get("--site-name") is null || Get("--time-zone") is null || Get("--admin-no") is null || Get("--admin-name") is null)
        {
            Console.Error.WriteLine(unknown.Count > 0 ? $"setup: unknown option {unknown[0]}." : "setup: --site-name, --time-zone, --admin-no and --admin-name are required.");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        await app.MigrateRecognitionDataAsync();
        var fromEnvironment = Environment.GetEnvironmentVariable("RECOGNITION_ADMIN_PASSWORD");
        var password = string.IsNullOrEmpty(fromEnvironment) ? Infrastructure.Auth.PasswordPolicy.Generate() : fromEnvironment;
        var english = Get("--language") == "en-US";
        var outcome = await app.Services.GetRequiredService<Features.Setup.SetupService>().CreateAsync(new Features.Setup.SetupCommand(
            Get("--site-code") ?? "SITE1", Get("--site-name"), Get("--site-name"), Get("--time-zone"), Get("--language") ?? "zh-CN",
            Get("--admin-no"), english ? null : Get("--admin-name"), english ? Get("--admin-name") : null, password), DateTime.UtcNow);
        if (!outcome.Ok)
        {
            // Operators read this in a terminal or a script log: the English text of the same message the page shows.
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en-US");
            var text = app.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>()[outcome.Error!, outcome.Args];
            Console.Error.WriteLine($"setup: {text}");
            return 1;
        }
        Console.WriteLine($"Setup complete: site '{Get("--site-name")}' and admin {Get("--admin-no")?.Trim()} created.");
        if (string.IsNullOrEmpty(fromEnvironment)) Console.WriteLine($"Admin password (shown once, change it after signing in): {password}");
        return 0;
    }

    /// <summary>Runs a verb; what goes wrong with the operator's input or files is one line on stderr and exit 1, never a stack trace.</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            return await RunVerbAsync(app, args);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException or System.Text.Json.JsonException or InvalidDataException)
        {
            Console.Error.WriteLine($"{string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2))}: {ex.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    private static async Task<int> RunVerbAsync(WebApplication app, string[] args)
    {
        switch (args)
        {
            case ["migrate", "--list"]:
                var code = 0;
                await app.WithDatabaseAsync(async migrator =>
                {
                    var status = await migrator.StatusAsync();
                    foreach (var m in status.All)
                    {
                        var applied = status.Applied.FirstOrDefault(a => a.Version == m.Version);
                        var state = applied is null ? "pending"
                            : status.Changed.Contains(applied.Name) ? "CHANGED after it was applied"
                            : $"applied {applied.AppliedUtc:yyyy-MM-dd HH:mm:ss}Z";
                        Console.WriteLine($"{m.Name,-40} {state}");
                    }
                    Console.WriteLine($"{status.Applied.Count} applied, {status.Pending.Count} pending, {status.Changed.Count} changed.");
                    code = status.Changed.Count > 0 ? 1 : 0;
                });
                return code;
            case ["migrate"]:
                await app.WithDatabaseAsync(async migrator =>
                {
                    var applied = await migrator.MigrateAsync();
                    Console.WriteLine(applied == 0 ? "Migrations are current." : $"Applied {applied} migration(s); migrations are current.");
                });
                return 0;
            case ["seed", "demo", .. var seedOptions]:
                if (app.Environment.IsProduction() && !seedOptions.Contains("--force"))
                {
                    Console.Error.WriteLine("seed demo: this is Production; the demo plant has published passwords. Add --force if you really want it here.");
                    return 2;
                }
                await app.MigrateRecognitionDataAsync();
                var seeded = await app.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(DateTime.UtcNow);
                Console.WriteLine(seeded ? "Demo data created." : "The database already has data; demo data was not added.");
                return 0;
            case ["people", "import", var file, .. var importOptions]:
                await app.MigrateRecognitionDataAsync();
                return await Features.Admin.People.ImportCommands.ImportAsync(app.Services, file, importOptions);
            case ["people", "export", var file, .. var exportOptions]:
                await app.MigrateRecognitionDataAsync();
                return await Features.Admin.People.ImportCommands.ExportAsync(app.Services, file, exportOptions);
            case ["catalogue", "export", var catalogueOut]:
                await app.MigrateRecognitionDataAsync();
                await File.WriteAllBytesAsync(catalogueOut, await app.Services.GetRequiredService<Features.Admin.Catalogue.CatalogueFile>().ExportAsync());
                Console.WriteLine($"Exported the catalogue to {catalogueOut}.");
                return 0;
            case ["catalogue", "import", var catalogueIn, .. var catalogueOptions]:
                await app.MigrateRecognitionDataAsync();
                return await CatalogueImportAsync(app, catalogueIn, catalogueOptions.Contains("--dry-run"));
            case ["backup", var backupFile]:
                return Report(await app.Services.GetRequiredService<Infrastructure.Backup.Backups>().BackupAsync(backupFile));
            case ["restore", var restoreFile]:
                return Report(await app.Services.GetRequiredService<Infrastructure.Backup.Backups>().RestoreAsync(restoreFile));
            case ["setup", .. var options]:
                return await SetupAsync(app, options);
            default:
                Console.Error.WriteLine($"Unknown command: {string.Join(' ', args)}");
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}

/// <summary>Input files of the verbs: a path, a pipe or /dev/stdin, read up to a limit without trusting the file's reported length.</summary>
public static class CommandFiles
{
    /// <summary>The bytes, or null after one line on stderr saying what is wrong.</summary>
    public static async Task<byte[]?> ReadAsync(string verb, string path, int maxBytes)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(chunk)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > maxBytes)
                {
                    Console.Error.WriteLine($"{verb}: the file is too large: at most {maxBytes / 1024 / 1024} MB.");
                    return null;
                }
            }
            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"{verb}: no such file: {path}");
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            Console.Error.WriteLine($"{verb}: cannot read {path}: {ex.Message.ReplaceLineEndings(" ")}");
            return null;
        }
    }
}
