using Google.Protobuf.Reflection;
using TeamTalk.Orleans.Protocol;
using TeamTalk.Orleans.Protocol.Messages.BaseDefine;
using TeamTalk.Orleans.Protocol.Messages.Buddy;
using TeamTalk.Orleans.Protocol.Messages.File;
using TeamTalk.Orleans.Protocol.Messages.Group;
using TeamTalk.Orleans.Protocol.Messages.Login;
using TeamTalk.Orleans.Protocol.Messages.Message;
using TeamTalk.Orleans.Protocol.Messages.Other;
using TeamTalk.Orleans.Protocol.Messages.Server;
using TeamTalk.Orleans.Protocol.Messages.SwitchService;

namespace TeamTalk.Orleans.UnitTests.Wire;

/// <summary>
/// The generated protobuf descriptors carry exactly the wire facts of wire-reference.md: per message every field's
/// number, label, proto type (and enum/message type name), default and (non-)packing; per enum every value.
/// </summary>
public sealed class WireCompatibilityTests
{
    private static readonly IReadOnlyList<FileDescriptor> Files = ProtocolDescriptors.Files;

    private static readonly Dictionary<string, MessageDescriptor> MessagesByName =
        Files.SelectMany(f => f.MessageTypes).SelectMany(Flatten).ToDictionary(m => m.FullName, StringComparer.Ordinal);

    private static readonly Dictionary<string, EnumDescriptor> EnumsByName =
        Files.SelectMany(f => f.EnumTypes.Concat(f.MessageTypes.SelectMany(Flatten).SelectMany(m => m.EnumTypes)))
            .ToDictionary(e => e.FullName, StringComparer.Ordinal);

    private static readonly Dictionary<FieldType, string> ScalarNames = new()
    {
        [FieldType.Double] = "double",
        [FieldType.Float] = "float",
        [FieldType.Int64] = "int64",
        [FieldType.UInt64] = "uint64",
        [FieldType.Int32] = "int32",
        [FieldType.Fixed64] = "fixed64",
        [FieldType.Fixed32] = "fixed32",
        [FieldType.Bool] = "bool",
        [FieldType.String] = "string",
        [FieldType.Bytes] = "bytes",
        [FieldType.UInt32] = "uint32",
        [FieldType.SFixed32] = "sfixed32",
        [FieldType.SFixed64] = "sfixed64",
        [FieldType.SInt32] = "sint32",
        [FieldType.SInt64] = "sint64",
    };

    private static IEnumerable<MessageDescriptor> Flatten(MessageDescriptor message) =>
        message.NestedTypes.SelectMany(Flatten).Prepend(message);

    /// <summary>A field as "number label kind type name [option]", kind being scalar, enum or message.</summary>
    private static string Describe(FieldDescriptor field)
    {
        var label = field.IsRepeated ? "repeated" : field.IsRequired ? "required" : "optional";
        var type = field.FieldType switch
        {
            FieldType.Enum => "enum " + field.EnumType.FullName,
            FieldType.Message => "message " + field.MessageType.FullName,
            FieldType.Group => "group " + field.MessageType.FullName,
            _ => "scalar " + ScalarNames[field.FieldType],
        };
        var proto = field.ToProto();
        var option = proto.HasDefaultValue ? $" [default = {proto.DefaultValue}]" : string.Empty;
        var packed = field.IsPacked ? " [packed]" : string.Empty;
        return $"{field.FieldNumber} {label} {type} {field.Name}{option}{packed}";
    }

    private static string Describe(ReferenceField field, string package, HashSet<string> referenceEnums)
    {
        string type;
        if (ScalarNames.ContainsValue(field.Type))
        {
            type = "scalar " + field.Type;
        }
        else
        {
            var fullName = field.Type.Contains('.', StringComparison.Ordinal) ? field.Type : $"{package}.{field.Type}";
            type = (referenceEnums.Contains(fullName) ? "enum " : "message ") + fullName;
        }

        var option = field.Option.Length == 0 ? string.Empty : $" [{field.Option}]";
        return $"{field.Number} {field.Label} {type} {field.Name}{option}";
    }

    private static MessageDescriptor Message(string fullName)
    {
        Assert.True(MessagesByName.TryGetValue(fullName, out var message), $"no generated message {fullName}");
        return message;
    }

    // ---- Pinned sample (independent of wire-reference.md being present) ----

