using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Localization;
using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Walls;

/// <summary>
/// Walls never pull the boards: when an event changes them, the server renders the panel once per group (the site's
/// walls, and each team display watching on this instance) and language, at most once per Walls:BoardsMilliseconds
/// (2 s) per site however many events arrive, and pushes the HTML with the last event it includes. Every 5 minutes the
/// panels of connected sites are pushed again, so "today" rolls over at midnight without anyone asking.
/// </summary>
public sealed class BoardsPublisher(WallQueries queries, WallConnections open, IHubContext<WallHub, IWallClient> walls,
    IStringLocalizer<SharedResource> L, IConfiguration config, ILogger<BoardsPublisher> log) : BackgroundService
{
    private readonly ConcurrentDictionary<long, long> _dirty = new();
    private readonly ConcurrentDictionary<long, long> _lastSeq = new();

    /// <summary>The relay calls this after pushing an event of the site.</summary>
    public void Changed(long siteId, long seq)
    {
        _lastSeq.AddOrUpdate(siteId, seq, (_, old) => Math.Max(old, seq));
        _dirty.AddOrUpdate(siteId, seq, (_, old) => Math.Max(old, seq));
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var every = TimeSpan.FromMilliseconds(config.GetValue("Walls:BoardsMilliseconds", 2000));
        var refresh = DateTime.UtcNow;
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                if (DateTime.UtcNow - refresh > TimeSpan.FromMinutes(5))
                {
                    refresh = DateTime.UtcNow;
                    foreach (var site in open.Sites()) _dirty.TryAdd(site, _lastSeq.GetValueOrDefault(site));
                }
                foreach (var site in _dirty.Keys.ToList())
                {
                    if (_dirty.TryRemove(site, out var seq)) await PublishAsync(site, seq);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogError(ex, "Publishing the wall boards failed; retrying");
            }
        }
    }

    /// <summary>Renders and pushes the site's panel and those of its connected team displays, in every language.</summary>
    public async Task PublishAsync(long siteId, long seq)
    {
        foreach (var team in open.Teams(siteId).Cast<long?>().Prepend(null))
        {
            var boards = await queries.BoardsAsync(siteId, team);
            foreach (var culture in LocalizationSetup.Cultures)
            {
                await walls.Clients.Group(WallHub.BoardsGroup(siteId, team, culture)).Boards(new BoardsMessage(seq, BoardsHtml.Render(boards, culture, L)));
            }
        }
    }
}
