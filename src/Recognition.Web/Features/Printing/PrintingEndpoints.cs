using Recognition.Web.Infrastructure.Pdf;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Printing;

public static class PrintingEndpoints
{
    public static IServiceCollection AddPrinting(this IServiceCollection s)
    {
        s.AddSingleton<ShiftSummaryQueries>();
        s.AddSingleton<CertificateQueries>();
        s.AddSingleton<CertificateBranding>();
        s.AddHostedService<PdfWarmup>();
        return s;
    }

    public static WebApplication MapPrinting(this WebApplication app)
    {
        PdfFonts.Configure(app.Environment.WebRootPath, app.Configuration.GetSection("Pdf:FallbackFonts").Get<string[]>());
        var group = app.MapGroup("/print").RequireAuthorization(Policies.Employee);
        group.MapGet("/certificates/recognition/{id:long}", async (long id, long? recipient, HttpContext ctx, CertificateQueries q) =>
        {
            var certs = await q.ForRecognitionsAsync(ctx.User, [id], recipient, PublicUrl.Base(ctx));
            return certs.Count == 0 ? Results.NotFound() : Results.File(CertificatePdf.Render(certs), "application/pdf", $"certificate-{id}.pdf");
        });
        group.MapGet("/certificates/badge/{id:long}", async (long id, HttpContext ctx, CertificateQueries q) =>
        {
            var cert = await q.ForBadgeAsync(ctx.User, id, PublicUrl.Base(ctx));
            return cert is null ? Results.NotFound() : Results.File(CertificatePdf.Render([cert]), "application/pdf", $"badge-{id}.pdf");
        });
        return app;
    }
}

/// <summary>
/// Loads the font and renders one throwaway PDF just after start-up (not delaying it), so the first
/// real PDF a supervisor asks for is fast.
/// </summary>
public sealed class PdfWarmup(ILogger<PdfWarmup> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        await Task.Yield();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        PdfFonts.EnsureInitialized();
        _ = CertificatePdf.Render([new Certificate("预热", "Warm-up", "徽章", "Badge", null, null, "预热 warm-up", "系统", "System", "2026-01-01", "厂", "Site", "http://localhost/verify/0")]);
        log.LogInformation("PDF engine ready in {Ms} ms; fonts: {Fonts}", sw.ElapsedMilliseconds, string.Join(", ", PdfFonts.Loaded));
    }
}
