using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Recognition.Web.Infrastructure;

namespace Recognition.Web.Features.Rewards;

/// <summary>The printable pickup slip of a ready order: the code in large type and as a QR code the counter scans.</summary>
[Authorize(Policy = Policies.Employee)]
public sealed class SlipModel(RewardQueries queries) : PageModel
{
    public OrderView Order { get; private set; } = null!;
    public string QrSvg { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(long id)
    {
        // The order's owner, or a keeper or admin of its site; anyone else gets the same answer as for a missing order.
        if (await queries.OrderAsync(id) is not { } o) return NotFound();
        var keeper = User.IsRewardsKeeper() && (User.SiteId() == o.SiteId || User.IsOrgAdmin());
        if (o.EmployeeId != User.EmployeeId() && !keeper) return NotFound();
        if (o.Status != "ready" || o.PickupCode is null) return NotFound();
        Order = o;
        QrSvg = Infrastructure.Qr.Svg(RewardService.QrPrefix + o.PickupCode, $"QR {ReadableCodes.Format(o.PickupCode)}");
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
