using Recognition.Web.Features.Demo;
using Recognition.Web.Infrastructure.Data;

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
          seed demo        add the demo plant to an empty database
        """;

    /// <summary>True when the arguments name a verb rather than host options such as --urls.</summary>
    public static bool IsVerb(string[] args) => args is [var first, ..] && !first.StartsWith('-');

    public static async Task<int> RunAsync(WebApplication app, string[] args)
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
            case ["seed", "demo"]:
                await app.MigrateRecognitionDataAsync();
                var seeded = await app.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(DateTime.UtcNow);
                Console.WriteLine(seeded ? "Demo data created." : "The database already has data; demo data was not added.");
                return 0;
            default:
                Console.Error.WriteLine($"Unknown command: {string.Join(' ', args)}");
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}
