using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;
using Recognition.Web.Infrastructure;
using Recognition.Web.Infrastructure.Auth;

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
        QrSvg = Svg(RewardService.QrPrefix + o.PickupCode, $"QR {ReadableCodes.Format(o.PickupCode)}");
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>The QR code as SVG rectangles (no inline styles: the CSP forbids them), quiet zone included.</summary>
    public static string Svg(string text, string label)
    {
        using var gen = new QRCodeGenerator();
        using var data = gen.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var m = data.ModuleMatrix;
        var n = m.Count;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {n} {n}\" class=\"qr\" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(label)}\" shape-rendering=\"crispEdges\"><rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
        for (var y = 0; y < n; y++)
        {
            for (var x = 0; x < n; x++)
            {
                if (m[y][x]) sb.Append($"M{x} {y}h1v1h-1z");
            }
        }
        sb.Append("\"/></svg>");
        return sb.ToString();
    }
}
