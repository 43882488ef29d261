using TeamTalk.Orleans.Admin;

// TeamTalk.Orleans.Admin: a small dispatcher over System.CommandLine. Each command is one class implementing IAdminCommand
// in Commands/ (found by reflection), so adding a command means adding one file.
return await AdminHost.RunAsync(args);
