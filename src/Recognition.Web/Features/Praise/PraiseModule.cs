using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Praise;

public static class PraiseModule
{
    public static IServiceCollection AddPraise(this IServiceCollection s) => s
        .AddSingleton<PraiseService>().AddSingleton<PraiseCodes>().AddHostedService<PraisePurge>()
        .AddSingleton(new UploadLimit("/thanks", PraiseLimits.MaxBody, "thanks-refused", "Praise.TooLarge"));
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
    public static string Page(string message, string title) => RefusalPage.Html(title, "thanks-refused", message);
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
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested) { log.LogError(ex, "Purging rejected customer messages failed"); }
            try { await Task.Delay(TimeSpan.FromHours(6), clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
