using Taskmaster.Config;
using Taskmaster.Supervision.Reload;
using Taskmaster.Tests.Config;
using K = Taskmaster.Supervision.Reload.InstanceChangeKind;

namespace Taskmaster.Tests.Supervision.Reload;

/// <summary>The pure diff of two loaded configurations, instance by instance and group by group.</summary>
public class ConfigDiffTests
{
    private const string Base = """
        [web]
        cmd = /bin/web --port 80
        numprocs = 4

        [crasher]
        cmd = /bin/crasher
        autorestart = true

        [program:db]
        command = /bin/db
        """;

    private static ConfigDiff Diff(string before, string after) =>
        ConfigDiff.Compute(Cfg.Load(before).Groups, Cfg.Load(after).Groups);

    private static Dictionary<string, InstanceChange> ByName(ConfigDiff d) =>
        d.Instances.ToDictionary(c => c.Current.FullName);

    [Fact]
    public void SameText_IsEmpty()
    {
        var d = Diff(Base, Base);
        Assert.True(d.IsEmpty);
        Assert.All(d.Instances, c => Assert.Equal(K.Unchanged, c.Kind));
        Assert.Equal(6, d.Instances.Length);
    }

    [Fact]
    public void CommentsAndSectionOrder_DoNotCount()
    {
        var reordered = "; moved around\n[program:db]\ncommand = /bin/db\n\n[crasher]\ncmd = /bin/crasher\nautorestart = true\n\n"
                        + "[web]\ncmd = /bin/web --port 80\nnumprocs = 4\n";
        Assert.True(Diff(Base, reordered).IsEmpty);
    }

    [Fact]
    public void NumprocsFourToSix_AddsTheTwoLastAndLeavesTheFourAlone()
    {
        var d = Diff(Base, Base.Replace("numprocs = 4", "numprocs = 6"));
        var web = d.Instances.Where(c => c.Current.ProgramName == "web").ToList();
        Assert.Equal(["web_00", "web_01", "web_02", "web_03"], web.Where(c => c.Kind == K.Unchanged).Select(c => c.Current.Name));
        Assert.Equal(["web_04", "web_05"], web.Where(c => c.Kind == K.Added).Select(c => c.Current.Name));
        Assert.Equal(["web"], d.Groups.Changed);
        Assert.Empty(d.Groups.Added);
        Assert.Empty(d.Groups.Removed);
    }

    [Fact]
    public void NumprocsSixToFour_RemovesOnlyTheTwoLast()
    {
        var six = Base.Replace("numprocs = 4", "numprocs = 6");
        var d = Diff(six, Base);
        Assert.Equal(["web:web_04", "web:web_05"], d.Changes.Select(c => c.Current.FullName));
        Assert.All(d.Changes, c => Assert.Equal(K.Removed, c.Kind));
    }

    [Theory]
    [InlineData("cmd = /bin/crasher", "cmd = /bin/crasher --new", "command")]
    [InlineData("autorestart = true", "autorestart = true\nworkingdir = /srv", "directory")]
    [InlineData("autorestart = true", "autorestart = true\nenv = A=1", "environment")]
    [InlineData("autorestart = true", "autorestart = true\numask = 077", "umask")]
    [InlineData("autorestart = true", "autorestart = true\nstdout = /var/log/c.out", "stdout_logfile")]
    [InlineData("autorestart = true", "autorestart = true\nstderr = NONE", "stderr_logfile")]
    [InlineData("autorestart = true", "autorestart = true\nredirect_stderr = true", "redirect_stderr")]
    public void SettingsTheChildIsSpawnedWith_NeedARestart(string from, string to, string field)
    {
        var crasher = ByName(Diff(Base, Base.Replace(from, to)))["crasher"];
        Assert.Equal(K.Restart, crasher.Kind);
        Assert.Contains(field, crasher.Fields);
    }

    [Theory]
    [InlineData("autorestart = true", "autorestart = false", "autorestart")]
    [InlineData("autorestart = true", "autorestart = true\nexitcodes = 0,2", "exitcodes")]
    [InlineData("autorestart = true", "autorestart = true\nstartretries = 9", "startretries")]
    [InlineData("autorestart = true", "autorestart = true\nstarttime = 5", "startsecs")]
    [InlineData("autorestart = true", "autorestart = true\nstopsignal = INT", "stopsignal")]
    [InlineData("autorestart = true", "autorestart = true\nstoptime = 3", "stopwaitsecs")]
    [InlineData("autorestart = true", "autorestart = true\npriority = 5", "priority")]
    [InlineData("autorestart = true", "autorestart = true\nautostart = false", "autostart")]
    [InlineData("autorestart = true", "autorestart = true\nstopasgroup = false", "stopasgroup")]
    [InlineData("autorestart = true", "autorestart = true\nstdout_logfile_maxbytes = 1KB", "stdout_logfile_maxbytes")]
    [InlineData("autorestart = true", "autorestart = true\nstderr_logfile_backups = 2", "stderr_logfile_backups")]
    public void PolicySettings_ChangeInPlace(string from, string to, string field)
    {
        var d = Diff(Base, Base.Replace(from, to));
        var crasher = ByName(d)["crasher"];
        Assert.Equal(K.InPlace, crasher.Kind);
        Assert.Equal([field], crasher.Fields.ToList());
        Assert.Equal(["crasher"], d.Groups.Changed);
        Assert.Single(d.Changes); // nothing else is touched
    }

