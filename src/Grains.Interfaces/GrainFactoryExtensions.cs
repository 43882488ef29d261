using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.Grains;

/// <summary>Typed access to grains whose keys need shaping.</summary>
public static class GrainFactoryExtensions
{
    /// <summary>The key prefix of login grains: keeps names such as "a" or "0a" from being read as hex numbers by the ADO.NET storage provider (dotnet/orleans#9706).</summary>
    public const string LoginKeyPrefix = "name:";

    /// <summary>The login grain of a login name, exactly as the client sent it.</summary>
    public static ILoginGrain GetLoginGrain(this IGrainFactory factory, string userName) =>
        factory.GetGrain<ILoginGrain>(LoginKeyPrefix + userName);

    /// <summary>The user grain of a user id.</summary>
    public static IUserGrain GetUserGrain(this IGrainFactory factory, uint userId) => factory.GetGrain<IUserGrain>(userId);

    /// <summary>The sessions (conversation list, unread, read positions) of a user.</summary>
    public static ISessionGrain GetSessionGrain(this IGrainFactory factory, uint userId) => factory.GetGrain<ISessionGrain>(userId);

    /// <summary>The 1:1 conversation of two users (the same grain from either side).</summary>
    public static IRelationGrain GetRelationGrain(this IGrainFactory factory, uint userA, uint userB) =>
        factory.GetGrain<IRelationGrain>(RelationKey(userA, userB));

    /// <summary>The key of a relation grain: "&lt;smaller id&gt;:&lt;bigger id&gt;".</summary>
    public static string RelationKey(uint userA, uint userB) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Min(userA, userB)}:{Math.Max(userA, userB)}");

    /// <summary>The conversation of one of <paramref name="userId"/>'s sessions: the relation with a peer, or a group.</summary>
    public static IConversationGrain GetConversation(this IGrainFactory factory, uint userId, SessionType type, uint sessionId) =>
        type == SessionType.Group ? factory.GetGroupGrain(sessionId) : factory.GetRelationGrain(userId, sessionId);

    /// <summary>The grain of a group (its <c>IMGroup.id</c>).</summary>
    public static IGroupGrain GetGroupGrain(this IGrainFactory factory, uint groupId) => factory.GetGrain<IGroupGrain>(groupId);

    /// <summary>The (stateless) group directory: creation and membership lists.</summary>
    public static IGroupDirectoryGrain GetGroupDirectory(this IGrainFactory factory) => factory.GetGrain<IGroupDirectoryGrain>(0);

    /// <summary>The gateway directory.</summary>
    public static IGatewayDirectoryGrain GetGatewayDirectory(this IGrainFactory factory) => factory.GetGrain<IGatewayDirectoryGrain>(0);
}
