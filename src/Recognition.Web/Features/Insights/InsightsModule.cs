namespace Recognition.Web.Features.Insights;

public static class InsightsModule
{
    public static IServiceCollection AddInsights(this IServiceCollection s) => s
        .AddSingleton<ClueDetector>().AddSingleton<InsightsBuilder>().AddSingleton<InsightsQueries>().AddHostedService<InsightsRefresher>();
}