    public static TheoryData<string, string[]> Sample => new()
    {
        { "IM.Login.IMLoginReq", ["1 required scalar string user_name", "2 required scalar string password", "3 required enum IM.BaseDefine.UserStatType online_status", "4 required enum IM.BaseDefine.ClientType client_type", "5 optional scalar string client_version"] },
        { "IM.Login.IMLoginRes", ["1 required scalar uint32 server_time", "2 required enum IM.BaseDefine.ResultType result_code", "3 optional scalar string result_string", "4 optional enum IM.BaseDefine.UserStatType online_status", "5 optional message IM.BaseDefine.UserInfo user_info"] },
        { "IM.Login.IMLogoutRsp", ["1 required scalar uint32 result_code"] },
        { "IM.Login.IMKickUser", ["1 required scalar uint32 user_id", "2 required enum IM.BaseDefine.KickReasonType kick_reason"] },
        { "IM.Login.IMMsgServRsp", ["1 required enum IM.BaseDefine.ResultType result_code", "2 optional scalar string prior_ip", "3 optional scalar string backip_ip", "4 optional scalar uint32 port"] },
        { "IM.BaseDefine.UserInfo", ["1 required scalar uint32 user_id", "2 required scalar uint32 user_gender", "3 required scalar string user_nick_name", "4 required scalar string avatar_url", "5 required scalar uint32 department_id", "6 required scalar string email", "7 required scalar string user_real_name", "8 required scalar string user_tel", "9 required scalar string user_domain", "10 required scalar uint32 status", "11 optional scalar string sign_info"] },
        { "IM.BaseDefine.ContactSessionInfo", ["1 required scalar uint32 session_id", "2 required enum IM.BaseDefine.SessionType session_type", "3 required enum IM.BaseDefine.SessionStatusType session_status", "4 required scalar uint32 updated_time", "5 required scalar uint32 latest_msg_id", "6 required scalar bytes latest_msg_data", "7 required enum IM.BaseDefine.MsgType latest_msg_type", "8 required scalar uint32 latest_msg_from_user_id"] },
        { "IM.BaseDefine.UnreadInfo", ["1 required scalar uint32 session_id", "2 required enum IM.BaseDefine.SessionType session_type", "3 required scalar uint32 unread_cnt", "4 required scalar uint32 latest_msg_id", "5 required scalar bytes latest_msg_data", "6 required enum IM.BaseDefine.MsgType latest_msg_type", "7 required scalar uint32 latest_msg_from_user_id"] },
        { "IM.BaseDefine.GroupInfo", ["1 required scalar uint32 group_id", "2 required scalar uint32 version", "3 required scalar string group_name", "4 required scalar string group_avatar", "5 required scalar uint32 group_creator_id", "6 required enum IM.BaseDefine.GroupType group_type", "7 required scalar uint32 shield_status", "8 repeated scalar uint32 group_member_list"] },
        { "IM.Message.IMMsgData", ["1 required scalar uint32 from_user_id", "2 required scalar uint32 to_session_id", "3 required scalar uint32 msg_id", "4 required scalar uint32 create_time", "5 required enum IM.BaseDefine.MsgType msg_type", "6 required scalar bytes msg_data", "20 optional scalar bytes attach_data"] },
        { "IM.Message.IMMsgDataAck", ["1 required scalar uint32 user_id", "2 required scalar uint32 session_id", "3 required scalar uint32 msg_id", "4 required enum IM.BaseDefine.SessionType session_type"] },
        { "IM.Message.IMGetMsgListReq", ["1 required scalar uint32 user_id", "2 required enum IM.BaseDefine.SessionType session_type", "3 required scalar uint32 session_id", "4 required scalar uint32 msg_id_begin", "5 required scalar uint32 msg_cnt", "20 optional scalar bytes attach_data"] },
        { "IM.Message.IMGetMsgListRsp", ["1 required scalar uint32 user_id", "2 required enum IM.BaseDefine.SessionType session_type", "3 required scalar uint32 session_id", "4 required scalar uint32 msg_id_begin", "5 repeated message IM.BaseDefine.MsgInfo msg_list", "20 optional scalar bytes attach_data"] },
        { "IM.Group.IMGroupCreateReq", ["1 required scalar uint32 user_id", "2 required enum IM.BaseDefine.GroupType group_type [default = GROUP_TYPE_TMP]", "3 required scalar string group_name", "4 required scalar string group_avatar", "5 repeated scalar uint32 member_id_list", "20 optional scalar bytes attach_data"] },
        { "IM.Group.IMGroupCreateRsp", ["1 required scalar uint32 user_id", "2 required scalar uint32 result_code", "3 optional scalar uint32 group_id", "4 required scalar string group_name", "5 repeated scalar uint32 user_id_list", "20 optional scalar bytes attach_data"] },
        { "IM.Group.IMGroupChangeMemberNotify", ["1 required scalar uint32 user_id", "2 required enum IM.BaseDefine.GroupModifyType change_type", "3 required scalar uint32 group_id", "4 repeated scalar uint32 cur_user_id_list", "5 repeated scalar uint32 chg_user_id_list"] },
        { "IM.File.IMFileRsp", ["1 required scalar uint32 result_code", "2 required scalar uint32 from_user_id", "3 required scalar uint32 to_user_id", "4 required scalar string file_name", "5 required scalar string task_id", "6 repeated message IM.BaseDefine.IpAddr ip_addr_list", "7 required enum IM.BaseDefine.TransferFileType trans_mode"] },
        { "IM.File.IMFilePullDataRsp", ["1 required scalar uint32 result_code", "2 required scalar string task_id", "3 required scalar uint32 user_id", "4 required scalar uint32 offset", "5 required scalar bytes file_data"] },
        { "IM.SwitchService.IMP2PCmdMsg", ["1 required scalar uint32 from_user_id", "2 required scalar uint32 to_user_id", "3 required scalar string cmd_msg_data"] },
        { "IM.Other.IMHeartBeat", [] },
        { "IM.Buddy.IMDepartmentRsp", ["1 required scalar uint32 user_id", "2 required scalar uint32 latest_update_time", "3 repeated message IM.BaseDefine.DepartInfo dept_list", "20 optional scalar bytes attach_data"] },
        { "IM.Buddy.IMAllUserRsp", ["1 required scalar uint32 user_id", "2 required scalar uint32 latest_update_time", "3 repeated message IM.BaseDefine.UserInfo user_list", "20 optional scalar bytes attach_data"] },
        { "IM.Buddy.IMUsersStatRsp", ["1 required scalar uint32 user_id", "2 repeated message IM.BaseDefine.UserStat user_stat_list", "20 optional scalar bytes attach_data"] },
        { "IM.Server.IMServerKickUser", ["1 required scalar uint32 user_id", "2 required enum IM.BaseDefine.ClientType client_type", "3 required scalar uint32 reason"] },
    };

