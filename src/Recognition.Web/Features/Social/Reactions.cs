using Recognition.Web.Infrastructure.Localization;

namespace Recognition.Web.Features.Social;

/// <summary>One recognition's reactions as a viewer sees them: the count of each kind and which ones are the viewer's.</summary>
public sealed record ReactionBar(long RecognitionId, IReadOnlyDictionary<string, int> Counts, IReadOnlySet<string> Mine, bool MayReact)
{
    public static ReactionBar Empty(long id, bool mayReact) => new(id, new Dictionary<string, int>(), new HashSet<string>(), mayReact);
}

/// <summary>
/// Reactions: a small fixed set, one of each kind per person per recognition (the table's key), on any recognition the
/// person may see (<see cref="RecognitionAccess"/>). A reaction is set or cleared, never toggled: the button says which,
/// so a double tap or a retried request lands on the same state. A change writes a "reaction.changed" event in the same
/// transaction; the relay folds a batch's events per recognition into one update for walls and feeds. Reactions are
/// never counted on a leaderboard or anywhere that ranks people.
/// </summary>
public sealed class Reactions(Db db)
{
    /// <summary>The set, in display order (点赞, 暖心, 给力, 庆祝, 学到了). Each is drawn with an icon of the shipped set rather
    /// than an emoji: shop-floor screens (Linux and Android browsers, TVs) often have no colour emoji font and show boxes.</summary>
    public static readonly string[] Kinds = ["like", "heart", "strong", "party", "learned"];

    public static string Icon(string kind) => kind switch
    {
        "like" => "thumbs-up",
        "heart" => "heart",
        "strong" => "biceps-flexed",
        "party" => "party-popper",
        _ => "lightbulb",
    };

    /// <summary>The read-only counts a wall or kiosk card shows (kinds with none are left out), in <paramref name="culture"/>.</summary>
    public static string Strip(IReadOnlyDictionary<string, int> counts, string culture)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var k in Kinds)
        {
            if (counts.GetValueOrDefault(k) is not (> 0 and var n)) continue;
            sb.Append("<span class=\"wreact\" data-kind=\"").Append(k).Append("\" title=\"")
              .Append(System.Net.WebUtility.HtmlEncode(Texts.In(culture, "Reaction.Title." + k))).Append("\">")
              .Append(Infrastructure.Web.BadgeIcons.Markup(Icon(k)));
            if (k == "learned") sb.Append("<span>").Append(System.Net.WebUtility.HtmlEncode(Texts.In(culture, "Reaction.learned"))).Append("</span>");
            sb.Append("<b>").Append(n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("</b></span>");
        }
        return sb.ToString();
    }

    private static readonly IReadOnlyDictionary<string, int> OneOfEach = Kinds.ToDictionary(k => k, _ => 1);

    /// <summary>
    /// Every kind drawn once, in <paramref name="culture"/>, inside <c>&lt;template id="wreact-kinds"&gt;</c>: a wall or kiosk
    /// page draws the counts it is pushed with it (live.js <c>setReactions</c>), so a push carries numbers, not markup.
    /// </summary>
    public static string Template(string culture) => "<template id=\"wreact-kinds\">" + Strip(OneOfEach, culture) + "</template>";

    /// <summary>Sets (<paramref name="on"/>) or clears the person's reaction; the outcome's id is the recognition's.</summary>
    public async Task<Outcome> SetAsync(long recognitionId, long personId, long siteId, string kind, bool on, DateTime now)
    {
        if (!Kinds.Contains(kind)) return Outcome.Refused("Error.UnknownReaction");
        try
        {
            return await db.RunAsync(async (c, t) =>
            {
                if (await RecognitionAccess.ForAsync(c, t, recognitionId, personId, siteId) is not { } seen) throw new RuleViolation("Error.RecognitionNotFound");
                var changed = on
                    ? await c.ExecAsync(t, @"INSERT INTO reactions (recognition_id, employee_id, kind, created_utc)
                        SELECT @recognitionId, @personId, @kind, @now WHERE NOT EXISTS
                        (SELECT 1 FROM reactions WHERE recognition_id = @recognitionId AND employee_id = @personId AND kind = @kind)",
                        new { recognitionId, personId, kind, now })
                    : await c.ExecAsync(t, "DELETE FROM reactions WHERE recognition_id = @recognitionId AND employee_id = @personId AND kind = @kind",
                        new { recognitionId, personId, kind });
                if (changed > 0) await Outbox.AppendAsync(c, t, seen.SiteId, null, "reaction.changed", recognitionId, now);
                return recognitionId;
            });
        }
        catch (Exception ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            return Outcome.Repeated(recognitionId); // the same reaction from a second tab at the same moment: it is there once
        }
    }

    /// <summary>Every kind's count per recognition (no viewer: walls and pushes).</summary>
    public static async Task<Dictionary<long, Dictionary<string, int>>> CountsAsync(DbConnection c, IReadOnlyCollection<long> ids)
    {
        var result = new Dictionary<long, Dictionary<string, int>>();
        if (ids.Count == 0) return result;
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var (id, kind, n) in await c.QueryAsync<(long, string, int)>(
                "SELECT recognition_id, kind, COUNT(*) FROM reactions WHERE recognition_id IN @chunk GROUP BY recognition_id, kind", new { chunk }))
            {
                if (!result.TryGetValue(id, out var k)) result[id] = k = [];
                k[kind] = n;
            }
        }
        return result;
    }

    /// <summary>The bar of one card the person has just reacted to (so may react to): its counts and theirs, in one read.</summary>
    public async Task<ReactionBar> BarAsync(long recognitionId, long personId)
    {
        var rows = (await db.ReadAsync(c => c.QueryAsync<(long EmployeeId, string Kind)>(
            "SELECT employee_id, kind FROM reactions WHERE recognition_id = @recognitionId", new { recognitionId }))).ToList();
        return new ReactionBar(recognitionId, rows.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Count()),
            rows.Where(r => r.EmployeeId == personId).Select(r => r.Kind).ToHashSet(), MayReact: true);
    }

    /// <summary>The bars of the cards a person is shown, in one read: counts, and which are theirs.</summary>
    public async Task<Dictionary<long, ReactionBar>> BarsAsync(IReadOnlyList<FeedCard> cards, long personId)
    {
        if (cards.Count == 0) return [];
        var ids = cards.Select(x => x.Id).Distinct().ToList();
        await using var c = await db.OpenAsync();
        var personTeamId = await c.ExecuteScalarAsync<long?>("SELECT team_id FROM employees WHERE id = @personId", new { personId });
        var counts = await CountsAsync(c, ids);
        var mine = (await c.QueryAsync<(long Id, string Kind)>(
                "SELECT recognition_id, kind FROM reactions WHERE employee_id = @personId AND recognition_id IN @ids", new { personId, ids }))
            .ToLookup(x => x.Id, x => x.Kind);
        return cards.DistinctBy(x => x.Id).ToDictionary(x => x.Id, x => new ReactionBar(x.Id,
            counts.GetValueOrDefault(x.Id) ?? [], mine[x.Id].ToHashSet(), RecognitionAccess.MayReact(x, personId, personTeamId)));
    }
}
