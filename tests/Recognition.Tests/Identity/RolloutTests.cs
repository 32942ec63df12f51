using System.Net;
using System.Text.RegularExpressions;
using Recognition.Tests.Kiosk;
using Recognition.Tests.Support;

namespace Recognition.Tests.Identity;

/// <summary>Welcome letters, kiosk self-activation, supervisors' slips and the rollout counts, through the real pages.</summary>
public sealed partial class RolloutTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync() => _w = await World.CreateAsync(_app, crowd: 6);

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [GeneratedRegex(@"\b([A-Z2-9]{4}-[A-Z2-9]{4})\b")]
    private static partial Regex Code();

    private async Task<(HttpResponseMessage Res, string Text)> LettersAsync(Session admin, Dictionary<string, string> fields, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var (res, text, _) = await LettersPdfAsync(admin, fields, extra);
        return (res, text);
    }

    private async Task<(HttpResponseMessage Res, string Text, byte[] Pdf)> LettersPdfAsync(Session admin, Dictionary<string, string> fields, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var res = await admin.PostFormAsync("/Admin/People?handler=Letters", fields, formPage: "/Admin/People", extra: extra);
        if (res.Content.Headers.ContentType?.MediaType != "application/pdf") return (res, await res.Content.ReadAsStringAsync(), []);
        var pdf = await res.Content.ReadAsByteArrayAsync();
        await Poppler.CheckAsync(pdf);
        return (res, await Poppler.TextAsync(pdf), pdf);
    }

    private async Task<Session> KioskAsync()
    {
        var s = Session.Anonymous(_app, "en-US");
        var res = await s.PostFormAsync("/pair", new() { ["Code"] = await KioskTests.PairCodeAsync(_app, _w, locale: "en-US") });
        Assert.Equal("/kiosk", res.Headers.Location!.OriginalString);
        return s;
    }

    private static Task<HttpResponseMessage> ActivateAsync(Session kiosk, string no, string code, string pin = "482916") =>
        kiosk.PostFormAsync("/kiosk/activate", new() { ["EmployeeNo"] = no, ["Code"] = code, ["pin"] = pin, ["repeat"] = pin });

    [Fact]
    public async Task Letters_for_everyone_without_a_way_in_carry_working_one_time_codes_and_a_reprint_replaces_them()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var page = await admin.GetDocAsync("/Admin/People");
        Assert.Equal("6", page.QuerySelector("#rollout-none")!.TextContent.Trim());

        var (res, text) = await LettersAsync(admin, new() { ["Who"] = "without" });
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var codes = Code().Matches(text).Select(m => m.Value).ToList();
        Assert.Equal(6, codes.Count);
        Assert.Equal(6, codes.Distinct().Count());
        Assert.Contains("C000", text);
        Assert.Contains("/w/", text); // the set-your-password short link
        var audit = await DbProbe.ScalarAsync<string>(_app.Db, "SELECT after_json FROM audit_log WHERE action = 'people.letters'");
        Assert.Contains("\"letters\":6", audit);
        Assert.DoesNotContain(codes[0], audit);
        Assert.DoesNotContain(codes[0].Replace("-", ""), await DbProbe.FingerprintAsync(_app.Db));

        // The first person in the letters (C000, ordered by team then number) activates at a kiosk with their code.
        var first = Regex.Match(text, @"C000[\s\S]*?([A-Z2-9]{4}-[A-Z2-9]{4})").Groups[1].Value;
        var kiosk = await KioskAsync();
        var reprint = await LettersAsync(admin, new() { ["Who"] = "without" });
        Assert.Equal(HttpStatusCode.OK, reprint.Res.StatusCode);
        var old = await ActivateAsync(kiosk, "C000", first);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, old.StatusCode); // the reprint made new codes
        var fresh = Regex.Match(reprint.Text, @"C000[\s\S]*?([A-Z2-9]{4}-[A-Z2-9]{4})").Groups[1].Value;
        var ok = await ActivateAsync(kiosk, "c000", fresh.ToLowerInvariant().Replace("-", " "));
        Assert.Equal("/kiosk/home?activated=1", ok.Headers.Location!.OriginalString);
        Assert.Contains("kiosk-activated", await kiosk.Client.GetStringAsync("/kiosk/home?activated=1"));
        // Spent: the same code again does nothing; the new PIN signs in.
        await kiosk.Client.GetAsync("/kiosk");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ActivateAsync(kiosk, "C000", fresh, "739164")).StatusCode);
        var pin = await kiosk.PostFormAsync("/kiosk?handler=Pin", new() { ["EmployeeNo"] = "C000", ["pin"] = "482916" }, formPage: "/kiosk");
        Assert.Equal("/kiosk/home", pin.Headers.Location!.OriginalString);

        var after = await admin.GetDocAsync("/Admin/People?access=kiosk");
        Assert.Contains(after.QuerySelectorAll("#people tbody tr td a"), a => a.TextContent == "C000");
        Assert.Equal("5", after.QuerySelector("#rollout-none")!.TextContent.Trim());
    }

    [PdfFact]
    public async Task The_printed_QR_codes_read_back_as_the_set_your_password_links_on_letters_and_on_cut_out_cards()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var (_, text, pdf) = await LettersPdfAsync(admin, new() { ["Who"] = "without" });
        var links = Regex.Matches(text, @"https?://\S+/w/\S+").Select(m => m.Value).ToList();
        Assert.Equal(6, links.Count);
        // As an office printer prints it (300 dpi) and as a cheap one does (150 dpi): the code a phone reads is the printed link.
        foreach (var dpi in new[] { 300, 150 })
        {
            var read = await Poppler.QrCodesAsync(pdf, 1, dpi);
            Assert.Single(read);
            Assert.Equal(links[0], read[0]);
        }
        var set = await Session.Anonymous(_app, "en-US").Client.GetAsync(new Uri(links[0]).PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.StartsWith("/Account/Reset", set.Headers.Location!.OriginalString);

        // Cut-out cards, several to a page: each card's code is found and each is a different person's link.
        var (_, cardsText, cards) = await LettersPdfAsync(admin, new() { ["Who"] = "without", ["Cards"] = "true" });
        var cardLinks = Regex.Matches(cardsText, @"https?://\S+/w/\S+").Select(m => m.Value).ToHashSet();
        var onPage = await Poppler.QrCodesAsync(cards, 1, 300);
        Assert.Equal(6, onPage.Count);
        Assert.Subset(cardLinks, onPage.ToHashSet());
    }

    [Fact]
    public async Task People_who_can_already_sign_in_go_on_the_cover_page_unless_asked_for()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var ids = new[] { _w.Giver, _w.Crowd[0] }.Select(i => new KeyValuePair<string, string>("Selected", i.ToString()));
        var (_, text) = await LettersAsync(admin, new() { ["Who"] = "selected" }, ids);
        Assert.Contains("Already able to sign in", text);
        Assert.Single(Code().Matches(text));
        var (_, both) = await LettersAsync(admin, new() { ["Who"] = "selected", ["IncludeAble"] = "true", ["Cards"] = "true" }, ids);
        Assert.Equal(2, Code().Matches(both).Count);
    }

    [PdfFact]
    public async Task The_same_batch_asked_for_twice_at_once_prints_whole_batches_and_every_valid_code_comes_from_one_of_them()
    {
        var first = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var second = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US"); // a double click, or two admins
        var runs = await Task.WhenAll(LettersPdfAsync(first, new() { ["Who"] = "without" }), LettersPdfAsync(second, new() { ["Who"] = "without" }));
        Assert.All(runs, r => Assert.Contains(r.Res.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var printed = runs.Where(r => r.Res.StatusCode == HttpStatusCode.OK).Select(r => Code().Matches(r.Text).Select(m => m.Value.Replace("-", "")).ToList()).ToList();
        Assert.NotEmpty(printed);
        Assert.All(printed, codes => Assert.Equal(6, codes.Count));

        // Each batch is whole: every current code is from the same printout, so each person holds exactly one valid code.
        var pins = _app.Get<Recognition.Web.Infrastructure.Auth.PinHasher>();
        var hashes = (await _app.Db.ReadAsync(c => Dapper.SqlMapper.QueryAsync<string>(c,
            $"SELECT activation_hash FROM employees WHERE id IN ({string.Join(",", _w.Crowd)}) AND activation_hash IS NOT NULL"))).ToHashSet();
        Assert.Equal(6, hashes.Count);
        Assert.Single(printed, codes => codes.Select(pins.Keyed).ToHashSet().SetEquals(hashes));
        Assert.Equal(printed.Count, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'people.letters'"));
    }

    [Fact]
    public async Task A_batch_already_running_or_an_empty_choice_is_refused_and_writes_nothing()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "INSERT INTO job_locks (name, holder, until_utc) VALUES (@n, 'other', @u)",
            new { n = $"letters:{_w.SiteId}", u = _app.Clock.UtcNow.AddMinutes(5) }, t));
        var before = await DbProbe.FingerprintAsync(_app.Db);
        var (busy, html) = await LettersAsync(admin, new() { ["Who"] = "without" });
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Contains("另一个请求正在生成欢迎信", html); // in the admin's own language (A1 reads Chinese)
        var (none, _) = await LettersAsync(admin, new() { ["Who"] = "selected" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));
    }

    [Fact]
    public async Task Six_wrong_codes_lock_activation_and_the_right_code_then_waits()
    {
        var admin = await Session.SignInAsync(_app, "A1", acceptLanguage: "en-US");
        var (_, text) = await LettersAsync(admin, new() { ["Who"] = "selected" }, [new("Selected", _w.Crowd[1].ToString())]);
        var code = Code().Match(text).Value;
        var kiosk = await KioskAsync();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ActivateAsync(kiosk, "C001", "ABCD-EFGH")).StatusCode);
        var sixth = await ActivateAsync(kiosk, "C001", code);
        Assert.Equal((HttpStatusCode)429, sixth.StatusCode);
        Assert.Null(await DbProbe.ScalarAsync<string?>(_app.Db, "SELECT pin_hash FROM employees WHERE id = @id", new { id = _w.Crowd[1] }));
        // Unknown numbers get the same answers and the same limit.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ActivateAsync(kiosk, "ZZ999", code)).StatusCode);
        _app.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Redirect, (await ActivateAsync(kiosk, "C001", code)).StatusCode);
    }

    [Fact]
    public async Task A_supervisor_prints_a_fresh_code_for_their_own_team_only()
    {
        var sup = await Session.SignInAsync(_app, "S1", acceptLanguage: "en-US");
        var slip = await sup.PostFormAsync($"/Supervisor/Team?handler=Slip&member={_w.Dave}&team={_w.TeamA}", new(), formPage: "/Supervisor/Team");
        Assert.Equal("application/pdf", slip.Content.Headers.ContentType!.MediaType);
        var text = await Poppler.TextAsync(await slip.Content.ReadAsByteArrayAsync());
        var code = Code().Match(text).Value;
        Assert.Contains("E5", text);
        Assert.Equal(HttpStatusCode.Forbidden, (await sup.PostFormAsync($"/Supervisor/Team?handler=Slip&member={_w.Bob}", new(), formPage: "/Supervisor/Team")).StatusCode);
        var kiosk = await KioskAsync();
        await _app.Db.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c, "UPDATE employees SET badge_code = 'B-E5' WHERE id = @id", new { id = _w.Dave }, t));
        Assert.Equal(HttpStatusCode.Redirect, (await ActivateAsync(kiosk, "B-E5", code, "605183")).StatusCode); // the badge scanned into the number field
        Assert.Equal(1, await DbProbe.ScalarAsync<long>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.activation_code' AND detail = 'slip'"));
    }
}
