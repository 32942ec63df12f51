using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Features.Coaching;

/// <summary>One-to-one cards and the one-to-one log (issue #37): services, the reminder job and the print endpoints.</summary>
public static class CoachingModule
{
    public static IServiceCollection AddCoaching(this IServiceCollection s)
    {
        s.AddSingleton<CardQueries>().AddSingleton<OneOnOnes>().AddSingleton<Cadence>().AddHostedService<OneOnOneReminders>();
        return s;
    }

    public static WebApplication MapCoaching(this WebApplication app)
    {
        var print = app.MapGroup("/print/coaching").RequireAuthorization(Policies.Employee);
        print.MapGet("/{id:long}", async (long id, HttpContext ctx, CardQueries cards, IStringLocalizer<SharedResource> l) =>
            await cards.ForAsync(ctx.User, id) is { } card ? Results.File(CardPdf.Render([card], Text(l)), "application/pdf", $"one-to-one-{card.Person.EmployeeNo}.pdf") : Results.NotFound());
        print.MapGet("/team/{teamId:long}", async (long teamId, HttpContext ctx, CardQueries cards, IStringLocalizer<SharedResource> l) =>
            await cards.ForTeamAsync(ctx.User, teamId) is { Count: > 0 } all ? Results.File(CardPdf.Render(all, Text(l)), "application/pdf", $"one-to-ones-team-{teamId}.pdf") : Results.NotFound());
        return app;
    }

    private static Func<string, bool, object[], string> Text(IStringLocalizer<SharedResource> l) => (key, chinese, args) =>
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(chinese ? "zh-CN" : "en-US");
        try
        {
            return l[key, args].Value;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    };
}
