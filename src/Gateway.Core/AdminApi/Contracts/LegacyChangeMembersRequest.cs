using System.Text.Json.Serialization;

namespace TeamTalk.Orleans.Gateway.AdminApi.Contracts;

/// <summary>The original http_msg_server's <c>/query/ChangeMembers</c> body (behaviour.md 2.3): every field required.</summary>
public sealed class LegacyChangeMembersRequest
{
    [JsonPropertyName("req_user_id")]
    public uint? ReqUserId { get; set; }

    [JsonPropertyName("app_key")]
    public string? AppKey { get; set; }

    [JsonPropertyName("group_id")]
    public uint? GroupId { get; set; }

    /// <summary>1 add, 2 remove.</summary>
    [JsonPropertyName("modify_type")]
    public uint? ModifyType { get; set; }

    [JsonPropertyName("user_id_list")]
    public IList<uint>? UserIdList { get; init; }
}
