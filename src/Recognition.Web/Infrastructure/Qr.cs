using System.Text;
using QRCoder;

namespace Recognition.Web.Infrastructure;

/// <summary>QR codes for pickup slips, praise cards, kiosk pages and printouts.</summary>
public static class Qr
{
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
