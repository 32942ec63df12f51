using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Recognition.Web.Features.Me;

[Authorize(Policy = Policies.Employee)]
public sealed class TransparencyModel(Rewards.PointsExpiry expiry) : PageModel
{
    /// <summary>Set when the reader's site lets earned points expire: the page says so.</summary>
    public int? ExpiryMonths { get; private set; }

    public async Task OnGetAsync() => ExpiryMonths = await expiry.MonthsAsync(User.EmployeeId());
}
