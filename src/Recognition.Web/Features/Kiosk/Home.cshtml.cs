using Microsoft.AspNetCore.Authorization;
using Recognition.Web.Features.Me;
using Recognition.Web.Infrastructure.Auth;

namespace Recognition.Web.Features.Kiosk;

[Authorize(Policy = Policies.KioskSession)]
public sealed class HomeModel(MyQueries me) : KioskPage
{
    public MySummary Summary { get; private set; } = null!;

    public async Task OnGetAsync() => Summary = await me.SummaryAsync(PersonId);
}
