namespace Recognition.Web.Features.Rewards;

public static class RewardsModule
{
    public static IServiceCollection AddRewards(this IServiceCollection s) => s
        .AddSingleton<RewardService>().AddSingleton<RewardCatalogue>().AddSingleton<RewardQueries>()
        .AddSingleton<PointsExpiry>().AddHostedService(sp => sp.GetRequiredService<PointsExpiry>());
}
