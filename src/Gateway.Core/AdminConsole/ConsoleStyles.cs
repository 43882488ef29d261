namespace TeamTalk.Orleans.Gateway.AdminConsole;

/// <summary>The console's one small style sheet (served at <c>/admin/console.css</c>): readable on a phone, no framework.</summary>
internal static class ConsoleStyles
{
    public const string Css = """
        :root { --fg: #1d2330; --muted: #6a7280; --line: #dfe3ea; --bg: #f6f7f9; --accent: #2563eb; --bad: #b42318; --ok: #067647; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        header { background: #fff; border-bottom: 1px solid var(--line); }
        nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; max-width: 70rem; margin: 0 auto; padding: .6rem 1rem; }
        nav a { color: var(--fg); text-decoration: none; }
        nav a:hover { color: var(--accent); }
        nav .brand { font-weight: 700; margin-right: .5rem; }
        nav form { margin-left: auto; }
        main { max-width: 70rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
        a { color: var(--accent); }
        table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
        th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
        th { font-weight: 600; color: var(--muted); font-size: .85rem; }
        .scroll { overflow-x: auto; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 0 0 1rem; }
        .narrow { max-width: 24rem; margin: 2rem auto; }
        form.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .75rem; align-items: end; }
        label { display: flex; flex-direction: column; gap: .2rem; font-size: .85rem; color: var(--muted); margin-bottom: .5rem; }
        input, select { font: inherit; color: var(--fg); padding: .45rem .55rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; width: 100%; }
        button { font: inherit; padding: .45rem .9rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
        button.danger { background: var(--bad); }
        button.link { background: none; color: var(--accent); padding: 0; }
        .inline { display: inline; }
        .flash { padding: .6rem .8rem; border-radius: 6px; }
        .flash.ok { background: #ecfdf3; color: var(--ok); }
        .flash.error { background: #fef3f2; color: var(--bad); }
        .muted { color: var(--muted); }
        .stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; margin-bottom: 1rem; }
        .stat { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .8rem; }
        .stat b { display: block; font-size: 1.6rem; }
        .avatar { width: 28px; height: 28px; border-radius: 50%; object-fit: cover; vertical-align: middle; }
        .tree, .tree ul { list-style: none; padding-left: 1.1rem; margin: .2rem 0; }
        .tree > li { margin-left: -1.1rem; }
        .pager { display: flex; gap: 1rem; margin: .75rem 0; }
        .status-3 { color: var(--bad); }
        """;
}
