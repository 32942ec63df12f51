using System.Text.Json;
using Recognition.Bench;

// dotnet run -c Release --project bench/Recognition.Bench -- <scenario> [options]
// Writes bench/results/<scenario>.json and prints the same JSON as its last line.
var scenario = args.FirstOrDefault() ?? "";
var options = Options.Parse(args.Skip(1));
Dictionary<string, object> result = scenario switch
{
    "startup" => await StartupBench.RunAsync(options),
    "awards" => await AwardsBench.RunAsync(options),
    "pdf" => await PdfBench.RunAsync(options),
    "leaderboard" => await LeaderboardBench.RunAsync(options),
    "fanout" => await FanoutBench.RunAsync(options),
    "catchup" => await CatchupBench.RunAsync(options),
    "kiosk" => await KioskBench.RunAsync(options),
    "import" => await ImportBench.RunAsync(options),
    "redeem" => await RedeemBench.RunAsync(options),
    "insights" => await InsightsBench.RunAsync(options),
    "plantday" => await PlantdayBench.RunAsync(options),
    "scim" => await ScimBench.RunAsync(options),
    "letters" => await LettersBench.RunAsync(options),
    "api" => await ApiBench.RunAsync(options),
    "notify" => await NotifyBench.RunAsync(options),
    "react" => await ReactBench.RunAsync(options),
    "credentials" => await CredentialsBench.RunAsync(options),
    "coaching" => await CoachingBench.RunAsync(options),
    _ => throw new ArgumentException($"Unknown scenario '{scenario}'. Scenarios: startup, awards, pdf, leaderboard, fanout, catchup, kiosk, import, redeem, insights, plantday, scim, letters, api, notify, react, credentials, coaching."),
};
var json = JsonSerializer.Serialize(result);
var dir = Path.Combine(Paths.RepoRoot(), "bench", "results");
Directory.CreateDirectory(dir);
await File.WriteAllTextAsync(Path.Combine(dir, scenario + ".json"), json + "\n");
Console.WriteLine(json);