    [Fact]
    public void StopAndKillAsGroup_ChangeInPlaceTogether()
    {
        var crasher = ByName(Diff(Base, Base.Replace("autorestart = true", "autorestart = true\nstopasgroup = false\nkillasgroup = false")))["crasher"];
        Assert.Equal(K.InPlace, crasher.Kind);
        Assert.Equal(["stopasgroup", "killasgroup"], crasher.Fields.ToList());
    }

    [Fact]
    public void ProcessNameChange_IsARestartOfTheSameInstance()
    {
        var d = Diff(Base, Base.Replace("[program:db]\n", "[program:db]\nprocess_name = database\n"));
        var db = Assert.Single(d.Changes);
        Assert.Equal(K.Restart, db.Kind);
        Assert.Equal(("db", "database"), (db.Old!.Name, db.New!.Name));
        Assert.Equal("process_name", db.Fields[0]); // AUTO log paths carry the name, so they change too
    }

    [Fact]
    public void ProgramMovingIntoAGroup_ChangesInPlace_AndTheSummaryNamesBothGroups()
    {
        var d = Diff(Base, Base + "\n[group:backend]\nprograms = db,crasher\n");
        var moved = d.Changes.ToList();
        Assert.Equal(2, moved.Count);
        Assert.All(moved, c => Assert.Equal(K.InPlace, c.Kind));
        Assert.All(moved, c => Assert.Equal(["group"], c.Fields.ToList()));
        Assert.Equal(["backend"], d.Groups.Added);
        Assert.Equal(["crasher", "db"], d.Groups.Removed);
        Assert.Empty(d.Groups.Changed);
    }

    [Fact]
    public void ProgramMovingAndChangingCommand_IsARestart()
    {
        var d = Diff(Base, Base.Replace("command = /bin/db", "command = /bin/db2") + "\n[group:backend]\nprograms = db\n");
        var db = Assert.Single(d.Changes);
        Assert.Equal(K.Restart, db.Kind);
        Assert.Equal(("db", "backend"), (db.Old!.GroupName, db.New!.GroupName));
    }

    [Fact]
    public void GroupSummary_AvailableChangedDisappeared_Sorted()
    {
        var after = Base.Replace("[program:db]\ncommand = /bin/db", "[program:cache]\ncommand = /bin/cache")
            .Replace("cmd = /bin/web --port 80", "cmd = /bin/web --port 81");
        var d = Diff(Base, after);
        Assert.Equal(["cache"], d.Groups.Added);
        Assert.Equal(["web"], d.Groups.Changed);
        Assert.Equal(["db"], d.Groups.Removed);
        Assert.Equal(4, d.Changes.Count(c => c.Kind == K.Restart));
    }

    [Fact]
    public void GroupPriorityAlone_ChangesTheGroup()
    {
        var grouped = Base + "\n[group:backend]\nprograms = db\npriority = 10\n";
        var d = Diff(grouped, grouped.Replace("priority = 10", "priority = 20"));
        Assert.Empty(d.Changes);
        Assert.Equal(["backend"], d.Groups.Changed);
        Assert.Equal(20, d.NewGroupPriorities["backend"]);
    }

    [Fact]
    public void Replacing_RemovesEveryInstanceAndAddsEveryOne()
    {
        var before = Cfg.Load(Base);
        var d = ConfigDiff.Replacing(before.Groups, before.Groups);
        Assert.Equal(6, d.Instances.Count(c => c.Kind == K.Removed));
        Assert.Equal(6, d.Instances.Count(c => c.Kind == K.Added));
    }

    [Fact]
    public void DaemonSettings_ThatCannotChangeLive_AreReportedAsNeedingARestart()
    {
        var before = Cfg.Load("[unix_http_server]\nfile = /tmp/a.sock\n[taskmasterd]\npidfile = /tmp/a.pid\n" + Base);
        var after = Cfg.Load("[unix_http_server]\nfile = /tmp/b.sock\n[taskmasterd]\npidfile = /tmp/b.pid\n"
                             + "[inet_http_server]\nport = 127.0.0.1:9001\n[taskmasterctl]\nprompt = x\n" + Base);
        Assert.Equal(
        [
            "[taskmasterd] pidfile changed; needs a restart of taskmasterd",
            "[unix_http_server] file changed; needs a restart of taskmasterd",
            "[inet_http_server] changed; needs a restart of taskmasterd",
        ], DaemonRestartCheck.Compare(before, after));
        Assert.Empty(DaemonRestartCheck.Compare(before, Cfg.Load("[unix_http_server]\nfile = /tmp/a.sock\n[taskmasterd]\npidfile = /tmp/a.pid\n" + Base)));
    }
}
