using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Recognition.Tests.Support;

namespace Recognition.Tests.Walls;

/// <summary>
/// Kestrel sends a socket's bytes where they are written (no hop through its I/O queues), so a push to thousands of walls
/// does not hold a pinned block per wall; an operator can restore Kestrel's default. The browser and wall tests run on
/// real ports with this setting, so they are its behavioural check; the fanout bench measures its memory.
/// </summary>
public sealed class SocketSchedulingTests
{
    [Fact]
    public void Sockets_send_inline_unless_the_operator_turns_it_off()
    {
        using (var app = new AppFactory())
        {
            Assert.True(app.Get<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        }
        using var off = new AppFactory(new() { ["Kestrel:InlineScheduling"] = "false" });
        Assert.False(off.Get<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }
}
