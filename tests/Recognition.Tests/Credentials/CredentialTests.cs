using System.Buffers.Text;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Recognition.Tests.Support;
using Recognition.Web.Features.Admin;
using Recognition.Web.Features.Claims;
using Recognition.Web.Features.Credentials;
using Recognition.Web.Features.Recognize;
using Recognition.Web.Infrastructure.Data;

namespace Recognition.Tests.Credentials;

/// <summary>Open Badges 3.0 credentials through the real app: issued, checked by npm jose and 1EdTech's schema, verified, revoked, rotated.</summary>
public sealed class CredentialTests : IAsyncLifetime
{
    private const string Words = "You stopped the line when the guard was open and showed the new starter why.";
    private readonly AppFactory _app = new();
    private World _w = null!;

    public async Task InitializeAsync()
    {
        _w = await World.CreateAsync(_app);
        await _app.SetPolicyAsync(r => r.DailyRecognitionCap = 100);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<long> GiveAsync(long to, string badge = "mentor", string visibility = "public")
    {
        var o = await _app.Get<AwardService>().AwardAsync(new AwardCommand(_w.Giver, [to], _w.Badges[badge], null, Words, visibility, 5, Idempotency.NewKey()), _app.Clock.UtcNow);
        Assert.True(o.Ok, o.Error);
        return o.Id!.Value;
    }

    private static async Task<string> JwtAsync(Session s, string url)
    {
        var res = await s.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal(CredentialEndpoints.JwtType, res.Content.Headers.ContentType!.MediaType);
        return await res.Content.ReadAsStringAsync();
    }

    private async Task<IndependentCheckResult> CheckAsync(string jwt, bool schema = true) =>
        await IndependentCheck.RunAsync(jwt, await Session.Anonymous(_app).Client.GetStringAsync("/ob/jwks"), schema);

    [Fact]
    public async Task A_badge_recognition_and_an_achievement_become_credentials_that_jose_verifies_and_the_1EdTech_schema_accepts()
    {
        var id = await GiveAsync(_w.Alice);
        var claims = _app.Get<ClaimService>();
        for (var i = 0; i < 5; i++)
        {
            var c = await claims.SubmitAsync(new ClaimCommand(_w.Alice, _w.Rules["hazard_report"], $"2 号通道地面有油渍，已放警示牌 {i}。", "2 号车间", null, Idempotency.NewKey()), _app.Clock.UtcNow);
            Assert.True((await claims.ApproveAsync(c.Id!.Value, _w.SupA, null, false, _app.Clock.UtcNow)).Ok);
            _app.Clock.Advance(TimeSpan.FromDays(1)); // within the rule's daily cap
        }
        var achievement = await DbProbe.ScalarAsync<long>(_app.Db, $"SELECT id FROM employee_badges WHERE employee_id = {_w.Alice}");
        var alice = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var page = await alice.GetDocAsync("/Me/Keep");
        Assert.NotNull(page.QuerySelector($"#keepables li[data-kind=recognition][data-id='{id}'] a[href='/me/credentials/recognition/{id}?words=true']"));
        Assert.NotNull(page.QuerySelector($"#keepables li[data-kind=achievement][data-id='{achievement}']"));
        Assert.Equal("Keep what you earned", page.QuerySelector("h1")!.TextContent);

        var jwt = await JwtAsync(alice, $"/me/credentials/recognition/{id}");
        var check = await CheckAsync(jwt);
        Assert.True(check.Verified, check.Error);
        Assert.Empty(check.SchemaErrors);
        var p = check.Payload;
        Assert.Equal(["VerifiableCredential", "OpenBadgeCredential"], p.GetProperty("type").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal([CredentialIssuer.VcContext, CredentialIssuer.ObContext], p.GetProperty("@context").EnumerateArray().Select(x => x.GetString()));
        // The JWT's registered claims are the credential's own fields (OB 3.0 §8.2).
        Assert.Equal(p.GetProperty("issuer").GetProperty("id").GetString(), p.GetProperty("iss").GetString());
        Assert.Equal(p.GetProperty("id").GetString(), p.GetProperty("jti").GetString());
        Assert.Equal(p.GetProperty("credentialSubject").GetProperty("id").GetString(), p.GetProperty("sub").GetString());
        Assert.Equal(DateTimeOffset.Parse(p.GetProperty("validFrom").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), p.GetProperty("nbf").GetInt64());
        // The recipient: a salted hash of the employee number, nothing readable.
        var identity = p.GetProperty("credentialSubject").GetProperty("identifier")[0];
        Assert.Equal("ext:employeeNumber", identity.GetProperty("identityType").GetString());
        Assert.True(identity.GetProperty("hashed").GetBoolean());
        Assert.Equal("sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("E2" + identity.GetProperty("salt").GetString()))), identity.GetProperty("identityHash").GetString());
        Assert.DoesNotContain("\"E2\"", p.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Jing Chen", p.GetRawText(), StringComparison.Ordinal);
        Assert.False(p.TryGetProperty("evidence", out _)); // the words only when she chooses
        var achievementNode = p.GetProperty("credentialSubject").GetProperty("achievement");
        Assert.Equal("Mentor", achievementNode.GetProperty("name").GetString()); // her language
        Assert.Contains("Mentor", achievementNode.GetProperty("criteria").GetProperty("narrative").GetString());
        // The header's kid is an address that serves the key; the issuer's profile is served at its id.
        var kid = check.Header.GetProperty("kid").GetString()!;
        Assert.StartsWith("http://localhost/ob/keys/", kid);
        var keyAnswer = await Session.Anonymous(_app).Client.GetAsync(kid);
        Assert.Equal(kid, JsonDocument.Parse(await keyAnswer.Content.ReadAsStringAsync()).RootElement.GetProperty("kid").GetString());
        // A verifier may keep a key (it never changes at its address) and the set for a few minutes (it grows on rotation).
        Assert.Equal(TimeSpan.FromDays(1), keyAnswer.Headers.CacheControl!.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(5), (await Session.Anonymous(_app).Client.GetAsync("/ob/jwks")).Headers.CacheControl!.MaxAge);
        Assert.Null((await Session.Anonymous(_app).Client.GetAsync("/ob/keys/000000000000000000000000")).Headers.CacheControl?.MaxAge);
        var profile = JsonDocument.Parse(await Session.Anonymous(_app).Client.GetStringAsync(p.GetProperty("iss").GetString())).RootElement;
        Assert.Equal(p.GetProperty("iss").GetString(), profile.GetProperty("id").GetString());
        Assert.Equal("image/svg+xml", (await Session.Anonymous(_app).Client.GetAsync(achievementNode.GetProperty("image").GetProperty("id").GetString())).Content.Headers.ContentType!.MediaType);

        Assert.Equal(jwt, await JwtAsync(alice, $"/me/credentials/recognition/{id}"));
        // The same download again is the same credential; with the words it is another one carrying them (and, now that she
        // added an e-mail address of her own, recognised by that instead of the employee number).
        var refused = await alice.PostFormAsync("/Me/Keep?handler=Email", new() { ["Email"] = "jing.chen at example" }, formPage: "/Me/Keep");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("That is not an e-mail address (like name@example.com, at most 200 characters).", (await Session.Doc(refused)).QuerySelector("#keep-error")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.PostFormAsync("/Me/Keep?handler=Email", new() { ["Email"] = " Jing.Chen@example.com " }, formPage: "/Me/Keep")).StatusCode);
        var withWords = await CheckAsync(await JwtAsync(alice, $"/me/credentials/recognition/{id}?words=true"));
        Assert.True(withWords.Verified && withWords.SchemaErrors.Count == 0, string.Join("; ", withWords.SchemaErrors));
        Assert.Equal(Words, withWords.Payload.GetProperty("evidence")[0].GetProperty("narrative").GetString());
        var byEmail = withWords.Payload.GetProperty("credentialSubject").GetProperty("identifier")[0];
        Assert.Equal("emailAddress", byEmail.GetProperty("identityType").GetString());
        Assert.Equal("sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("jing.chen@example.com" + byEmail.GetProperty("salt").GetString()))), byEmail.GetProperty("identityHash").GetString());
        Assert.NotEqual(p.GetProperty("credentialSubject").GetProperty("id").GetString(), withWords.Payload.GetProperty("credentialSubject").GetProperty("id").GetString());

        var earned = await CheckAsync(await JwtAsync(alice, $"/me/credentials/achievement/{achievement}"));
        Assert.True(earned.Verified, earned.Error);
        Assert.Empty(earned.SchemaErrors);
        Assert.Contains("5", earned.Payload.GetProperty("credentialSubject").GetProperty("achievement").GetProperty("criteria").GetProperty("narrative").GetString());

        // Someone else's recognition or badge is not there for anyone else.
        var bob = await Session.SignInAsync(_app, "E3");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Client.GetAsync($"/me/credentials/recognition/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Client.GetAsync($"/me/credentials/achievement/{achievement}")).StatusCode);
        Assert.Equal(3, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM credentials"));
    }

    [Fact]
    public async Task Verify_says_valid_revoked_tampered_unknown_issuer_or_not_a_credential_in_the_readers_language()
    {
        var id = await GiveAsync(_w.Alice);
        var alice = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var jwt = await JwtAsync(alice, $"/me/credentials/recognition/{id}");
        async Task<(string Verdict, string Heading, HttpStatusCode Status)> VerifyAsync(string token, string language = "en-US")
        {
            var res = await Session.Anonymous(_app, language).PostFormAsync("/verify", new() { ["Token"] = token }, formPage: "/verify");
            var doc = await Session.Doc(res);
            return (doc.QuerySelector("#verify-result")?.GetAttribute("data-verdict") ?? doc.QuerySelector("#verify-error")!.TextContent, doc.QuerySelector("#verify-result h2")?.TextContent ?? "", res.StatusCode);
        }
        Assert.Equal(("valid", "Valid", HttpStatusCode.OK), await VerifyAsync(jwt));
        Assert.Equal(("valid", "有效", HttpStatusCode.OK), await VerifyAsync(jwt, "zh-CN"));

        // One changed letter in the payload: the signature no longer holds.
        var parts = jwt.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"Mentor\"", "\"Mentos\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        Assert.Equal(("tampered", "Changed after signing", HttpStatusCode.OK), await VerifyAsync(tampered));
        Assert.False((await CheckAsync(tampered, schema: false)).Verified); // jose agrees

        // Signed by a key this organisation never had, with the same kind of kid.
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = Jws.Sign(stranger, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])).Replace(JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.GetProperty("kid").GetString()!.Split('/')[^1], "0123456789abcdef01234567", StringComparison.Ordinal),
            Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])));
        Assert.Equal(("unknownissuer", "Not from this organisation", HttpStatusCode.OK), await VerifyAsync(foreign));
        var junk = await VerifyAsync("not.a.credential");
        Assert.Equal(("unreadable", "Not a credential"), (junk.Verdict, junk.Heading));
        Assert.Equal(("请先粘贴凭证或选择文件。", HttpStatusCode.UnprocessableEntity), ((await VerifyAsync("  ", "zh-CN")).Verdict, (await VerifyAsync("  ", "zh-CN")).Status));

        // Revoked: the verify page says so, and so does the published status list (a signed Bitstring Status List).
        Assert.True((await _app.Get<RevokeService>().RevokeAsync(id, _w.AdminScope, "Given twice by mistake", null, _app.Clock.UtcNow)).Ok);
        Assert.Equal(("revoked", "Revoked", HttpStatusCode.OK), await VerifyAsync(jwt));
        var status = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.GetProperty("credentialStatus");
        Assert.Equal("BitstringStatusListEntry", status.GetProperty("type").GetString());
        var listJwt = await Session.Anonymous(_app).Client.GetStringAsync(status.GetProperty("statusListCredential").GetString());
        var list = await CheckAsync(listJwt, schema: false);
        Assert.True(list.Verified, list.Error);
        var encoded = list.Payload.GetProperty("credentialSubject").GetProperty("encodedList").GetString()!;
        Assert.StartsWith("u", encoded);
        using var gz = new System.IO.Compression.GZipStream(new MemoryStream(Base64Url.DecodeFromChars(encoded.AsSpan(1))), System.IO.Compression.CompressionMode.Decompress);
        using var bits = new MemoryStream();
        await gz.CopyToAsync(bits);
        var index = int.Parse(status.GetProperty("statusListIndex").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(CredentialIssuer.ListBits / 8, bits.Length);
        Assert.NotEqual(0, bits.ToArray()[index / 8] & (0x80 >> (index % 8)));
        Assert.Equal(1, bits.ToArray().Sum(b => BitOperations.PopCount(b)));
        // A revoked recognition offers no new credential.
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Client.GetAsync($"/me/credentials/recognition/{id}?words=true")).StatusCode);
    }

    [Fact]
    public async Task A_credential_file_can_be_uploaded_and_a_rotated_key_keeps_old_credentials_valid()
    {
        var first = await GiveAsync(_w.Alice);
        var alice = await Session.SignInAsync(_app, "E2", acceptLanguage: "en-US");
        var before = await JwtAsync(alice, $"/me/credentials/recognition/{first}");

        // Only an organisation admin rotates; a site admin is refused.
        var siteAdmin = await Session.SignInAsync(_app, "A1");
        var refused = await siteAdmin.PostFormAsync("/Admin/DataKeeping?handler=Rotate", [], formPage: "/Admin/DataKeeping");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("只有集团管理员可以轮换签名密钥。", (await Session.Doc(refused)).QuerySelector("#retention-error")!.TextContent);
        Assert.Equal(0, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'credentials.key.rotate'"));
        await _w.AddSecondSiteAsync(_app);
        var org = await Session.SignInAsync(_app, "OA1");
        Assert.Equal(HttpStatusCode.Redirect, (await org.PostFormAsync("/Admin/DataKeeping?handler=Rotate", [], formPage: "/Admin/DataKeeping")).StatusCode);
        var keys = await org.GetDocAsync("/Admin/DataKeeping");
        Assert.Equal(2, keys.QuerySelectorAll("#keys-list tbody tr").Length);
        Assert.Equal(1, await DbProbe.ScalarAsync<int>(_app.Db, "SELECT COUNT(*) FROM audit_log WHERE action = 'credentials.key.rotate'"));

        var second = await GiveAsync(_w.Alice, badge: "safety_star");
        var after = await JwtAsync(alice, $"/me/credentials/recognition/{second}");
        var (old, @new) = (await CheckAsync(before, schema: false), await CheckAsync(after));
        Assert.True(old.Verified && @new.Verified, old.Error ?? @new.Error);
        Assert.NotEqual(old.Header.GetProperty("kid").GetString(), @new.Header.GetProperty("kid").GetString());
        Assert.Empty(@new.SchemaErrors);

        // Uploaded as a file: the old one is still valid after the rotation.
        var anon = Session.Anonymous(_app, "en-US");
        var form = await anon.GetDocAsync("/verify");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.ASCII.GetBytes(before)), "file", "badge.jwt" },
        };
        var res = await anon.Client.PostAsync("/verify", content);
        Assert.Equal("valid", (await Session.Doc(res)).QuerySelector("#verify-result")!.GetAttribute("data-verdict"));
        // A file too large to be a credential is refused before it is read as one.
        using var big = new MultipartFormDataContent
        {
            { new StringContent(form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!), "__RequestVerificationToken" },
            { new ByteArrayContent(new byte[40 * 1024]), "file", "big.jwt" },
        };
        var tooBig = await anon.Client.PostAsync("/verify", big);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooBig.StatusCode);
        Assert.Equal("That is too large to be a credential (at most 32 KB).", (await Session.Doc(tooBig)).QuerySelector("#verify-error")!.TextContent);
    }

    [Fact]
    public async Task At_the_kiosk_a_QR_code_lets_the_person_pick_up_their_badges_on_a_phone_for_ten_minutes_only()
    {
        var id = await GiveAsync(_w.Dave);
        var token = _app.Get<PickupTokens>().Make(_w.Dave);
        var phone = Session.Anonymous(_app, "zh-CN");
        var page = await phone.GetDocAsync($"/pickup/{token}");
        Assert.NotNull(page.QuerySelector($"#keepables li[data-id='{id}']"));
        var jwt = await JwtAsync(phone, $"/pickup/{token}/recognition/{id}");
        var check = await CheckAsync(jwt);
        Assert.True(check.Verified && check.SchemaErrors.Count == 0, check.Error);
        Assert.Equal("新人导师", check.Payload.GetProperty("name").GetString()); // Dave reads Chinese
        // A changed token is nothing; nor is someone else's recognition through a valid one.
        var bad = await phone.Client.GetAsync($"/pickup/{token[..^2]}xx");
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.NotNull((await Session.Doc(bad)).QuerySelector("#pickup-expired"));
        var other = await GiveAsync(_w.Alice);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.Client.GetAsync($"/pickup/{token}/recognition/{other}")).StatusCode);
    }
}
