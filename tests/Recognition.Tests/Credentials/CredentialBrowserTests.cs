using Microsoft.Playwright;
using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;
using SkiaSharp;

namespace Recognition.Tests.Credentials;

/// <summary>Keeping a badge as a person does it: the kiosk's QR code read by a phone, a download, and /verify in a browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CredentialBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new(realPort: true);
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 100);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<long> GiveAsync(long from, long to, string message)
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(from, [to], _w.Badges["mentor"], null, message, "public", 5, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    /// <summary>What a phone's camera would read: every QR code ZXing finds in a screenshot.</summary>
    private static IReadOnlyList<string> QrCodes(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var gray = new byte[bitmap.Width * bitmap.Height];
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                gray[y * bitmap.Width + x] = (byte)((c.Red * 299 + c.Green * 587 + c.Blue * 114) / 1000);
            }
        }
        var source = new ZXing.BinaryBitmap(new ZXing.Common.HybridBinarizer(new ZXing.RGBLuminanceSource(gray, bitmap.Width, bitmap.Height, ZXing.RGBLuminanceSource.BitmapFormat.Gray8)));
        return new ZXing.Multi.QrCode.QRCodeMultiReader().decodeMultiple(source, new Dictionary<ZXing.DecodeHintType, object> { [ZXing.DecodeHintType.TRY_HARDER] = true })?.Select(r => r.Text).ToList() ?? [];
    }

    [BrowserFact]
    public async Task A_line_worker_scans_the_kiosk_code_with_a_phone_keeps_a_badge_and_anyone_can_check_it_at_verify()
    {
        var id = await GiveAsync(_w.Alice, _w.Giver, "你把新来的同事带得很好，一周就能独立上岗。");
        var code = await Kiosk.KioskTests.PairCodeAsync(_app, _w, locale: "zh-CN");
        var kiosk = await browser.NewPageAsync(_app.ServerAddress, 1080, 1920, "zh-CN");
        await kiosk.GotoAsync($"/pair?code={code}");
        await kiosk.ClickAsync("#pair-submit");
        await kiosk.WaitForURLAsync("**/kiosk");
        await BrowserFixture.ScanAsync(kiosk, "B-E1");
        await kiosk.GotoAsync("/kiosk/me");
        await kiosk.ClickAsync("#kiosk-keep summary");
        var qr = kiosk.Locator("#kiosk-keep svg.qr");
        await Assertions.Expect(qr).ToBeVisibleAsync();
        var box = (await qr.BoundingBoxAsync())!;
        Assert.True(box.Y + box.Height <= 1920 && box.Width >= 200, $"the code is {box.Width}px wide at y {box.Y}");
        await BrowserFixture.ShotAsync(kiosk, "kiosk-keep-portrait-zh");
        var read = QrCodes(await kiosk.ScreenshotAsync(new() { FullPage = false }));
        var link = Assert.Single(read);
        Assert.StartsWith($"{_app.ServerAddress.TrimEnd('/')}/pickup/", link);

        // The phone opens it without signing in, and saves the credential.
        var phone = await browser.NewPageAsync(_app.ServerAddress, 390, 844, "zh-CN");
        await phone.GotoAsync(link);
        await Assertions.Expect(phone.Locator($"#keepables li[data-id='{id}']")).ToContainTextAsync("新人导师");
        await BrowserFixture.ShotAsync(phone, "pickup-phone-zh");
        var download = await phone.RunAndWaitForDownloadAsync(() => phone.ClickAsync($"#keepables li[data-id='{id}'] a.button >> nth=0"));
        var file = Path.Combine(Path.GetTempPath(), $"badge-{Guid.NewGuid():N}.jwt");
        await download.SaveAsAsync(file);
        var jwt = await File.ReadAllTextAsync(file);
        File.Delete(file);
        var jwks = await (await phone.APIRequest.GetAsync($"{_app.ServerAddress.TrimEnd('/')}/ob/jwks")).TextAsync();
        var check = await IndependentCheck.RunAsync(jwt, jwks);
        Assert.True(check.Verified && check.SchemaErrors.Count == 0, check.Error ?? string.Join("; ", check.SchemaErrors));

        // Someone at another company pastes it into /verify on a desk browser, in English.
        var desk = await browser.NewPageAsync(_app.ServerAddress, 1280, 800, "en-US");
        await desk.GotoAsync("/verify");
        await desk.FillAsync("#verify-token", jwt);
        await desk.ClickAsync("#verify-form button");
        await Assertions.Expect(desk.Locator("#verify-result h2")).ToHaveTextAsync("Valid");
        await Assertions.Expect(desk.Locator("#verify-result dd").First).ToHaveTextAsync("新人导师");
        await BrowserFixture.ShotAsync(desk, "verify-valid-desk-en");
    }

    [BrowserFact]
    public async Task On_a_phone_my_page_offers_each_badge_and_my_data_and_the_transparency_page_says_what_the_export_holds()
    {
        await GiveAsync(_w.Giver, _w.Alice, "You walked the new starter through the lockout steps twice, calmly.");
        var alice = await browser.SignedInPageAsync(_app.ServerAddress, "E2", "en-US", 390, 844);
        await alice.GotoAsync("/Me");
        await alice.ClickAsync("#me-keep");
        await alice.WaitForURLAsync("**/Me/Keep");
        await Assertions.Expect(alice.Locator("#keepables li")).ToHaveCountAsync(1);
        await Assertions.Expect(alice.Locator("#export-record")).ToBeVisibleAsync();
        var width = await alice.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width}px wide on a 390px phone");
        await BrowserFixture.ShotAsync(alice, "keep-phone-en");
        await alice.GotoAsync("/Transparency#transparency-export");
        await Assertions.Expect(alice.Locator("#export-sections li[data-section=ledger]")).ToContainTextAsync("every entry of your points ledger");
        await BrowserFixture.ShotAsync(alice, "transparency-export-phone-en");
    }
}
