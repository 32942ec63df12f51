using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Api;
using Recognition.Web.Features.Celebrations;
using Recognition.Web.Features.Channels;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Coaching;
using Recognition.Web.Features.Credentials;
using Recognition.Web.Features.Devices;
using Recognition.Web.Features.Feed;
using Recognition.Web.Features.Health;
using Recognition.Web.Features.Insights;
using Recognition.Web.Features.Me;
using Recognition.Web.Features.Praise;
using Recognition.Web.Features.Printing;
using Recognition.Web.Features.Programs;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Features.Rewards;
using Recognition.Web.Features.Rollout;
using Recognition.Web.Features.Scim;
using Recognition.Web.Features.Setup;
using Recognition.Web.Features.Social;
using Recognition.Web.Features.Sso;
using Recognition.Web.Features.Walls;
using Recognition.Web.Infrastructure.Backup;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features;

public static class FeatureSetup
{
    /// <summary>Each feature registers what it needs (its services, hosted jobs and upload limits) in its own module.</summary>
    public static WebApplicationBuilder AddRecognitionFeatures(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddDomain().AddRecognize().AddClaims().AddFeeds().AddSetup().AddAdmin().AddPrinting().AddRewards().AddPraise().AddInsights()
            .AddDevices().AddBackups().AddWalls().AddSso().AddScim().AddRollout().AddChannels().AddApi().AddSocial().AddCelebrations().AddPrograms().AddCredentials().AddCoaching();
        return builder;
    }

    public static WebApplication MapRecognitionFeatures(this WebApplication app)
    {
        app.UseUploadLimits(app.Services.GetServices<UploadLimit>().ToList());
        app.MapHealth();
        app.MapScim();
        app.MapSsoLogout();
        app.MapApi();
        app.MapRollout();
        app.MapPrinting();
        app.MapPraise();
        app.MapWalls();
        app.MapCredentials();
        app.MapPersonalData();
        app.MapCoaching();
        return app;
    }

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
            await app.Services.GetRequiredService<Demo.DemoSeeder>().SeedIfEmptyAsync(DateTime.UtcNow);
        }
    }
}