    [Theory]
    [MemberData(nameof(Sample))]
    public void Pinned_sample_message_matches(string fullName, string[] expected)
    {
        var message = Message(fullName);
        Assert.Equal(expected, message.Fields.InFieldNumberOrder().Select(Describe).ToArray());
    }

    [Fact]
    public void Pinned_sample_covers_every_package()
    {
        var packages = Sample.Select(row => (string)row[0]).Select(n => n[..n.LastIndexOf('.')]).ToHashSet();
        Assert.Equal(Files.Select(f => f.Package).ToHashSet(), packages);
    }

    [Fact]
    public void Generated_classes_map_to_the_proto_full_names()
    {
        Assert.Equal("IM.Login.IMLoginReq", IMLoginReq.Descriptor.FullName);
        Assert.Equal("IM.Login.IMLoginRes", IMLoginRes.Descriptor.FullName);
        Assert.Equal("IM.BaseDefine.UserInfo", UserInfo.Descriptor.FullName);
        Assert.Equal("IM.Message.IMMsgData", IMMsgData.Descriptor.FullName);
        Assert.Equal("IM.Group.IMGroupCreateReq", IMGroupCreateReq.Descriptor.FullName);
        Assert.Equal("IM.File.IMFileRsp", IMFileRsp.Descriptor.FullName);
        Assert.Equal("IM.SwitchService.IMP2PCmdMsg", IMP2PCmdMsg.Descriptor.FullName);
        Assert.Equal("IM.Other.IMHeartBeat", IMHeartBeat.Descriptor.FullName);
        Assert.Equal("IM.Buddy.IMDepartmentRsp", IMDepartmentRsp.Descriptor.FullName);
        Assert.Equal("IM.Server.IMServerKickUser", IMServerKickUser.Descriptor.FullName);
        var serviceId = IMBaseDefineReflection.Descriptor.FindTypeByName<EnumDescriptor>("ServiceID");
        Assert.Equal("IM.BaseDefine.ServiceID", serviceId.FullName);
        Assert.Equal(typeof(ServiceID), serviceId.ClrType);
        Assert.Equal("IM.Login.IMLoginReq", IMLoginReq.Descriptor.File.Package + "." + IMLoginReq.Descriptor.Name);
        Assert.Equal("IM.Login.proto", IMLoginReq.Descriptor.File.Name);
    }

