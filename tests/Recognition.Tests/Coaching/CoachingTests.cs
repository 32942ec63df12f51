using System.Net;
using Dapper;
using Recognition.Tests.Support;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Coaching;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Coaching;

/// <summary>One-to-one cards and the one-to-one log through the real app: who sees what, what the card says, the reminder.</summary>
public sealed class CoachingTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 100);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<long> GiveAsync(long to, string message, string visibility = "public", string badge = "mentor", DateTime? at = null)
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [to], _w.Badges[badge], null, message, visibility, 5, Idempotency.NewKey()), at ?? _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    [Fact]
    public async Task The_card_shows_the_teams_supervisor_what_recent_feedback_says_with_questions_and_never_a_private_recognition()
    {
        await GiveAsync(_w.Alice, "Earlier: you kept the line stocked during the audit week.", badge: "safety_star", at: _app.Clock.UtcNow.AddDays(-120));
        await GiveAsync(_w.Alice, "You showed the new starter how to read the torque chart, twice and patiently.");
        await GiveAsync(_w.Alice, "Private: thank you for covering my shift when my child was ill.", visibility: "private");
        var claim = await _app.Get<ClaimService>().SubmitAsync(new ClaimCommand(_w.Alice, _w.Rules["hazard_report"], "Oil on the floor by press 2, cones placed.", "Press 2", null, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(claim.Ok, claim.Error);

        var sup = await Session.SignInAsync(_app, "S1", acceptLanguage: "en-US");
        var team = await sup.GetDocAsync($"/Supervisor/Team?team={_w.TeamA}");
        Assert.NotNull(team.QuerySelector($"#card-{_w.Alice}[href='/Coaching/{_w.Alice}']"));
        var card = await sup.GetDocAsync($"/Coaching/{_w.Alice}");
        Assert.Equal("根据近期反馈生成的谈话提示——不是评价，也不是打分。", card.QuerySelector("#card-label")!.TextContent.Trim()); // S1 reads Chinese
        var received = card.QuerySelector("#card-received")!.TextContent;
        Assert.Contains("torque chart", received);
        Assert.DoesNotContain("child was ill", card.Body!.TextContent);
        Assert.DoesNotContain("audit week", received); // older than 90 days: only in "then"
        Assert.Contains("torque chart", card.QuerySelector("#card-questions li[data-question='Coach.Q.Strength']")!.TextContent);
        Assert.NotNull(card.QuerySelector("#card-questions li[data-question='Coach.Q.Safety']"));
        var values = card.QuerySelectorAll("#card-values tbody tr").Select(r => r.TextContent.Trim()).ToList();
        Assert.Contains(values, v => v.StartsWith("安全", StringComparison.Ordinal) && v.EndsWith("10", StringComparison.Ordinal)); // then 1, now 0
        Assert.Contains(values, v => v.StartsWith("学习", StringComparison.Ordinal) && v.EndsWith("01", StringComparison.Ordinal)); // then 0, now 1
        Assert.Null(card.QuerySelector("#card-quiet"));

        // Dave was never recognised: the card says so and asks what got in the way.
        var dave = await sup.GetDocAsync($"/Coaching/{_w.Dave}");
        Assert.NotNull(dave.QuerySelector("#card-quiet"));
        Assert.NotNull(dave.QuerySelector("#card-questions li[data-question='Coach.Q.InTheWay']"));

        // The person sees the same card about themselves; nobody else does.
        var alice = await Session.SignInAsync(_app, "E2");
        var mine = await alice.GetDocAsync($"/Coaching/{_w.Alice}");
        Assert.Contains("This is the card your supervisor sees about you.", mine.QuerySelector("#card-label")!.TextContent);
        Assert.Null(mine.QuerySelector("#talk-form"));
        Assert.Equal(HttpStatusCode.NotFound, (await (await Session.SignInAsync(_app, "E3")).Client.GetAsync($"/Coaching/{_w.Alice}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await Session.SignInAsync(_app, "S2")).Client.GetAsync($"/Coaching/{_w.Alice}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Client.GetAsync($"/print/coaching/{_w.Dave}")).StatusCode);
    }

    [Fact]
    public async Task A_supervisor_records_a_one_to_one_once_the_note_stays_between_the_two_and_both_are_reminded_once_when_the_step_is_due()
    {
        var sup = await Session.SignInAsync(_app, "S1");
        var before = await DbProbe.FingerprintAsync(_app.Db);
        async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> fields) =>
            await sup.PostFormAsync($"/Coaching/{_w.Alice}?handler=Record", fields, formPage: $"/Coaching/{_w.Alice}");
        var future = await PostAsync(new() { ["HeldOn"] = "2026-12-30" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, future.StatusCode);
        Assert.Equal("日期须为过去一年内、不晚于今天的日期（yyyy-mm-dd）。", (await Session.Doc(future)).QuerySelector("#talk-error")!.TextContent);
        var noDay = await PostAsync(new() { ["HeldOn"] = "2026-11-18", ["NextStep"] = "Try the new changeover sheet" });
        Assert.Equal("请为下一步填写日期，以便按时提醒。", (await Session.Doc(noDay)).QuerySelector("#talk-error")!.TextContent);
        Assert.Equal(before, await DbProbe.FingerprintAsync(_app.Db));

        var form = await sup.GetDocAsync($"/Coaching/{_w.Alice}");
        var key = form.QuerySelector("#talk-form input[name=Key]")!.GetAttribute("value")!;
        var fields = new Dictionary<string, string>
        {
            ["HeldOn"] = "2026-11-18", ["Note"] = "Talked about the night-shift handover; she wants to train as a line lead.",
            ["NextStep"] = "Try the new changeover sheet", ["NextStepOn"] = "2026-11-21", ["Key"] = key
        };
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(fields)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(fields)).StatusCode); // a double tap
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM one_on_ones"));
        Assert.DoesNotContain("night-shift", await DbProbe.ScalarAsync<string>(_app.Db, "SELECT after_json FROM audit_log WHERE action = 'oneonone.recorded'"));

        var alice = await (await Session.SignInAsync(_app, "E2")).GetDocAsync($"/Coaching/{_w.Alice}");
        Assert.Contains("line lead", alice.QuerySelector("#talk-list .talk-note")!.TextContent);
        var admin = await (await Session.SignInAsync(_app, "A1")).GetDocAsync($"/Coaching/{_w.Alice}");
        Assert.NotNull(admin.QuerySelector("#talk-list li"));
        Assert.Null(admin.QuerySelector("#talk-list .talk-note")); // HR sees that it happened, not what was said
        var pdf = await (await sup.Client.GetAsync($"/print/coaching/{_w.Alice}")).Content.ReadAsByteArrayAsync();
        var text = await Poppler.TextAsync(pdf);
        Assert.DoesNotContain("line lead", text);
        Assert.Contains("changeover sheet", text);

        // The step's day comes (in Shanghai): one reminder each, however often the job runs.
        var reminders = _app.Get<OneOnOnes>();
        Assert.Equal(0, await reminders.RemindAsync());
        _app.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(1, await reminders.RemindAsync());
        Assert.Equal(0, await reminders.RemindAsync());
        var reminded = await _app.Db.ReadAsync(c => c.QueryAsync<long>("SELECT employee_id FROM notifications WHERE kind = 'oneonone.due'", new { }));
        Assert.Equal(new[] { _w.SupA, _w.Alice }.Order(), reminded.Order());
    }

    [Fact]
    public async Task Cards_print_one_page_each_in_the_persons_language_first_and_a_team_batch_goes_with_the_shift_summary()
    {
        await GiveAsync(_w.Alice, "You showed the new starter how to read the torque chart, twice and patiently.");
        var sup = await Session.SignInAsync(_app, "S1");
        var one = await sup.Client.GetAsync($"/print/coaching/{_w.Alice}");
        Assert.Equal("application/pdf", one.Content.Headers.ContentType!.MediaType);
        var pdf = await one.Content.ReadAsByteArrayAsync();
        await Poppler.CheckAsync(pdf);
        Assert.Equal(1, (await Poppler.InfoAsync(pdf)).Pages);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "screenshots", "coaching-card-en.pdf"), pdf); // to look at
        var text = await Poppler.TextAsync(pdf);
        Assert.Contains("One-to-one card · 一对一谈话卡", text); // Alice reads English: hers first
        Assert.Contains("not a rating", text);
        Assert.Contains("torque chart", text);

        var summary = await sup.GetDocAsync($"/Supervisor/Summary?team={_w.TeamA}");
        Assert.NotNull(summary.QuerySelector($"#summary-cards[href='/print/coaching/team/{_w.TeamA}']"));
        var batch = await (await sup.Client.GetAsync($"/print/coaching/team/{_w.TeamA}")).Content.ReadAsByteArrayAsync();
        var members = await DbProbe.ScalarAsync<int>(_app.Db, $"SELECT COUNT(*) FROM employees WHERE team_id = {_w.TeamA} AND active = 1");
        Assert.Equal(members, (await Poppler.InfoAsync(batch)).Pages);
        Assert.Contains("一对一谈话卡 · One-to-one card", await Poppler.TextAsync(batch)); // Chinese readers' cards: Chinese first
        Assert.Equal(HttpStatusCode.NotFound, (await (await Session.SignInAsync(_app, "S2")).Client.GetAsync($"/print/coaching/team/{_w.TeamA}")).StatusCode);
    }

    [Fact]
    public async Task Cadence_shows_each_supervisor_their_own_and_HR_everyones_with_the_share_of_people_hidden_under_five_and_quiet_people_to_the_leader_only()
    {
        // Team A has three active people besides its leader: the share of people talked to stays hidden.
        var sup = await Session.SignInAsync(_app, "S1", acceptLanguage: "en-US");
        var form = await sup.GetDocAsync($"/Coaching/{_w.Alice}");
        Assert.Equal(HttpStatusCode.Redirect, (await sup.PostFormAsync($"/Coaching/{_w.Alice}?handler=Record", new()
        {
            ["HeldOn"] = "2026-11-17",
            ["Key"] = form.QuerySelector("#talk-form input[name=Key]")!.GetAttribute("value")!
        }, formPage: $"/Coaching/{_w.Alice}")).StatusCode);
        await GiveAsync(_w.Dave, "Recognised long ago for the first aid kit check.", at: _app.Clock.UtcNow.AddDays(-70));
        await GiveAsync(_w.Alice, "You re-labelled every bin on line 3 before the audit.");
        var team = await sup.GetDocAsync($"/Supervisor/Team?team={_w.TeamA}");
        Assert.Equal("您认可他人 0 次，进行一对一谈话 1 次。", team.QuerySelector("#my-cadence p")!.TextContent.Trim()); // S1 reads Chinese
        var quiet = team.QuerySelectorAll("#team-quiet li").Select(li => li.GetAttribute("data-id")).ToList();
        Assert.Contains(_w.Dave.ToString(), quiet);   // 70 days
        Assert.Contains(_w.Giver.ToString(), quiet);  // never
        Assert.DoesNotContain(_w.Alice.ToString(), quiet);
        var hr = await (await Session.SignInAsync(_app, "A1")).GetDocAsync("/Insights");
        Assert.Equal("<5", hr.QuerySelector($"#cadence tr[data-id='{_w.SupA}'] .talked")!.TextContent);
        // An admin opening the team page is not its leader: no quiet list, no cadence of theirs.
        var adminTeam = await (await Session.SignInAsync(_app, "A1")).GetDocAsync($"/Supervisor/Team?team={_w.TeamA}");
        Assert.Null(adminTeam.QuerySelector("#team-quiet"));

        // Three more people join team A: five people, the figure shows.
        var people = _app.Get<PeopleStore>();
        await _app.Db.WriteAsync(async (c, t) =>
        {
            foreach (var no in new[] { "E7", "E8", "E9" }) await people.CreateAsync(c, t, new NewEmployee(_w.SiteId, _w.TeamA, no, "新人" + no, "New " + no, Password: World.Password));
        });
        hr = await (await Session.SignInAsync(_app, "A1")).GetDocAsync("/Insights");
        Assert.Equal("1 / 6", hr.QuerySelector($"#cadence tr[data-id='{_w.SupA}'] .talked")!.TextContent);
    }

    [Fact]
    public async Task A_team_whose_claims_rise_while_its_recognition_falls_for_three_weeks_is_a_clue_for_HR_and_its_leaders()
    {
        var claims = _app.Get<ClaimService>();
        var now = _app.Clock.UtcNow;
        foreach (var (weeksAgo, claimCount, recognitions) in new[] { (3, 1, 3), (2, 2, 2), (1, 3, 1) })
        {
            var at = now.AddDays(-7 * weeksAgo);
            for (var i = 0; i < claimCount; i++)
            {
                var o = await claims.SubmitAsync(new ClaimCommand(_w.Alice, _w.Rules["hazard_report"], $"Hazard {weeksAgo}-{i}: a loose guard on press {i}.", "Press", null, Idempotency.NewKey()), at.AddMinutes(i));
                Assert.True(o.Ok, o.Error);
            }
            for (var i = 0; i < recognitions; i++) await GiveAsync(i % 2 == 0 ? _w.Alice : _w.Dave, $"Week {weeksAgo}, thank you number {i} for the changeover help.", at: at.AddMinutes(10 + i));
        }
        // Team B: a steady week after week, no clue.
        await _app.Get<Recognition.Web.Features.Insights.InsightsBuilder>().RebuildAsync(_w.SiteId, now);
        var clue = await _app.Db.ReadAsync(c => c.QuerySingleAsync<(string Key, string People, string Detail)>("SELECT clue_key, people, detail FROM insight_clues WHERE kind = 'team_health'", new { }));
        Assert.StartsWith($"team_health:{_w.TeamA}:", clue.Key);
        Assert.Contains(_w.SupA.ToString(), clue.People);
        Assert.EndsWith("1 → 2 → 3 / 3 → 2 → 1", clue.Detail);

        var hr = await (await Session.SignInAsync(_app, "A1")).GetDocAsync("/Insights/Clues");
        var article = hr.QuerySelector("article[data-kind=team_health]")!;
        Assert.Contains("高压力、低认可", article.TextContent);
        Assert.Null(article.QuerySelector("form[action*=Revoke]")); // a conversation, never a penalty
        var team = await (await Session.SignInAsync(_app, "S1", acceptLanguage: "en-US")).GetDocAsync($"/Supervisor/Team?team={_w.TeamA}");
        Assert.Contains("1 → 2 → 3 / 3 → 2 → 1", team.QuerySelector("#team-health")!.TextContent);
        var other = await (await Session.SignInAsync(_app, "S2")).GetDocAsync($"/Supervisor/Team?team={_w.TeamB}");
        Assert.Null(other.QuerySelector("#team-health"));
    }
}
