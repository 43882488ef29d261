namespace TeamTalk.Orleans.Data.Seeding;

/// <summary>Ids of the demo department and users after <see cref="DemoSeeder.SeedAsync"/>.</summary>
public sealed record DemoSeedResult(int DepartmentId, IReadOnlyDictionary<string, uint> UserIds, uint GroupId);

/// <summary>
/// The demo data of the run command: department "Demo", users alice, bob, carol and dave, all with
/// password "teamtalk" and status 0, and the normal group "Demo group" of the four (created by alice).
/// Idempotent (see <see cref="UserSeeder"/>).
/// </summary>
public sealed class DemoSeeder
{
    public const string DepartmentName = "Demo";
    public const string Password = "teamtalk";
    public const string GroupName = "Demo group";

    private readonly UserSeeder _seeder;

    public DemoSeeder(UserSeeder seeder)
    {
        ArgumentNullException.ThrowIfNull(seeder);
        _seeder = seeder;
    }

    /// <summary>The demo users (password <see cref="Password"/>).</summary>
    public static IReadOnlyList<SeedUser> Users { get; } =
    [
        new("alice", Password, "Alice", Sex: 2, Domain: "alice", Phone: "13800000001", Email: "alice@example.com", SignInfo: "Hi, I am Alice."),
        new("bob", Password, "Bob", Sex: 1, Domain: "bob", Phone: "13800000002", Email: "bob@example.com", SignInfo: "Hi, I am Bob."),
        new("carol", Password, "Carol", Sex: 2, Domain: "carol", Phone: "13800000003", Email: "carol@example.com", SignInfo: "Hi, I am Carol."),
        new("dave", Password, "Dave", Sex: 1, Domain: "dave", Phone: "13800000004", Email: "dave@example.com", SignInfo: "Hi, I am Dave."),
    ];

    public async Task<DemoSeedResult> SeedAsync(CancellationToken ct)
    {
        var departmentId = await _seeder.EnsureDepartmentAsync(DepartmentName, ct: ct);
        var ids = await _seeder.EnsureUsersAsync(Users, (uint)departmentId, ct);
        var byName = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (var i = 0; i < Users.Count; i++)
        {
            byName[Users[i].Name] = ids[i];
        }

        var groupId = await _seeder.EnsureGroupAsync(GroupName, ids, groupType: 1, ct);
        return new DemoSeedResult(departmentId, byName, groupId);
    }
}
