using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Demo;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Feed;
using Recognition.Web.Features.Health;
using Recognition.Web.Features.Me;
using Recognition.Web.Features.Notifications;
using Recognition.Web.Features.People;
using Recognition.Web.Features.Printing;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Features.Walls;
using Recognition.Web.Infrastructure.Auth;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features;

public static class FeatureSetup
{
    public static WebApplicationBuilder AddRecognitionFeatures(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddSingleton<PolicyStore>();
        s.AddSingleton<PinHasher>();
        s.AddSingleton<PeopleStore>();
        s.AddSingleton<AwardService>();
        s.AddSingleton<ClaimService>();
        s.AddSingleton<RevokeService>();
        s.AddSingleton<RecognizeQueries>();
        s.AddSingleton<FeedQueries>();
        s.AddSingleton<MyQueries>();
        s.AddSingleton<NotificationCounter>();
        s.AddSingleton<DemoSeeder>();
        s.AddSingleton<Setup.SetupService>();
        s.AddSingleton<Admin.People.PeopleAdmin>();
        s.AddSingleton<Admin.People.PeopleSearch>();
        s.AddSingleton<Admin.People.AdminLookups>();
        s.AddSingleton<Admin.People.PeopleImport>();
        s.AddSingleton<Admin.People.ImportUploads>();
        s.AddSingleton<Admin.Organisation.OrgAdmin>();
        s.AddSingleton<Admin.Catalogue.CatalogueAdmin>();
        s.AddSingleton<Admin.Catalogue.CatalogueFile>();
        s.AddSingleton<Admin.Catalogue.RulePreview>();
        s.AddSingleton<Admin.Policy.PolicyAdmin>();
        s.AddPrinting();
        s.AddSingleton<Rewards.RewardService>();
        s.AddSingleton<Rewards.RewardCatalogue>();
        s.AddSingleton<Rewards.RewardQueries>();
        s.AddSingleton<Rewards.PointsExpiry>();
        s.AddHostedService(sp => sp.GetRequiredService<Rewards.PointsExpiry>());
        s.AddSingleton<Praise.PraiseService>();
        s.AddSingleton<Praise.PraiseCodes>();
        s.AddSingleton<Insights.ClueDetector>();
        s.AddSingleton<Insights.InsightsBuilder>();
        s.AddSingleton<Insights.InsightsQueries>();
        s.AddHostedService<Insights.InsightsRefresher>();
        s.AddHostedService<Praise.PraisePurge>();
        s.AddSingleton<DeviceService>();
        s.AddSingleton<WallQueries>();
        s.AddSingleton<Kiosk.KioskSignIn>();
        s.AddSingleton<Infrastructure.Backup.Backups>();
        s.AddSingleton<Infrastructure.Backup.DailyBackup>();
        s.AddHostedService(sp => sp.GetRequiredService<Infrastructure.Backup.DailyBackup>());
        s.AddSingleton<WallConnections>();
        s.AddSingleton<BoardsPublisher>();
        s.AddHostedService(sp => sp.GetRequiredService<BoardsPublisher>());
        // Wall cards and boards are HTML in a JSON string: the default encoder writes every '<', '"' and Chinese character as a
        // six-byte \uXXXX escape, roughly doubling each frame for every wall. The payload is read by JSON.parse in the SignalR
        // client, never placed in a page as JSON text, so the relaxed encoder (still valid JSON) is safe here.
        s.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        s.AddSingleton<EventRelay>();
        s.AddHostedService(sp => sp.GetRequiredService<EventRelay>());
        return builder;
    }

    public static WebApplication MapRecognitionFeatures(this WebApplication app)
    {
        app.UseUploadLimits(UploadLimits);
        app.MapHealth();
        app.MapPrinting();
        Praise.PraiseEndpoints.MapPraise(app);
        app.MapHub<WallHub>("/hubs/wall");
        app.MapHub<PersonalHub>("/hubs/me");
        app.MapBenchBroadcast(app.Configuration);
        return app;
    }

    /// <summary>Every form that takes a file or a public body, its limit, and the message a person meets above it (the README quotes these).</summary>
    public static readonly UploadLimit[] UploadLimits =
    [
        new("/Admin/Import", PeopleCsv.MaxBytes + Infrastructure.Web.UploadLimits.FormSlack, "import-error", "Import.TooBig", PeopleCsv.MaxBytes / 1024 / 1024),
        new("/Admin/Catalogue", Admin.Catalogue.CatalogueFile.MaxBytes + Infrastructure.Web.UploadLimits.FormSlack, "catalogue-error", "Catalogue.FileTooBig",
            Admin.Catalogue.CatalogueFile.MaxBytes / 1024 / 1024),
        // Photo forms read up to this much and say "at most 2 MB" on the form itself; beyond it, the same words on the 413 page.
        new("/Claims/New", 8 * 1024 * 1024, "claim-error", "Error.PhotoTooLarge", RulesOptions.Product.PhotoMaxBytes / (1024 * 1024)),
        new("/Admin/Rewards/Item", 16 * 1024 * 1024, "item-error", "Error.PhotoTooLarge", RulesOptions.Product.PhotoMaxBytes / (1024 * 1024)),
        new("/thanks", Praise.PraiseLimits.MaxBody, "thanks-refused", "Praise.TooLarge"),
    ];

    /// <summary>Once the server listens: on a database with no admin yet, log the one-time /setup link.</summary>
    public static void AnnounceSetupWhenStarted(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var configured = app.Services.GetRequiredService<PublicUrl>().Value;
            var address = configured
                ?? app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                    .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            app.Services.GetRequiredService<Setup.SetupService>().AnnounceIfPendingAsync(address?.Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost"),
                isPublic: configured is not null || app.Environment.IsDevelopment()).GetAwaiter().GetResult();
        });
    }

    /// <summary>Demo data on an empty database when Demo:SeedOnEmpty is true (the Development default).</summary>
    public static async Task SeedDemoIfEmptyAsync(this WebApplication app)
    {
        if (app.Configuration.GetValue("Demo:SeedOnEmpty", app.Environment.IsDevelopment()))
        {
            await app.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(DateTime.UtcNow);
        }
    }
}
