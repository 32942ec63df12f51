using Recognition.Web;
using Recognition.Web.Features;
using Recognition.Web.Features.Sso;
using Recognition.Web.Infrastructure.Localization;
using Recognition.Web.Infrastructure.Runtime;
using Recognition.Web.Infrastructure.Web;

// First, before the work that depends on them starts: buffers the shared pool keeps, and the C heap's arenas.
BufferPool.Configure();
MallocArenas.Limit();

// The environment the operator sets wins. `dotnet run` applies Properties/launchSettings.json, which only proposes
// Development as a default (RECOGNITION_DEFAULT_ENVIRONMENT), so the README's command still runs the demo plant.
// The container's health check: a plain HTTP probe, before any host is built (the image has no curl or wget).
if (args is ["health", ..]) return await Recognition.Web.Features.Health.HealthProbe.RunAsync(args.Length > 1 ? args[1] : "http://127.0.0.1:8080/healthz");

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
        ?? Environment.GetEnvironmentVariable("RECOGNITION_DEFAULT_ENVIRONMENT"),
});
builder.Configuration.AddEnvironmentVariables("Recognition__");
try
{
    builder.AddRecognitionData()
        .AddRecognitionAuth()
        .AddRecognitionLocalization()
        .AddRecognitionWeb()
        .AddRecognitionFeatures();

    var app = builder.Build();
    if (Commands.IsVerb(args)) return await Commands.RunAsync(app, args);
    await app.MigrateRecognitionDataAsync();
    await KeyProtection.DropUnencryptedKeysAsync(app.Services.GetRequiredService<Db>(), app.Configuration);
    await app.SeedDemoIfEmptyAsync();

    // While this process serves, `restore` on the same SQLite file refuses (it needs this lock exclusively).
    await using var running = app.Services.GetRequiredService<Recognition.Web.Infrastructure.Backup.Backups>().DatabaseFile is { } dbFile
        ? new FileStream(Recognition.Web.Infrastructure.Backup.Backups.RunningLockPath(dbFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite)
        : null;
    Recognition.Web.Features.Walls.BenchEndpoints.UseBenchTiming(app, app.Configuration); // nothing unless Bench:Broadcast (benches only)
    app.UseSso(); // before authentication: the provider's options follow the admin's settings
    app.UseRecognitionWeb();
    app.MapRecognitionFeatures();
    app.AnnounceSetupWhenStarted();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is ConfigurationProblem or MigrationException)
{
    Console.Error.WriteLine($"Recognition cannot start: {ex.Message}");
    return 2;
}

public partial class Program;
