namespace Recognition.Web.Features.Social;

/// <summary>The loop around a recognition: reactions, comments and add-on points.</summary>
public static class SocialModule
{
    public static IServiceCollection AddSocial(this IServiceCollection s) => s.AddSingleton<Reactions>().AddSingleton<Comments>().AddSingleton<AddOns>();
}
