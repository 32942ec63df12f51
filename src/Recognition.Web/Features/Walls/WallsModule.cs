using Recognition.Web.Features.Notifications;
namespace Recognition.Web.Features.Walls;

/// <summary>The live walls: queries, the pushed side panel, the outbox relay and the hubs.</summary>
public static class WallsModule
{
    public static IServiceCollection AddWalls(this IServiceCollection s)
    {
        s.AddSingleton<WallQueries>().AddSingleton<WallSnapshots>().AddSingleton<WallConnections>();
        s.AddSingleton<DevicePresence>().AddHostedService(sp => sp.GetRequiredService<DevicePresence>());
        s.AddSingleton<BoardsPublisher>().AddHostedService(sp => sp.GetRequiredService<BoardsPublisher>());
        // Wall cards and boards are HTML in a JSON string: the default encoder writes every '<', '"' and Chinese character as a
        // six-byte \uXXXX escape, roughly doubling each frame for every wall. The payload is read by JSON.parse in the SignalR
        // client, never placed in a page as JSON text, so the relaxed encoder (still valid JSON) is safe here.
        s.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        return s.AddSingleton<EventRelay>().AddHostedService(sp => sp.GetRequiredService<EventRelay>());
    }

    public static WebApplication MapWalls(this WebApplication app)
    {
        app.MapHub<WallHub>("/hubs/wall");
        app.MapHub<PersonalHub>("/hubs/me");
        app.MapBenchBroadcast(app.Configuration);
        return app;
    }
}