    [Fact]
    public void Group_type_default_is_temporary_group()
    {
        var request = new IMGroupCreateReq();
        Assert.False(request.HasGroupType);
        Assert.Equal(GroupType.Tmp, request.GroupType);
        var field = IMGroupCreateReq.Descriptor.FindFieldByNumber(2);
        Assert.Equal("GROUP_TYPE_TMP", field.ToProto().DefaultValue);
    }

    [Fact]
    public void All_files_are_proto2()
    {
        foreach (var file in Files)
        {
            // protoc leaves syntax empty for proto2 files.
            Assert.Contains(file.ToProto().Syntax, new[] { string.Empty, "proto2" });
            Assert.Empty(file.Services);
        }
    }

    // ---- The whole of wire-reference.md ----

    [Fact]
    public void Reference_is_found_and_parsed()
    {
        var reference = WireReference.Instance;
        Assert.Equal(Files.Count, reference.Packages.Count);
        Assert.True(reference.Messages.Count >= 100, $"only {reference.Messages.Count} messages parsed");
        Assert.True(reference.Enums.Count >= 20, $"only {reference.Enums.Count} enums parsed");
        Assert.Contains(reference.Messages, m => m.FullName == "IM.Other.IMHeartBeat" && m.Fields.Count == 0);
        Assert.Contains(reference.Messages, m => m.FullName == "IM.Login.IMLoginReq" && m.Fields.Count == 5);
        Assert.Equal(reference.Messages.Count, reference.Messages.Select(m => m.FullName).Distinct().Count());
    }

    [Fact]
    public void Packages_and_file_names_match_the_reference()
    {
        var expected = WireReference.Instance.Packages.Select(p => $"{p.Name} {p.File}").Order(StringComparer.Ordinal);
        var actual = Files.Select(f => $"{f.Package} {f.Name}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_message_matches_the_reference_field_by_field()
    {
        var reference = WireReference.Instance;
        var enumNames = reference.Enums.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var message in reference.Messages)
        {
            if (!MessagesByName.TryGetValue(message.FullName, out var descriptor))
            {
                problems.Add($"{message.FullName}: not generated");
                continue;
            }

            var expected = message.Fields.OrderBy(f => f.Number).Select(f => Describe(f, message.Package, enumNames)).ToList();
            var actual = descriptor.Fields.InFieldNumberOrder().Select(Describe).ToList();
            problems.AddRange(expected.Except(actual).Select(f => $"{message.FullName}: expected {f}"));
            problems.AddRange(actual.Except(expected).Select(f => $"{message.FullName}: generated {f}"));
            if (problems.Count == 0)
            {
                Assert.Equal(expected, actual);
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void No_message_or_enum_is_generated_beyond_the_reference()
    {
        var reference = WireReference.Instance;
        Assert.Equal(
            reference.Messages.Select(m => m.FullName).Order(StringComparer.Ordinal),
            MessagesByName.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            reference.Enums.Select(e => e.FullName).Order(StringComparer.Ordinal),
            EnumsByName.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_enum_matches_the_reference_value_by_value()
    {
        var problems = new List<string>();
        foreach (var expected in WireReference.Instance.Enums)
        {
            if (!EnumsByName.TryGetValue(expected.FullName, out var descriptor))
            {
                problems.Add($"{expected.FullName}: not generated");
                continue;
            }

            var want = expected.Values.Select(v => $"{v.Key}={v.Value}").ToList();
            var have = descriptor.Values.Select(v => $"{v.Name}={v.Number}").ToList();
            problems.AddRange(want.Except(have).Select(v => $"{expected.FullName}: expected {v}"));
            problems.AddRange(have.Except(want).Select(v => $"{expected.FullName}: generated {v}"));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Generated_CSharp_enums_carry_the_reference_numbers()
    {
        // The C# enum types (what the code actually uses) agree with their descriptors and hence the reference.
        var checkedEnums = 0;
        foreach (var descriptor in EnumsByName.Values)
        {
            var clrType = descriptor.ClrType;
            Assert.NotNull(clrType);
            var clrNumbers = Enum.GetValuesAsUnderlyingType(clrType).Cast<int>().Order().ToArray();
            Assert.Equal(descriptor.Values.Select(v => v.Number).Order().ToArray(), clrNumbers);
            checkedEnums++;
        }

        Assert.Equal(WireReference.Instance.Enums.Count, checkedEnums);
        Assert.Equal(0x0701, (int)OtherCmdID.CidOtherHeartbeat);
        Assert.Equal(0x0103, (int)LoginCmdID.CidLoginReqUserlogin);
        Assert.Equal(7, (int)ServiceID.SidOther);
    }
}
