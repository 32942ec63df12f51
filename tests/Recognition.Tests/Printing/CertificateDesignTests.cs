using System.Net;
using System.Xml.Linq;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;
using Recognition.Web.Infrastructure.Pdf;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Tests.Printing;

/// <summary>
/// Certificates carry the badge's emblem and colour, the site's logo, issuer and signatory (set by its admin), checked in
/// the rendered page; and every shipped badge icon draws in the PDF and has a name in both languages.
/// </summary>
public sealed class CertificateDesignTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;
    private long _award;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Bob, [_w.Alice], _w.Badges["safety_star"], null,
            "你发现 3 号压机的光幕支架松动，立即停机挂牌，避免了一次夹手事故。", "public", 10, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        _award = o.Id!.Value;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private Task<HttpResponseMessage> SaveSettings(Session admin, byte[] logo, string fileName = "logo.png", string issuer = "华东精密制造有限公司", string signatory = "厂长 王芳") =>
        admin.PostFileAsync("/Admin/Organisation?handler=Certificate", "/Admin/Organisation", "logo", fileName, logo, new()
        {
            ["site"] = $"{_w.SiteId}", ["issuerZh"] = issuer, ["issuerEn"] = "East China Precision Co.", ["signatoryZh"] = signatory, ["signatoryEn"] = "Plant manager Wang Fang",
        });

    [PdfFact]
    public async Task A_certificate_shows_the_badge_emblem_in_its_colour_the_site_logo_issuer_and_a_signature_line()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        var before = await admin.Client.GetByteArrayAsync($"/print/certificates/recognition/{_award}");
        var plain = await Poppler.RenderGrayAsync(before, 1, 36);
        Assert.True(Darkness(plain, 56, 50, 150, 70) < 2, "no logo set: the top-left corner is empty");
        Assert.Contains("签名 Signature", await Poppler.TextAsync(before)); // a signature line even before anything is set

        var saved = await SaveSettings(admin, TestImages.Png(300, 100));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var pdf = await admin.Client.GetByteArrayAsync($"/print/certificates/recognition/{_award}");
        Keep("certificate-branded", pdf);
        await Poppler.CheckAsync(pdf);
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains("颁发单位 Issued by: 华东精密制造有限公司 East China Precision Co.", text);
        Assert.Contains("厂长 王芳 Plant manager Wang Fang", text);
        Assert.DoesNotContain("签名 Signature", text);
        var page = await Poppler.RenderGrayAsync(pdf, 1, 36);
        Assert.True(Darkness(page, 56, 50, 150, 70) > 20, "the logo prints top left");
        // The emblem: a disc of the badge's colour (安全之星 #c0392b) top right, with the white icon on it.
        var (w, _, _) = page;
        var disc = Darkness(page, 700, 90, 12, 12); // left of the icon, inside the disc
        Assert.True(disc > 40, $"the emblem's disc is drawn in the badge's colour ({disc})");
        var centre = Lightest(page, 842 - 56 - 96 + 24, 48 + 24, 48, 48);
        Assert.True(centre > 200, $"the icon is drawn in white on the disc ({centre})");
        Assert.True(w > 0);

        // A batch of certificates of one site embeds the logo once.
        var sup = await Session.SignInAsync(_app, "S1");
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [_w.Dave], _w.Badges["mentor"], null,
            "你每天下班后多留半小时带新人练习扭矩扳手的校验，现在新同事已经能独立上岗了。", "public", 0, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        var batch = await sup.Client.GetByteArrayAsync($"/Supervisor/Summary?handler=Certificates&team={_w.TeamA}&from=2026-11-17&to=2026-11-18");
        Assert.Equal(2, (await Poppler.InfoAsync(batch)).Pages);
        Assert.Equal(1, await Poppler.ImageCountAsync(batch));
    }

    [PdfFact]
    public async Task The_admin_sees_a_sample_and_can_remove_the_logo()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        Assert.Equal(HttpStatusCode.Redirect, (await SaveSettings(admin, TestImages.Png(200, 200))).StatusCode);
        var page = await admin.GetDocAsync($"/Admin/Organisation?site={_w.SiteId}");
        Assert.NotNull(page.QuerySelector("#logo-preview"));
        var logo = await admin.Client.GetAsync($"/Admin/Organisation?handler=Logo&site={_w.SiteId}");
        Assert.Equal("image/png", logo.Content.Headers.ContentType!.MediaType);
        var sample = await admin.Client.GetByteArrayAsync($"/Admin/Organisation?handler=Sample&site={_w.SiteId}");
        Assert.Contains("华东精密制造有限公司", await Poppler.TextAsync(sample));
        Assert.Equal(1, await Poppler.ImageCountAsync(sample));

        var removed = await admin.PostFormAsync("/Admin/Organisation?handler=Certificate", new()
        {
            ["site"] = $"{_w.SiteId}", ["issuerZh"] = "华东精密制造有限公司", ["issuerEn"] = "", ["signatoryZh"] = "", ["signatoryEn"] = "", ["removeLogo"] = "true",
        }, "/Admin/Organisation");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/Admin/Organisation?handler=Logo&site={_w.SiteId}")).StatusCode);
        var after = await admin.Client.GetByteArrayAsync($"/print/certificates/recognition/{_award}");
        Assert.Equal(0, await Poppler.ImageCountAsync(after));
        Assert.Contains("签名 Signature", await Poppler.TextAsync(after)); // no signatory: the line says what it is for
        var audit = await _app.Db.ReadAsync(c => c.QueryAsync<string>("SELECT action FROM audit_log WHERE action = 'site.certificate'"));
        Assert.Equal(2, audit.Count());
    }

    [Fact]
    public async Task A_bad_logo_or_another_site_is_refused_with_its_reason_and_nothing_is_stored()
    {
        var admin = await Session.SignInAsync(_app, "A1");
        var huge = await SaveSettings(admin, TestImages.Png(5000, 10)); // a small file, too many pixels: refused from its header
        Assert.Equal(HttpStatusCode.UnprocessableEntity, huge.StatusCode);
        Assert.Contains("标志太大：不超过 512 KB，边长不超过 2000 像素。", await huge.Content.ReadAsStringAsync());
        var text = await SaveSettings(admin, "not a picture at all"u8.ToArray(), "logo.png");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, text.StatusCode);
        Assert.Contains("标志必须是 PNG 或 JPEG 图片。", await text.Content.ReadAsStringAsync());
        var big = await SaveSettings(admin, new byte[600 * 1024], "logo.png"); // answered before the body is read
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Contains("标志太大", await big.Content.ReadAsStringAsync());
        var longName = await SaveSettings(admin, TestImages.Png(10, 10), issuer: new string('厂', 101));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, longName.StatusCode);
        Assert.Contains("证书上的名称最多 100 个字符。", await longName.Content.ReadAsStringAsync());
        Assert.Equal(0, await _app.Db.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM site_certificates")));

        await _w.AddSecondSiteAsync(_app);
        var adminB = await Session.SignInAsync(_app, "AB1");
        var other = await adminB.PostFileAsync("/Admin/Organisation?handler=Certificate", "/Admin/Organisation", "logo", "logo.png", TestImages.Png(10, 10),
            new() { ["site"] = $"{_w.SiteId}", ["issuerZh"] = "别的厂" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode); // refused as every other save for a site not theirs
        Assert.Equal(0, await _app.Db.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM site_certificates")));
        Assert.Equal(HttpStatusCode.NotFound, (await adminB.Client.GetAsync($"/Admin/Organisation?handler=Sample&site={_w.SiteId}")).StatusCode);
    }

    [Fact]
    public void Every_shipped_icon_draws_as_pdf_paths_and_has_a_name_in_both_languages()
    {
        Assert.True(BadgeIcons.Names.Count >= 40);
        var en = Resx("SharedResource.resx");
        var zh = Resx("SharedResource.zh-CN.resx");
        foreach (var name in BadgeIcons.Names)
        {
            var paths = SvgIcon.Paths(BadgeIcons.Symbol(name), 0, 0, 1);
            Assert.NotEmpty(paths);
            Assert.True(en.ContainsKey($"Icon.{name}") && zh.ContainsKey($"Icon.{name}"), $"Icon.{name} needs a label in both resource files");
            Assert.NotEqual(en[$"Icon.{name}"], zh[$"Icon.{name}"]);
        }
        Assert.All(BadgeIcons.Legacy.Values, v => Assert.Contains(v, BadgeIcons.Names));
        Assert.Equal("shield-check", BadgeIcons.Normalize("安"));
        Assert.Null(BadgeIcons.Normalize("<img src=x>"));
        Assert.Contains("#award", BadgeIcons.Markup("no-such-icon")); // anything unknown draws the fallback, never the text
    }

    [Fact]
    public async Task Badges_store_icon_names_and_no_page_shows_a_character_for_a_badge()
    {
        var icons = (await _app.Db.ReadAsync(c => c.QueryAsync<string>("SELECT icon FROM badges"))).ToList();
        Assert.All(icons, i => Assert.Contains(i, BadgeIcons.Names));
        var alice = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var feed = await alice.GetDocAsync("/Feed");
        var icon = feed.QuerySelector(".rcard .badge-icon")!;
        Assert.Equal("", icon.TextContent.Trim());
        Assert.Contains("/icons/badges.svg?v=", icon.QuerySelector("use")!.GetAttribute("href"));
        var sprite = await alice.Client.GetAsync(icon.QuerySelector("use")!.GetAttribute("href")!.Split('#')[0]);
        Assert.Equal("image/svg+xml", sprite.Content.Headers.ContentType!.MediaType);
    }

    /// <summary>Keeps the PDF beside the screenshots, for a person to look at (pdftoppm).</summary>
    private static void Keep(string name, byte[] pdf)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, name + ".pdf"), pdf);
    }

    /// <summary>How dark the box (in PDF points) is on average: 0 white, 255 black.</summary>
    private static double Darkness((int Width, int Height, byte[] Pixels) page, double x, double y, double w, double h)
    {
        var (k, sum, n) = (page.Width / 842.0, 0.0, 0);
        for (var py = (int)(y * k); py < (int)((y + h) * k); py++)
        {
            for (var px = (int)(x * k); px < (int)((x + w) * k); px++) { sum += 255 - page.Pixels[py * page.Width + px]; n++; }
        }
        return sum / Math.Max(1, n);
    }

    private static int Lightest((int Width, int Height, byte[] Pixels) page, double x, double y, double w, double h)
    {
        var k = page.Width / 842.0;
        var max = 0;
        for (var py = (int)(y * k); py < (int)((y + h) * k); py++)
        {
            for (var px = (int)(x * k); px < (int)((x + w) * k); px++) max = Math.Max(max, page.Pixels[py * page.Width + px]);
        }
        return max;
    }

    private static Dictionary<string, string> Resx(string file)
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Recognition.sln"))) dir = Path.GetDirectoryName(dir)!;
        return XDocument.Load(Path.Combine(dir, "src", "Recognition.Web", "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
    }
}
