using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Features.Feed;
using Recognition.Web.Features.Me;

namespace Recognition.Web.Features.Home;

[Authorize(Policy = Policies.Employee)]
public sealed class IndexModel(MyQueries me, FeedQueries feed) : PageModel
{
    public string Name { get; private set; } = "";
    public int Balance { get; private set; }
    public int AllowanceLeft { get; private set; }
    public int ReceivedThisMonth { get; private set; }
    public IReadOnlyList<FeedCard> Latest { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Name = Bilingual.Pick(User.Identity!.Name, User.FindFirst("name_en")?.Value);
        var summary = await me.SummaryAsync(User.EmployeeId());
        Balance = summary.Balance;
        AllowanceLeft = summary.AllowanceLeft;
        ReceivedThisMonth = summary.ReceivedThisMonth;
        Latest = await feed.SiteAsync(User.SiteId(), beforeId: null, take: 5);
    }
}
