using System.Reflection;
using TeamTalk.Orleans.Grains;
using TeamTalk.Orleans.Grains.Conversations;
using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.UnitTests.Grains;

/// <summary>A run of committed messages reaches each member in one call, its own messages skipping the connection that sent them.</summary>
public sealed class RunDeliveryTests
{
    private static readonly ConnectionRef PcOfA = new("gw1", 1);
    private static readonly ConnectionRef PhoneOfA = new("gw2", 7);
    private static readonly ConnectionRef PcOfB = new("gw1", 2);
    private static readonly ClientPush[] Pushes = [new MessagePush(1, 9, 1, 0, MessageType.SingleText, []), new MessagePush(2, 9, 2, 0, MessageType.SingleText, []), new MessagePush(1, 9, 3, 0, MessageType.SingleText, [])];

    [Fact]
    public async Task A_member_who_sent_nothing_gets_the_whole_run_on_every_connection()
    {
        var user = Recorder.Create();

        await RunDelivery.ToMember(user, 3, Pushes, [(1, PcOfA), (2, PcOfB), (1, PcOfA)]);

        var call = Assert.Single(((Recorder)(object)user).Calls);
        Assert.Equal(nameof(IUserGrain.DeliverAsync), call.Method);
        Assert.Same(Pushes, call.Args[0]);
        Assert.Null(call.Args[1]);
    }

    [Fact]
    public async Task A_member_who_sent_the_whole_run_from_one_connection_skips_that_connection()
    {
        var user = Recorder.Create();

        await RunDelivery.ToMember(user, 1, Pushes, [(1, PcOfA), (1, PcOfA), (1, PcOfA)]);

        var call = Assert.Single(((Recorder)(object)user).Calls);
        Assert.Equal((nameof(IUserGrain.DeliverAsync), (object?)PcOfA), (call.Method, call.Args[1]));
    }

    [Fact]
    public async Task A_member_who_sent_part_of_the_run_skips_each_sending_connection_for_its_own_messages_only()
    {
        var user = Recorder.Create();

        await RunDelivery.ToMember(user, 1, Pushes, [(1, PcOfA), (2, PcOfB), (1, PhoneOfA)]);

        var call = Assert.Single(((Recorder)(object)user).Calls);
        Assert.Equal(nameof(IUserGrain.DeliverRunAsync), call.Method);
        Assert.Equal(new ConnectionRef?[] { PcOfA, null, PhoneOfA }, (ConnectionRef?[])call.Args[1]!);
    }

    /// <summary>An <see cref="IUserGrain"/> that records the calls made to it.</summary>
    public class Recorder : DispatchProxy
    {
        public List<(string Method, object?[] Args)> Calls { get; } = [];

        public static IUserGrain Create() => Create<IUserGrain, Recorder>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Calls.Add((targetMethod!.Name, args ?? []));
            return targetMethod.ReturnType == typeof(Task<bool>) ? Task.FromResult(false) : Task.CompletedTask;
        }
    }
}
