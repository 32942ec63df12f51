using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Claims;

public static class ClaimsModule
{
    public static IServiceCollection AddClaims(this IServiceCollection s) => s
        .AddSingleton<ClaimService>()
        // The photo form reads up to 8 MB and says "at most 2 MB" itself; beyond that, the same words on the 413 page.
        .AddSingleton(new UploadLimit("/Claims/New", 8 * 1024 * 1024, "claim-error", "Error.PhotoTooLarge", RulesOptions.Product.PhotoMaxBytes / (1024 * 1024)));
}
