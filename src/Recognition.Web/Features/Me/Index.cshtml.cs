using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Features.Feed;
using Recognition.Web.Features.Notifications;

namespace Recognition.Web.Features.Me;

[Authorize(Policy = Policies.Employee)]
public sealed class IndexModel(MyQueries me, FeedQueries feed, Db db, TimeProvider clock, Insights.InsightsQueries insights, Celebrations.CelebrationService celebrations) : PageModel
{
    public MySummary Summary { get; private set; } = null!;
    public IReadOnlyList<BadgeTally> Badges { get; private set; } = [];
    public IReadOnlyList<FeedCard> Received { get; private set; } = [];
    public IReadOnlyList<FeedCard> Given { get; private set; } = [];
    public IReadOnlyList<MyClaim> Claims { get; private set; } = [];
    /// <summary>My own values radar and my last twelve months (成长痕迹): only ever shown to me.</summary>
    public IReadOnlyList<Insights.RadarAxis> Radar { get; private set; } = [];
    public IReadOnlyList<(int Month, int Received, int Given, int Badges)> Timeline { get; private set; } = [];

    /// <summary>What arrived since the last visit (unread notifications), shown as new on this visit, then read.</summary>
    public IReadOnlySet<long> NewRecognitions { get; private set; } = new HashSet<long>();
    public IReadOnlySet<long> NewClaimDecisions { get; private set; } = new HashSet<long>();
    public int NewCount => NewRecognitions.Count + NewClaimDecisions.Count;

    public IReadOnlyList<Celebrations.CelebrationRow> MyCelebrations { get; private set; } = [];

    public async Task OnGetAsync()
    {
        (Radar, Timeline) = await insights.MineAsync(User.EmployeeId());
        var id = User.EmployeeId();
        Summary = await me.SummaryAsync(id);
        Badges = await me.BadgesAsync(id, publicOnly: false);
        Received = await feed.ReceivedAsync(id, self: true, beforeId: null, take: 200);
        Given = await feed.GivenAsync(id, beforeId: null, take: 50);
        Claims = await me.ClaimsAsync(id);
        MyCelebrations = await celebrations.ForPersonAsync(id);
        var unread = (await db.ReadAsync(c => Dapper.SqlMapper.QueryAsync<(string Kind, long SubjectId)>(c,
            "SELECT kind, subject_id FROM notifications WHERE employee_id = @id AND read_utc IS NULL", new { id }))).ToList();
        NewRecognitions = unread.Where(n => n.Kind == "recognition").Select(n => n.SubjectId).ToHashSet();
        NewClaimDecisions = unread.Where(n => n.Kind.StartsWith("claim.", StringComparison.Ordinal)).Select(n => n.SubjectId).ToHashSet();
        await NotificationCounter.MarkReadAsync(db, id, clock.GetUtcNow().UtcDateTime);
    }
}
