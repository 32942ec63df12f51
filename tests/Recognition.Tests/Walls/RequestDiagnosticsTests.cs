using Microsoft.AspNetCore.Http.Features;
using Recognition.Tests.Support;

namespace Recognition.Tests.Walls;

/// <summary>
/// ASP.NET Core starts a trace activity and a log scope for every request when its hosting category logs at any level,
/// and a hub connection is one request that lasts as long as the wall is open: ~1 KB more per wall (bench fanout). The
/// app's appsettings.json turns that category off (its only messages are the Information-level request lines); an
/// operator who turns it back on, or attaches a tracer, gets both again.
/// </summary>
public sealed class RequestDiagnosticsTests
{
    [Fact]
    public async Task A_request_carries_no_trace_activity_unless_the_operator_turns_request_logging_on()
    {
        using var app = new AppFactory();
        var quiet = await app.Server.SendAsync(c => { c.Request.Method = "GET"; c.Request.Path = "/healthz"; });
        Assert.Equal(200, quiet.Response.StatusCode);
        Assert.Null(quiet.Features.Get<IHttpActivityFeature>());

        using var logging = new AppFactory(new() { ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information" });
        var traced = await logging.Server.SendAsync(c => { c.Request.Method = "GET"; c.Request.Path = "/healthz"; });
        Assert.Equal(200, traced.Response.StatusCode);
        Assert.NotNull(traced.Features.Get<IHttpActivityFeature>());
    }
}
