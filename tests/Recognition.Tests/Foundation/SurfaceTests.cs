using System.Net;
using System.Text;
using Recognition.Tests.Support;
using Recognition.Web.Features.Claims;
using Recognition.Web.Infrastructure.Data;
using SkiaSharp;

namespace Recognition.Tests.Foundation;

/// <summary>The smaller doors: photo metadata, pairing by guessing, self-recorded customer praise.</summary>
public sealed class SurfaceTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app);

    /// <summary>A 40×30 JPEG whose EXIF says "rotate 90°" and carries a description and a GPS block.</summary>
    private static byte[] JpegWithExif(string secret)
    {
        using var bmp = new SKBitmap(40, 30);
        using (var canvas = new SKCanvas(bmp)) canvas.Clear(SKColors.OrangeRed);
        using var img = SKImage.FromBitmap(bmp);
        var jpeg = img.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
        var text = Encoding.ASCII.GetBytes(secret + "\0");
        var tiff = new List<byte>();
        void U16(int v) { tiff.Add((byte)(v >> 8)); tiff.Add((byte)v); }
        void U32(int v) { U16(v >> 16); U16(v & 0xFFFF); }
        const int ifd0 = 8, entries = 3, gpsIfd = ifd0 + 2 + entries * 12 + 4, textAt = gpsIfd + 2 + 12 + 4;
        tiff.AddRange("MM\0*"u8.ToArray()); U32(ifd0);
        U16(entries);
        U16(0x010E); U16(2); U32(text.Length); U32(textAt);      // ImageDescription
        U16(0x0112); U16(3); U32(1); U16(6); U16(0);             // Orientation: rotate 90° clockwise
        U16(0x8825); U16(4); U32(1); U32(gpsIfd);                // GPS IFD
        U32(0);
        U16(1); U16(0x0001); U16(2); U32(2); tiff.AddRange("N\0\0\0"u8.ToArray()); U32(0); // GPSLatitudeRef N
        tiff.AddRange(text);
        var app1 = new List<byte> { 0xFF, 0xE1 };
        var len = 2 + 6 + tiff.Count;
        app1.Add((byte)(len >> 8)); app1.Add((byte)len);
        app1.AddRange("Exif\0\0"u8.ToArray());
        app1.AddRange(tiff);
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    [Fact]
    public async Task An_uploaded_photo_is_stored_re_encoded_without_exif_and_upright()
    {
        var upload = JpegWithExif("GPS 31.2304N 121.4737E camera SN 4711");
        using (var codec = SKCodec.Create(new MemoryStream(upload))) Assert.Equal(SKEncodedOrigin.RightTop, codec.EncodedOrigin); // the fixture is what it claims
        var r = await _app.Get<ClaimService>().SubmitAsync(new ClaimCommand(_w.Giver, _w.Rules["hazard_report"], "三号线地面有油，已放警示牌，请尽快清理。", null,
            new Photo(upload, "image/jpeg"), Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.Null(r.Error);
        var stored = await DbProbe.ScalarAsync<byte[]>(_app.Db, "SELECT bytes FROM claim_photos");
        Assert.DoesNotContain("Exif", Encoding.ASCII.GetString(stored));
        Assert.DoesNotContain("31.2304N", Encoding.ASCII.GetString(stored));
        using var bitmap = SKBitmap.Decode(stored);
        Assert.Equal((30, 40), (bitmap.Width, bitmap.Height)); // turned the way the camera meant
        Assert.Equal("image/jpeg", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT content_type FROM claim_photos"));
    }

    [Fact]
    public async Task Pairing_codes_cannot_be_guessed_from_one_address()
    {
        var tv = Session.Anonymous(_app, "en-US");
        for (var i = 0; i < 10; i++)
        {
            var wrong = await tv.PostFormAsync("/pair", new() { ["Code"] = $"ZZZZ{1000 + i}" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }
        var code = await Kiosk.KioskTests.PairCodeAsync(_app, _w, "display");
        var blocked = await tv.PostFormAsync("/pair", new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Too many wrong pairing codes", (await Session.Doc(blocked)).QuerySelector(".error")!.TextContent);
        _app.Clock.Advance(TimeSpan.FromMinutes(16));
        code = await Kiosk.KioskTests.PairCodeAsync(_app, _w, "display"); // the first one has expired meanwhile
        Assert.Equal(HttpStatusCode.Redirect, (await tv.PostFormAsync("/pair", new() { ["Code"] = code })).StatusCode);
    }

    [Fact]
    public async Task A_supervisor_cannot_record_customer_praise_for_themselves()
    {
        var s = await Session.SignInAsync(_app, "S1", acceptLanguage: "en-US");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var r = await _app.Get<ClaimService>().RecordPraiseAsync(_w.SupA, null, _w.SupA, "客户来电表扬包装很仔细，一件破损都没有。", Idempotency.NewKey(), _app.Clock.UtcNow);
        Assert.Equal("Error.OwnPraise", r.Error);
        var res = await s.PostFormAsync("/Supervisor/Approvals?handler=Praise", new() { ["employeeId"] = _w.SupA.ToString(), ["description"] = "客户来电表扬包装很仔细，一件破损都没有。" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Contains("不能为自己记录客户表扬", await res.Content.ReadAsStringAsync()); // S1 reads Chinese
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class ContainerTests
{
    [Fact]
    public void The_image_runs_as_an_unprivileged_user_and_probes_itself_without_tools_it_lacks()
    {
        var lines = File.ReadAllLines(Path.Combine(AppFactory.RepoRoot(), "Dockerfile")).Select(l => l.Trim()).ToList();
        var runtime = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var user = lines.FindIndex(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.True(user > runtime, "USER after the last FROM");
        Assert.DoesNotContain(lines[user][5..].Trim(), new[] { "root", "0" });
        Assert.True(lines.FindIndex(runtime, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)) > user, "the app starts after USER");
        var health = lines.Single(l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        Assert.DoesNotContain("wget", health);
        Assert.DoesNotContain("curl", health);
    }

    [Fact]
    public async Task The_health_verb_answers_0_for_a_healthy_app_and_1_otherwise()
    {
        using var app = new AppFactory(realPort: true);
        Assert.Equal(0, (await AppProcess.RunAsync([], "health", app.ServerAddress + "/healthz")).Exit);
        Assert.Equal(1, (await AppProcess.RunAsync([], "health", "http://127.0.0.1:9/healthz")).Exit);
    }
}
