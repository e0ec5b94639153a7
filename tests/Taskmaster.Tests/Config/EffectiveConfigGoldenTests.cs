using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>
/// <c>taskmasterd --check</c>'s whole output for a file that sets every program key in both dialects, leaves them all
/// at their defaults in another program, and draws warnings: every line, in order, so a change of the printer, the
/// key table or the binder that shows in the effective configuration fails here.
/// </summary>
public class EffectiveConfigGoldenTests
{
    private const string Text = """
        [taskmasterd]
        childlogdir = /var/log/tm
        environment = GLOBAL=1
        user = nobody

        [unix_http_server]
        file = /run/tm.sock

        [inet_http_server]
        port = 127.0.0.1:9001
        username = admin
        password = secret

        [group:backend]
        programs = api, worker
        priority = 50

        [program:api]
        command = /usr/bin/api --port %(ENV_PORT)s
        numprocs = 2
        numprocs_start = 1
        process_name = %(program_name)s_%(process_num)d
        directory = /srv/api
        umask = 027
        user = www
        environment = MODE=prod,GREETING="hello, world"
        priority = 10
        autostart = false
        autorestart = true
        exitcodes = 0,2
        startsecs = 5
        startretries = 7
        stopsignal = INT
        stopwaitsecs = 30
        stopasgroup = false
        killasgroup = false
        stdout_logfile = /var/log/api.log
        stdout_logfile_maxbytes = 1MB
        stdout_logfile_backups = 3
        stderr_logfile = NONE

        [program:worker]
        command = run-worker 'with arg'
        redirect_stderr = true
        stdout_syslog = true

        [web]
        cmd = /bin/web | tee out
        workingdir = rel
        starttime = 2
        stoptime = 4
        stdout = AUTO
        stderr = web.err
        env = A=1
        autorestart = unexpected
        bogus = 1

        [bare]
        cmd = sleep 1
        env_file = -/nonexistent/a.env, /dev/null
        log_timestamps = utc
        stderr_log_timestamps = false
        rlimit_nofile = 1024:4096
        rlimit_core = 0

        ; Issue #20's hooks, schedules and restart triggers.
        [program:lifecycle]
        command = /usr/bin/job
        pre_start_hook = /usr/bin/job migrate
        pre_stop_hook = /usr/bin/job drain
        post_stop_hook = /usr/bin/job cleanup
        hook_timeout = 2m
        cron_restart = 0 3 * * *
        schedule_timezone = Europe/Paris
        max_memory_restart = 300M
        restart_when_binary_changed = true
        watch = /srv/conf
        restart_file_pattern = *.conf,*.pem
        ignore_watch = *.swp
        restart_signal_when_file_changed = HUP
        """;

