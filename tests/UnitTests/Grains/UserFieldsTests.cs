using TeamTalk.Orleans.Grains.Models;

namespace TeamTalk.Orleans.UnitTests.Grains;

/// <summary>The back-office's user field rules: column widths in characters, names without spaces, number ranges.</summary>
public sealed class UserFieldsTests
{
    private static readonly NewUser Valid = new("ann", "pw", "Ann", 1, 2, "12345678901", "ann@example.org", "", "");

    [Fact]
    public void A_valid_user_and_an_empty_change_pass()
    {
        Assert.Null(UserFields.Check(Valid));
        Assert.Null(UserFields.Check(new UserUpdate(null, null, null, null, null, null, null, null, null, null)));
        Assert.True(new UserUpdate(null, null, null, null, null, null, null, null, null, null).IsEmpty);
        Assert.False(UserUpdate.Leave.IsEmpty);
    }

    [Fact]
    public void Widths_count_characters_not_utf16_units()
    {
        Assert.Null(UserFields.Check(Valid with { NickName = string.Concat(Enumerable.Repeat("😀", UserFields.Nick)) }));
        Assert.StartsWith("nick:", UserFields.Check(Valid with { NickName = string.Concat(Enumerable.Repeat("😀", UserFields.Nick + 1)) }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", "")]
    [InlineData("name", "a b")]
    [InlineData("name", "123456789012345678901234567890123")]
    [InlineData("password", "")]
    [InlineData("phone", "123456789012")]
    [InlineData("email", "e")]
    [InlineData("sex", "")]
    [InlineData("departmentId", "")]
    public void Each_broken_rule_names_its_field(string field, string value)
    {
        var user = field switch
        {
            "name" => Valid with { Name = value },
            "password" => Valid with { Password = value },
            "phone" => Valid with { Phone = value },
            "email" => Valid with { Email = new string('e', UserFields.Email + 1) },
            "sex" => Valid with { Gender = UserFields.MaxGender + 1 },
            _ => Valid with { DepartmentId = 0 },
        };

        Assert.StartsWith(field + ":", UserFields.Check(user), StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_beyond_4_is_refused()
    {
        Assert.StartsWith("status:", UserFields.Check(UserUpdate.Leave with { Status = UserFields.MaxStatus + 1 }), StringComparison.Ordinal);
        Assert.Null(UserFields.Check(UserUpdate.Leave));
    }
}
