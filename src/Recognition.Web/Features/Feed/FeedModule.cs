namespace Recognition.Web.Features.Feed;

/// <summary>What people see of recognition: the feeds, my page and my unread count.</summary>
public static class FeedModule
{
    public static IServiceCollection AddFeeds(this IServiceCollection s) =>
        s.AddSingleton<FeedQueries>().AddSingleton<Me.MyQueries>().AddSingleton<Notifications.NotificationCounter>();
}
