using System.Text.RegularExpressions;
using Recognition.Tests.Support;

namespace Recognition.Tests.Walls;

/// <summary>
/// The benchmark's walls must do what the product's wall does: every message wall.js handles, the bench clients
/// handle too, and the only request wall.js makes is the catch-up the catch-up bench makes. A change to wall.js that
/// adds a handler or a fetch fails here until the bench clients follow.
/// </summary>
public sealed partial class BenchParityTests
{
    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([AppFactory.RepoRoot(), .. path]));

    [GeneratedRegex(@"\bconn\.on\(""(\w+)""")]
    private static partial Regex ProductHandler();

    [GeneratedRegex(@"\bc\.on\(""(\w+)""")]
    private static partial Regex BenchHandler();

    [GeneratedRegex(@"fetch\(\s*""([^""]*)""\s*\+\s*slug\s*\+\s*""([^""]*)""")]
    private static partial Regex ProductFetch();

    [GeneratedRegex(@"\bconn\.on\(""(\w+)""")]
    private static partial Regex AnyHandler();

    [GeneratedRegex(@"""(/hubs/\w+)"": \{\n(.*?)\n  \},", RegexOptions.Singleline)]
    private static partial Regex PeopleHub();

    [Fact]
    public void The_plant_day_people_hold_the_hubs_the_pages_hold_and_handle_what_they_handle()
    {
        // people.js: an office user's page (personal.js on /hubs/me) and a kiosk's idle screen (kiosk.js on /hubs/wall).
        var people = Read("bench", "node", "people.js");
        var hubs = PeopleHub().Matches(people).ToDictionary(m => m.Groups[1].Value,
            m => Regex.Matches(m.Groups[2].Value, @"^\s*(\w+): \(", RegexOptions.Multiline).Select(h => h.Groups[1].Value).Order().ToList());
        var personal = AnyHandler().Matches(Read("wwwroot", "js", "personal.js")).Select(m => m.Groups[1].Value).Order().ToList();
        Assert.Equal(typeof(Recognition.Web.Features.Notifications.IPersonalClient).GetMethods().Select(m => m.Name).Order(), personal);
        Assert.Equal(personal, hubs["/hubs/me"]);
        Assert.Contains("withUrl(\"/hubs/me\")", Read("wwwroot", "js", "personal.js"));
        var kiosk = Read("wwwroot", "js", "kiosk.js");
        Assert.Equal(AnyHandler().Matches(kiosk).Select(m => m.Groups[1].Value).Order().ToList(), hubs["/hubs/wall"]);
        // The idle feed's only request besides the sign-in flow is its 5-minute refresh; the bench kiosk makes it too.
        Assert.Contains("hx-trigger=\"refresh, every 300s\"", Read("src", "Recognition.Web", "Features", "Kiosk", "Index.cshtml"));
        Assert.Contains("/kiosk?handler=Feed", people);
        Assert.Contains("300 * 1000", people);
    }

    [Fact]
    public void The_bench_walls_handle_every_message_and_make_every_request_the_wall_page_does()
    {
        var wall = Read("wwwroot", "js", "wall.js");
        var handlers = ProductHandler().Matches(wall).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(["Boards", "Events", "Unpaired"], handlers.Order());
        // Every message the server can send a wall, the wall handles (and the idle kiosk takes the events and unpairing).
        Assert.Equal(typeof(Recognition.Web.Features.Walls.IWallClient).GetMethods().Select(m => m.Name).Order(), handlers.Order());
        Assert.Contains("conn.on(\"Events\"", Read("wwwroot", "js", "kiosk.js"));
        Assert.Contains("conn.on(\"Unpaired\"", Read("wwwroot", "js", "kiosk.js"));
        foreach (var client in new[] { "fanout.js", "catchup.js" })
        {
            var bench = BenchHandler().Matches(Read("bench", "node", client)).Select(m => m.Groups[1].Value).ToHashSet();
            Assert.True(handlers.SetEquals(bench), $"{client} handles {string.Join(", ", bench)}; wall.js handles {string.Join(", ", handlers)}");
        }
        var fetches = ProductFetch().Matches(wall).Select(m => m.Groups[1].Value + "{slug}" + m.Groups[2].Value).ToList();
        Assert.Equal(["/walls/{slug}?handler=Since&after="], fetches); // no boards fetch: the server pushes them
        Assert.Equal(fetches.Count, Regex.Matches(wall, @"\bfetch\(").Count); // and no other request
        Assert.Contains("/walls/${slug}?handler=Since&after=", Read("bench", "node", "catchup.js"));
    }
}
