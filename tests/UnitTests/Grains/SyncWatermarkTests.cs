using TeamTalk.Orleans.Data.Users;

namespace TeamTalk.Orleans.UnitTests.Grains;

/// <summary>The <c>latest_update_time</c> handed back by incremental user and department syncs.</summary>
public sealed class SyncWatermarkTests
{
    [Fact]
    public void Users_nothing_returned_echoes_the_request()
    {
        Assert.Equal(0u, SyncWatermark.ForUsers(0, []));
        Assert.Equal(1_700_000_000u, SyncWatermark.ForUsers(1_700_000_000, []));
    }

    [Fact]
    public void Users_answer_the_greatest_updated_returned()
    {
        Assert.Equal(1_700_000_050u, SyncWatermark.ForUsers(0, [1_700_000_010, 1_700_000_050, 1_700_000_020]));
        Assert.Equal(1_700_000_050u, SyncWatermark.ForUsers(1_700_000_050, [1_700_000_050]));
    }

    [Fact]
    public void Departments_nothing_returned_echoes_the_request()
    {
        Assert.Equal(1_700_000_000u, SyncWatermark.ForDepartments(1_700_000_000, [], databaseNow: 1_700_000_100));
    }

    [Fact]
    public void Departments_answer_the_greatest_updated_when_it_is_in_the_past()
    {
        Assert.Equal(1_700_000_050u, SyncWatermark.ForDepartments(0, [1_700_000_010, 1_700_000_050], databaseNow: 1_700_000_100));
    }

    [Fact]
    public void Departments_changed_in_the_current_second_are_sent_again_next_time()
    {
        // The filter is updated > since: answering "now" would lose a row changed later within this second.
        Assert.Equal(1_700_000_099u, SyncWatermark.ForDepartments(0, [1_700_000_010, 1_700_000_100], databaseNow: 1_700_000_100));
    }

    [Fact]
    public void Departments_never_answer_less_than_the_request()
    {
        Assert.Equal(1_700_000_099u, SyncWatermark.ForDepartments(1_700_000_099, [1_700_000_100], databaseNow: 1_700_000_100));
        Assert.Equal(1_700_000_200u, SyncWatermark.ForDepartments(1_700_000_200, [1_700_000_300], databaseNow: 1_700_000_100));
    }
}
