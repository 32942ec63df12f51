using Recognition.Web.Features.Demo;

namespace Recognition.Web;

/// <summary>Command-line verbs: `migrate` (apply migrations and exit), `seed demo` (add the demo plant).</summary>
public static class Commands
{
    public static async Task<int?> RunAsync(WebApplication app, string[] args)
    {
        switch (args)
        {
            case ["migrate", ..]:
                Console.WriteLine("Migrations are current.");
                return 0;
            case ["seed", "demo", ..]:
                var seeded = await app.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(DateTime.UtcNow);
                Console.WriteLine(seeded ? "Demo data created." : "The database already has data; demo data was not added.");
                return 0;
            default:
                return null;
        }
    }
}
