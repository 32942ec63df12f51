using Microsoft.AspNetCore.Authorization;

namespace Recognition.Web.Features.Rollout;

public static class RolloutModule
{
    public static IServiceCollection AddRollout(this IServiceCollection s) =>
        s.AddSingleton<Activation>().AddSingleton<WelcomeLetters>().AddSingleton<RolloutCounts>();

    /// <summary>/w/CODE: the short link printed on a welcome letter, to the one-time set-your-password page.</summary>
    public static IEndpointRouteBuilder MapRollout(this IEndpointRouteBuilder app)
    {
        app.MapGet("/w/{token}", (string token) =>
            token.Length is > 0 and <= 40 && token.All(char.IsAsciiLetterOrDigit)
                ? Results.Redirect("/Account/Reset?token=" + Uri.EscapeDataString(token.ToUpperInvariant()))
                : Results.NotFound())
            .WithMetadata(new AllowAnonymousAttribute());
        return app;
    }
}

/// <summary>How far the rollout has come, for the sites an admin covers: who can sign in where, and who never has.</summary>
public sealed class RolloutCounts(Db db)
{
    public sealed class Counts
    {
        public int People { get; init; }
        public int Office { get; init; }
        public int Sso { get; init; }
        public int Kiosk { get; init; }
        public int Never { get; init; }
        public int None { get; init; }
    }

    /// <summary>SQL conditions for the People filter of the same names.</summary>
    public static string Condition(string? access) => access switch
    {
        "office" => " AND (e.password_hash IS NOT NULL OR e.sso_subject IS NOT NULL)",
        "sso" => " AND e.sso_subject IS NOT NULL",
        "kiosk" => " AND e.pin_hash IS NOT NULL",
        "never" => " AND e.last_signin_utc IS NULL",
        "none" => " AND e.password_hash IS NULL AND e.sso_subject IS NULL AND e.pin_hash IS NULL",
        _ => "",
    };

    public async Task<Counts> ForAsync(AdminScope scope, long? site)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleAsync<Counts>(
            @"SELECT COUNT(*) AS People,
                     COALESCE(SUM(CASE WHEN password_hash IS NOT NULL OR sso_subject IS NOT NULL THEN 1 ELSE 0 END), 0) AS Office,
                     COALESCE(SUM(CASE WHEN sso_subject IS NOT NULL THEN 1 ELSE 0 END), 0) AS Sso,
                     COALESCE(SUM(CASE WHEN pin_hash IS NOT NULL THEN 1 ELSE 0 END), 0) AS Kiosk,
                     COALESCE(SUM(CASE WHEN last_signin_utc IS NULL THEN 1 ELSE 0 END), 0) AS Never,
                     COALESCE(SUM(CASE WHEN password_hash IS NULL AND sso_subject IS NULL AND pin_hash IS NULL THEN 1 ELSE 0 END), 0) AS None
              FROM employees WHERE active = 1 AND (@site IS NULL OR site_id = @site)",
            new { site = scope.ListSite(site) });
    }
}
