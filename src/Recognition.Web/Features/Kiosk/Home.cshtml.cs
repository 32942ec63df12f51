using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Recognition.Web.Features.Me;

namespace Recognition.Web.Features.Kiosk;

[Authorize(Policy = Policies.KioskSession)]
public sealed class HomeModel(MyQueries me) : KioskPage
{
    public MySummary Summary { get; private set; } = null!;

    public async Task OnGetAsync() => Summary = await me.SummaryAsync(PersonId);

    /// <summary>
    /// The kiosk page says "still here" when the person touches it; the session cookie is renewed on every request
    /// and lives exactly the idle time, so the server ends it when the screen does.
    /// </summary>
    public IActionResult OnPostAlive() => new NoContentResult();
}
