using System.Collections.Concurrent;
using Microsoft.Extensions.Localization;

namespace Recognition.Web.Features.Walls;

/// <summary>
/// What a wall page opens with — its cards and its side panel, rendered in its language — shared by the walls of one
/// site (or team) while nothing has happened there. After a restart or a network blip every wall of a plant reloads within
/// seconds: 2,000 walls each read 30 cards and six board queries and rendered them (~350 KB of garbage per page), all
/// for the same picture. A snapshot is used only while the site's last event is the one it was taken at (a new card, a
/// revocation or a reaction makes the next page read again) and for at most <see cref="MaxAge"/> (the boards' day and
/// week turn over, a name is corrected). Keys come from the device's identity, never from the request; a few per site.
/// </summary>
public sealed class WallSnapshots(WallQueries walls, Db db, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private const int MaxEntries = 4096; // sites × team displays × languages: far beyond a real installation; then it starts over

    public sealed class Snapshot(IReadOnlyList<FeedCard> cards, long lastSeq, WallBoards boards, DateTime takenUtc)
    {
        private readonly ConcurrentDictionary<string, (string Cards, string Boards)> _html = new(StringComparer.Ordinal);

        public IReadOnlyList<FeedCard> Cards { get; } = cards;
        public long LastSeq { get; } = lastSeq;
        public WallBoards Boards { get; } = boards;
        public DateTime TakenUtc { get; } = takenUtc;

        /// <summary>The cards and the panel in <paramref name="culture"/>, rendered once per language.</summary>
        public (string Cards, string Boards) Html(string culture, IStringLocalizer L) => _html.GetOrAdd(culture, c =>
            (string.Concat(Cards.Select(x => WallCard.Render(x, c))), BoardsHtml.Render(Boards, c, L)));
    }

    private readonly ConcurrentDictionary<(long Site, long? Team), Snapshot> _taken = new();

    public async Task<Snapshot> GetAsync(long siteId, long? teamId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_taken.TryGetValue((siteId, teamId), out var s) && now >= s.TakenUtc && now - s.TakenUtc < MaxAge)
        {
            var last = await db.ReadAsync(c => walls.LastSeqAsync(c, siteId));
            if (last == s.LastSeq) return s;
        }
        var (cards, seq) = await walls.SnapshotAsync(siteId, teamId);
        var fresh = new Snapshot(cards, seq, await walls.BoardsAsync(siteId, teamId), now);
        if (_taken.Count >= MaxEntries) _taken.Clear();
        _taken[(siteId, teamId)] = fresh;
        return fresh;
    }
}