    private const string Expected = """
        configuration: /etc/tm/test.conf
        [taskmasterd]
          logfile                   = /etc/tm/taskmasterd.log
          logfile_maxbytes          = 52428800
          logfile_backups           = 10
          loglevel                  = info
          pidfile                   = /etc/tm/taskmasterd.pid
          nodaemon                  = false
          umask                     = 022
          childlogdir               = /var/log/tm
          user                      = nobody
          environment               = GLOBAL=1
        [unix_http_server]
          file                      = /run/tm.sock
          chmod                     = 0700
        [inet_http_server]
          port                      = 127.0.0.1:9001
          auth                      = user admin

        group backend (priority 50, 3 processes)
          process backend:api_1 (program api, process_num 1)
            command                 = /usr/bin/api --port 8080  (/etc/tm/test.conf:19)
            argv                    = [/usr/bin/api, --port, 8080]  (executed directly)
            process_name            = api_1  (/etc/tm/test.conf:22)
            directory               = /srv/api  (/etc/tm/test.conf:23)
            umask                   = 027  (/etc/tm/test.conf:24)
            user                    = www  (/etc/tm/test.conf:25)
            environment             = MODE=prod,GREETING="hello, world"  (/etc/tm/test.conf:26)
            priority                = 10  (/etc/tm/test.conf:27)
            autostart               = false  (/etc/tm/test.conf:28)
            depends_on              = (none)  (default)
            dependent_startup       = false  (default)
            autorestart             = true  (/etc/tm/test.conf:29)
            exitcodes               = 0,2  (/etc/tm/test.conf:30)
            startsecs               = 5  (/etc/tm/test.conf:31)
            startretries            = 7  (/etc/tm/test.conf:32)
            restart_delay           = 0ms  (default)
            exp_backoff_restart_delay = 0ms  (default)
            max_restarts            = (unlimited)  (default)
            min_uptime              = 1000ms  (default)
            exit_on                 = never  (default)
            stopsignal              = SIGINT  (/etc/tm/test.conf:33)
            stopwaitsecs            = 30  (/etc/tm/test.conf:34)
            stopasgroup             = false  (/etc/tm/test.conf:35)
            killasgroup             = false  (/etc/tm/test.conf:36)
            readiness_check_script  = (none)  (default)
            liveness_check_script   = (none)  (default)
            env_file                = (none)  (default)
            log_timestamps          = false  (default)
            pre_start_hook          = (none)  (default)
            pre_stop_hook           = (none)  (default)
            post_stop_hook          = (none)  (default)
            hook_timeout            = 30s  (default)
            cron_restart            = (none)  (default)
            cron                    = (none)  (default)
            schedule_timezone       = (the daemon's local time)  (default)
            max_memory_restart      = (none)  (default)
            restart_when_binary_changed = false  (default)
            restart_signal_when_binary_changed = (none)  (default)
            restart_directory_monitor = (none)  (default)
            restart_file_pattern    = *  (default)
            ignore_watch            = (none)  (default)
            watch_delay             = 500ms  (default)
            restart_signal_when_file_changed = (none)  (default)
            redirect_stderr         = false  (default)
            stdout_logfile          = /var/log/api.log.1, maxbytes 1048576, backups 3  (/etc/tm/test.conf:37)
            stderr_logfile          = NONE (discarded)  (/etc/tm/test.conf:40)
            stdout_capture_maxbytes = 0  (default)
            stdout_events_enabled   = false  (default)
            stderr_capture_maxbytes = 0  (default)
            stderr_events_enabled   = false  (default)
            serverurl               = (AUTO)  (default)
          process backend:api_2 (program api, process_num 2)
            command                 = /usr/bin/api --port 8080  (/etc/tm/test.conf:19)
            argv                    = [/usr/bin/api, --port, 8080]  (executed directly)
            process_name            = api_2  (/etc/tm/test.conf:22)
            directory               = /srv/api  (/etc/tm/test.conf:23)
            umask                   = 027  (/etc/tm/test.conf:24)
            user                    = www  (/etc/tm/test.conf:25)
            environment             = MODE=prod,GREETING="hello, world"  (/etc/tm/test.conf:26)
            priority                = 10  (/etc/tm/test.conf:27)
            autostart               = false  (/etc/tm/test.conf:28)
            depends_on              = (none)  (default)
            dependent_startup       = false  (default)
            autorestart             = true  (/etc/tm/test.conf:29)
            exitcodes               = 0,2  (/etc/tm/test.conf:30)
            startsecs               = 5  (/etc/tm/test.conf:31)
            startretries            = 7  (/etc/tm/test.conf:32)
            restart_delay           = 0ms  (default)
            exp_backoff_restart_delay = 0ms  (default)
            max_restarts            = (unlimited)  (default)
            min_uptime              = 1000ms  (default)
            exit_on                 = never  (default)
            stopsignal              = SIGINT  (/etc/tm/test.conf:33)
            stopwaitsecs            = 30  (/etc/tm/test.conf:34)
            stopasgroup             = false  (/etc/tm/test.conf:35)
            killasgroup             = false  (/etc/tm/test.conf:36)
            readiness_check_script  = (none)  (default)
            liveness_check_script   = (none)  (default)
            env_file                = (none)  (default)
            log_timestamps          = false  (default)
            pre_start_hook          = (none)  (default)
            pre_stop_hook           = (none)  (default)
            post_stop_hook          = (none)  (default)
            hook_timeout            = 30s  (default)
            cron_restart            = (none)  (default)
            cron                    = (none)  (default)
            schedule_timezone       = (the daemon's local time)  (default)
            max_memory_restart      = (none)  (default)
            restart_when_binary_changed = false  (default)
            restart_signal_when_binary_changed = (none)  (default)
            restart_directory_monitor = (none)  (default)
            restart_file_pattern    = *  (default)
            ignore_watch            = (none)  (default)
            watch_delay             = 500ms  (default)
            restart_signal_when_file_changed = (none)  (default)
            redirect_stderr         = false  (default)
            stdout_logfile          = /var/log/api.log.2, maxbytes 1048576, backups 3  (/etc/tm/test.conf:37)
            stderr_logfile          = NONE (discarded)  (/etc/tm/test.conf:40)
            stdout_capture_maxbytes = 0  (default)
            stdout_events_enabled   = false  (default)
            stderr_capture_maxbytes = 0  (default)
            stderr_events_enabled   = false  (default)
            serverurl               = (AUTO)  (default)
          process backend:worker (program worker, process_num 0)
            command                 = run-worker 'with arg'  (/etc/tm/test.conf:43)
            argv                    = [run-worker, "with arg"]  (executed directly)
            process_name            = worker  (default)
            directory               = (inherit)  (default)
            umask                   = (inherit)  (default)
            user                    = (none)  (default)
            environment             = (none)  (default)
            priority                = 999  (default)
            autostart               = true  (default)
            depends_on              = (none)  (default)
            dependent_startup       = false  (default)
            autorestart             = unexpected  (default)
            exitcodes               = 0  (default)
            startsecs               = 1  (default)
            startretries            = 3  (default)
            restart_delay           = 0ms  (default)
            exp_backoff_restart_delay = 0ms  (default)
            max_restarts            = (unlimited)  (default)
            min_uptime              = 1000ms  (default)
            exit_on                 = never  (default)
            stopsignal              = SIGTERM  (default)
            stopwaitsecs            = 10  (default)
            stopasgroup             = true  (default)
            killasgroup             = true  (default)
            readiness_check_script  = (none)  (default)
            liveness_check_script   = (none)  (default)
            env_file                = (none)  (default)
            log_timestamps          = false  (default)
            pre_start_hook          = (none)  (default)
            pre_stop_hook           = (none)  (default)
            post_stop_hook          = (none)  (default)
            hook_timeout            = 30s  (default)
            cron_restart            = (none)  (default)
            cron                    = (none)  (default)
            schedule_timezone       = (the daemon's local time)  (default)
            max_memory_restart      = (none)  (default)
            restart_when_binary_changed = false  (default)
            restart_signal_when_binary_changed = (none)  (default)
            restart_directory_monitor = (none)  (default)
            restart_file_pattern    = *  (default)
            ignore_watch            = (none)  (default)
            watch_delay             = 500ms  (default)
            restart_signal_when_file_changed = (none)  (default)
            redirect_stderr         = true  (/etc/tm/test.conf:44)
            stdout_logfile          = /var/log/tm/worker-stdout---taskmaster-*.log (AUTO), maxbytes 52428800, backups 10  (default)
            stderr_logfile          = (redirected to stdout)  (default)
            stdout_capture_maxbytes = 0  (default)
            stdout_events_enabled   = false  (default)
            stderr_capture_maxbytes = 0  (default)
            stderr_events_enabled   = false  (default)
            serverurl               = (AUTO)  (default)

        group bare (priority 999, 1 process)
          process bare (program bare, process_num 0)
            command                 = sleep 1  (/etc/tm/test.conf:59)
            argv                    = [sleep, 1]  (executed directly)
            process_name            = bare  (default)
            directory               = (inherit)  (default)
            umask                   = (inherit)  (default)
            user                    = (none)  (default)
            environment             = (none)  (default)
            priority                = 999  (default)
            autostart               = true  (default)
            depends_on              = (none)  (default)
            dependent_startup       = false  (default)
            autorestart             = unexpected  (default)
            exitcodes               = 0  (default)
            startsecs               = 1  (default)
            startretries            = 3  (default)
            restart_delay           = 0ms  (default)
            exp_backoff_restart_delay = 0ms  (default)
            max_restarts            = (unlimited)  (default)
            min_uptime              = 1000ms  (default)
            exit_on                 = never  (default)
            stopsignal              = SIGTERM  (default)
            stopwaitsecs            = 10  (default)
            stopasgroup             = true  (default)
            killasgroup             = true  (default)
            readiness_check_script  = (none)  (default)
            liveness_check_script   = (none)  (default)
            env_file                = -/nonexistent/a.env, /dev/null  (0 variables)  (/etc/tm/test.conf:60)
            log_timestamps          = utc  (/etc/tm/test.conf:61)
            stderr_log_timestamps   = false  (/etc/tm/test.conf:62)
            rlimit_nofile           = 1024:4096  (/etc/tm/test.conf:63)
            rlimit_core             = 0  (/etc/tm/test.conf:64)
            pre_start_hook          = (none)  (default)
            pre_stop_hook           = (none)  (default)
            post_stop_hook          = (none)  (default)
            hook_timeout            = 30s  (default)
            cron_restart            = (none)  (default)
            cron                    = (none)  (default)
            schedule_timezone       = (the daemon's local time)  (default)
            max_memory_restart      = (none)  (default)
            restart_when_binary_changed = false  (default)
            restart_signal_when_binary_changed = (none)  (default)
            restart_directory_monitor = (none)  (default)
            restart_file_pattern    = *  (default)
            ignore_watch            = (none)  (default)
            watch_delay             = 500ms  (default)
            restart_signal_when_file_changed = (none)  (default)
            redirect_stderr         = false  (default)
            stdout_logfile          = /var/log/tm/bare-stdout---taskmaster-*.log (AUTO), maxbytes 52428800, backups 10  (default)
            stderr_logfile          = /var/log/tm/bare-stderr---taskmaster-*.log (AUTO), maxbytes 52428800, backups 10  (default)
            stdout_capture_maxbytes = 0  (default)
            stdout_events_enabled   = false  (default)
            stderr_capture_maxbytes = 0  (default)
            stderr_events_enabled   = false  (default)
            serverurl               = (AUTO)  (default)

        group lifecycle (priority 999, 1 process)
          process lifecycle (program lifecycle, process_num 0)
            command                 = /usr/bin/job  (/etc/tm/test.conf:68)
            argv                    = [/usr/bin/job]  (executed directly)
            process_name            = lifecycle  (default)
            directory               = (inherit)  (default)
            umask                   = (inherit)  (default)
            user                    = (none)  (default)
            environment             = (none)  (default)
            priority                = 999  (default)
            autostart               = true  (default)
            depends_on              = (none)  (default)
            dependent_startup       = false  (default)
            autorestart             = unexpected  (default)
            exitcodes               = 0  (default)
            startsecs               = 1  (default)
            startretries            = 3  (default)
            restart_delay           = 0ms  (default)
            exp_backoff_restart_delay = 0ms  (default)
            max_restarts            = (unlimited)  (default)
            min_uptime              = 1000ms  (default)
            exit_on                 = never  (default)
            stopsignal              = SIGTERM  (default)
            stopwaitsecs            = 10  (default)
            stopasgroup             = true  (default)
            killasgroup             = true  (default)
            readiness_check_script  = (none)  (default)
            liveness_check_script   = (none)  (default)
            env_file                = (none)  (default)
            log_timestamps          = false  (default)
            pre_start_hook          = /usr/bin/job migrate  (/etc/tm/test.conf:69)
            pre_stop_hook           = /usr/bin/job drain  (/etc/tm/test.conf:70)
            post_stop_hook          = /usr/bin/job cleanup  (/etc/tm/test.conf:71)
            hook_timeout            = 120s  (/etc/tm/test.conf:72)
            cron_restart            = 0 3 * * *  (/etc/tm/test.conf:73)
            cron                    = (none)  (default)
            schedule_timezone       = Europe/Paris  (/etc/tm/test.conf:74)
            max_memory_restart      = 314572800  (/etc/tm/test.conf:75)
            restart_when_binary_changed = true  (/etc/tm/test.conf:76)
            restart_signal_when_binary_changed = (none)  (default)
            restart_directory_monitor = /srv/conf  (/etc/tm/test.conf:77)
            restart_file_pattern    = *.conf,*.pem  (/etc/tm/test.conf:78)
            ignore_watch            = *.swp  (/etc/tm/test.conf:79)
            watch_delay             = 500ms  (default)
            restart_signal_when_file_changed = SIGHUP  (/etc/tm/test.conf:80)
            redirect_stderr         = false  (default)
            stdout_logfile          = /var/log/tm/lifecycle-stdout---taskmaster-*.log (AUTO), maxbytes 52428800, backups 10  (default)
            stderr_logfile          = /var/log/tm/lifecycle-stderr---taskmaster-*.log (AUTO), maxbytes 52428800, backups 10  (default)
            stdout_capture_maxbytes = 0  (default)
            stdout_events_enabled   = false  (default)
            stderr_capture_maxbytes = 0  (default)
            stderr_events_enabled   = false  (default)
            serverurl               = (AUTO)  (default)

        group web (priority 999, 1 process)
          process web (program web, process_num 0)
            command                 = /bin/web | tee out  (/etc/tm/test.conf:48)
            argv                    = [/bin/web, |, tee, out]  (executed directly)
            process_name            = web  (default)
            directory               = /etc/tm/rel  (/etc/tm/test.conf:49)
            umask                   = (inherit)  (default)
            user                    = (none)  (default)
            environment             = A=1  (/etc/tm/test.conf:54)
            priority                = 999  (default)
            autostart               = true  (default)
            depends_on              = (none)  (default)
            dependent_startup       = false  (default)
            autorestart             = unexpected  (/etc/tm/test.conf:55)
            exitcodes               = 0  (default)
            startsecs               = 2  (/etc/tm/test.conf:50)
            startretries            = 3  (default)
            restart_delay           = 0ms  (default)
            exp_backoff_restart_delay = 0ms  (default)
            max_restarts            = (unlimited)  (default)
            min_uptime              = 1000ms  (default)
            exit_on                 = never  (default)
            stopsignal              = SIGTERM  (default)
            stopwaitsecs            = 4  (/etc/tm/test.conf:51)
            stopasgroup             = true  (default)
            killasgroup             = true  (default)
            readiness_check_script  = (none)  (default)
            liveness_check_script   = (none)  (default)
            env_file                = (none)  (default)
            log_timestamps          = false  (default)
            pre_start_hook          = (none)  (default)
            pre_stop_hook           = (none)  (default)
            post_stop_hook          = (none)  (default)
            hook_timeout            = 30s  (default)
            cron_restart            = (none)  (default)
            cron                    = (none)  (default)
            schedule_timezone       = (the daemon's local time)  (default)
            max_memory_restart      = (none)  (default)
            restart_when_binary_changed = false  (default)
            restart_signal_when_binary_changed = (none)  (default)
            restart_directory_monitor = (none)  (default)
            restart_file_pattern    = *  (default)
            ignore_watch            = (none)  (default)
            watch_delay             = 500ms  (default)
            restart_signal_when_file_changed = (none)  (default)
            redirect_stderr         = false  (default)
            stdout_logfile          = /var/log/tm/web-stdout---taskmaster-*.log (AUTO), maxbytes 52428800, backups 10  (/etc/tm/test.conf:52)
            stderr_logfile          = /etc/tm/web.err, maxbytes 52428800, backups 10  (/etc/tm/test.conf:53)
            stdout_capture_maxbytes = 0  (default)
            stdout_events_enabled   = false  (default)
            stderr_capture_maxbytes = 0  (default)
            stderr_events_enabled   = false  (default)
            serverurl               = (AUTO)  (default)

        warnings: 3
          /etc/tm/test.conf:45:1: [program:worker] stdout_syslog: supervisord key not implemented, ignored
          /etc/tm/test.conf:48:7: [web] cmd: the command holds what looks like shell syntax (a pipe or a command list), but it runs without a shell, as argv ['/bin/web', '|', 'tee', 'out']; write sh -c '...' if a shell was meant
          /etc/tm/test.conf:56:1: [web] bogus: unknown key, ignored
        """;

    [Fact]
    public void Check_PrintsEveryResolvedValueWithItsOrigin_LineForLine()
    {
        var w = new StringWriter();
        EffectiveConfigPrinter.Print(Cfg.Load(Text), w);
        Assert.Equal(Expected.ReplaceLineEndings("\n") + "\n", w.ToString().ReplaceLineEndings("\n"));
    }
}
