using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Recognition.Web.Features.Walls;

namespace Recognition.Tests.Walls;

/// <summary>Stands in for the wall hub's clients and records every message the relay sends, per group.</summary>
public sealed class RecordingWallHub : IHubContext<WallHub, IWallClient>
{
    public ConcurrentQueue<(string Group, WallMessage Message)> Sent { get; } = new();
    /// <summary>Each frame the relay sent: its group and how many events it carried.</summary>
    public ConcurrentQueue<(string Group, int Events)> Frames { get; } = new();
    public ConcurrentQueue<string> Unpaired { get; } = new();
    public ConcurrentQueue<string> Reloads { get; } = new();
    public ConcurrentQueue<(string Group, BoardsMessage Message)> Boards { get; } = new();
    public IHubClients<IWallClient> Clients => new RecordingClients(this);
    public IGroupManager Groups => throw new NotSupportedException();

    private sealed class RecordingClients(RecordingWallHub hub) : IHubClients<IWallClient>
    {
        public IWallClient All => new Client(hub, "*");
        public IWallClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => new Client(hub, "*");
        public IWallClient Client(string connectionId) => new Client(hub, connectionId);
        public IWallClient Clients(IReadOnlyList<string> connectionIds) => new Client(hub, "*");
        public IWallClient Group(string groupName) => new Client(hub, groupName);
        public IWallClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => new Client(hub, groupName);
        public IWallClient Groups(IReadOnlyList<string> groupNames) => new Client(hub, string.Join(",", groupNames));
        public IWallClient User(string userId) => new Client(hub, userId);
        public IWallClient Users(IReadOnlyList<string> userIds) => new Client(hub, "*");
    }

    /// <summary>Frames handed to each slice of a site group (<see cref="WallHub.SliceGroup"/>), by group.</summary>
    public ConcurrentDictionary<string, int> SliceFrames { get; } = new();
    /// <summary>When each slice got its frame (a Stopwatch timestamp).</summary>
    public ConcurrentQueue<(string Group, long At)> SliceTimes { get; } = new();

    private sealed class Client(RecordingWallHub hub, string group) : IWallClient
    {
        public Task Events(WallMessage[] messages)
        {
            // A frame goes to the group's slices one by one: recorded once, under the group's name, and counted per slice.
            var name = group;
            if (group.LastIndexOf('#') is > 0 and var hash)
            {
                hub.SliceFrames.AddOrUpdate(group, 1, (_, n) => n + 1);
                hub.SliceTimes.Enqueue((group, System.Diagnostics.Stopwatch.GetTimestamp()));
                if (group[(hash + 1)..] != "0") return Task.CompletedTask;
                name = group[..hash];
            }
            hub.Frames.Enqueue((name, messages.Length));
            foreach (var m in messages) hub.Sent.Enqueue((name, m));
            return Task.CompletedTask;
        }

        public Task Boards(BoardsMessage message)
        {
            hub.Boards.Enqueue((group, message));
            return Task.CompletedTask;
        }

        public Task Unpaired()
        {
            hub.Unpaired.Enqueue(group);
            return Task.CompletedTask;
        }

        public Task Reload()
        {
            hub.Reloads.Enqueue(group);
            return Task.CompletedTask;
        }
    }
}
