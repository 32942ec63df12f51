using System.Text.Json;
using Microsoft.Playwright;

namespace Recognition.Tests.Support;

/// <summary>
/// axe-core (npm axe-core 4.14.1, MPL-2.0, vendored in tests/Recognition.Tests/Browser/axe) run in the page: any serious
/// or critical violation fails (moderate too where asked), with the rule, the elements and what to fix.
/// </summary>
public static class Axe
{
    private static readonly string Script = Path.Combine(AppFactory.RepoRoot(), "tests", "Recognition.Tests", "Browser", "axe", "axe.min.js");

    /// <param name="moderate">Also fail on moderate violations (the kiosk pages, where a gloved hand and a glance must be enough).</param>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page, bool moderate = false)
    {
        // The app's CSP allows no inline script: axe is added as page content by Playwright (CDP), not as a <script>.
        await page.EvaluateAsync(await File.ReadAllTextAsync(Script));
        var json = await page.EvaluateAsync<JsonElement>(
            "async (moderate) => { const r = await axe.run(document, { resultTypes: ['violations'] }); return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical' || (moderate && v.impact === 'moderate')).map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')); }",
            moderate);
        return json.EnumerateArray().Select(e => $"{page.Url} {e.GetString()}").ToList();
    }
}
