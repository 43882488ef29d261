using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace TeamTalk.Orleans.Protocol.Framing;

/// <summary>
/// proto2 checks the C# runtime does not do on its own. Outgoing: every required field is set (the original clients
/// reject a message that lacks one, even one holding 0 or an empty string). Incoming: every enum field holds a value
/// defined in its enum (the original's parser treats anything else as a parse failure; the C# runtime keeps the raw
/// number).
/// </summary>
public static class RequiredFields
{
    private static readonly ConcurrentDictionary<MessageDescriptor, FieldDescriptor[]> EnumPaths = new();

    /// <summary>True when every required field (recursively) has been set.</summary>
    public static bool IsComplete(IMessage message) => message.IsInitialized();

    /// <summary>True when every enum value set in <paramref name="message"/> (recursively) is defined in its enum.</summary>
    public static bool HasOnlyDefinedEnums(IMessage message)
    {
        foreach (var field in EnumPaths.GetOrAdd(message.Descriptor, FieldsLeadingToEnums))
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                foreach (var item in (IList)value)
                {
                    if (!IsDefined(field, item))
                    {
                        return false;
                    }
                }
            }
            else if (field.Accessor.HasValue(message) && !IsDefined(field, value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDefined(FieldDescriptor field, object value) => field.FieldType == FieldType.Enum
        ? field.EnumType.FindValueByNumber(Convert.ToInt32(value, CultureInfo.InvariantCulture)) is not null
        : HasOnlyDefinedEnums((IMessage)value);

    /// <summary>The fields that are enums or messages containing enums: the only ones worth visiting.</summary>
    private static FieldDescriptor[] FieldsLeadingToEnums(MessageDescriptor descriptor) =>
        [.. descriptor.Fields.InFieldNumberOrder().Where(f => LeadsToEnum(f, [])) ];

    private static bool LeadsToEnum(FieldDescriptor field, HashSet<MessageDescriptor> visiting) => field.FieldType switch
    {
        FieldType.Enum => true,
        FieldType.Message when visiting.Add(field.MessageType) =>
            field.MessageType.Fields.InFieldNumberOrder().Any(f => LeadsToEnum(f, visiting)),
        _ => false,
    };
}
