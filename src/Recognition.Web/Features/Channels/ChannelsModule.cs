namespace Recognition.Web.Features.Channels;

/// <summary>Channels: chat robots and signed webhooks per site or team, fed from the events outbox by a background sender.</summary>
public static class ChannelsModule
{
    public const string HttpClientName = "channels";

    public static IServiceCollection AddChannels(this IServiceCollection s)
    {
        s.AddHttpClient(HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        s.AddSingleton<IChannelSender, WeComSender>().AddSingleton<IChannelSender, DingTalkSender>().AddSingleton<IChannelSender, FeishuSender>()
            .AddSingleton<IChannelSender, TeamsSender>().AddSingleton<IChannelSender, WebhookSender>().AddSingleton<IChannelSender, EmailSender>();
        s.AddSingleton<ChannelStore>().AddSingleton<ChannelMessages>().AddSingleton<MailDispatcher>().AddSingleton<ChannelDigests>();
        s.AddSingleton<ChannelWorker>().AddHostedService(p => p.GetRequiredService<ChannelWorker>());
        s.AddSingleton<ChannelDispatcher>().AddHostedService(p => p.GetRequiredService<ChannelDispatcher>());
        return s;
    }
}
