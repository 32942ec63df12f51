using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Infrastructure.Web;

public static class WebSetup
{
    public static WebApplicationBuilder AddRecognitionWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.ConfigureFilter(new AutoValidateAntiforgeryTokenAttribute());
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, f) => f.Create(typeof(SharedResource)));
        builder.Services.AddHttpContextAccessor();
        // Below the machine's open-file cap, so overload is refused rather than crashing the process.
        var maxConnections = builder.Configuration.GetValue<long>("Kestrel:MaxConnections", 15_000);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Limits.MaxConcurrentConnections = maxConnections;
            o.Limits.MaxConcurrentUpgradedConnections = maxConnections;
        });
        // Chinese text is written as characters, not numeric entities.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = 8 * 1024 * 1024);
        return builder;
    }

    public static WebApplication UseRecognitionWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
        }
        app.UseMiddleware<SecurityHeaders>();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRequestLocalization();
        app.UseAuthorization();
        app.MapRazorPages();
        return app;
    }

    /// <summary>htmx requests get the partial, others the full page; the response varies on HX-Request.</summary>
    public static IActionResult PageOrPartial(this PageModel page, string partial, object? model = null)
    {
        page.Response.Htmx(h => h.WithVary());
        return page.Request.IsHtmx() ? page.Partial(partial, model ?? page) : page.Page();
    }
}
