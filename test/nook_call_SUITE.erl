%% SPDX-License-Identifier: ISC
%% @doc One case per call in c_src/calls.def and per task function of the nook API, each
%% exercising a success path and a failure path with its exact error. Every case gets a fresh
%% root task (a new port) from init_per_testcase and stops it in end_per_testcase.
%%
%% No verdict depends on timing: every receive waits for a message that must come, and its
%% timeout only turns a hang into a failure.
-module(nook_call_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").
-include_lib("kernel/include/file.hrl").

%% The exit/2 call has a case of the same name.
-compile({no_auto_import, [exit/1]}).

-export([all/0, suite/0, init_per_testcase/2, end_per_testcase/2]).
%% calls.def
-export([fork_many/1, batch/1, chdir/1, clearenv/1, close/1, cpid/1, environ/1, eof/1, execve/1,
         execvp/1, exit/1, fork/1, getcpid/1, getcwd/1, getegid/1, getenv/1, geteuid/1, getgid/1,
         getopt/1, getpid/1, getppid/1, getuid/1, kill/1, open/1, pidfd_open/1,
         pidfd_send_signal/1, read/1, setcpid/1, setenv/1, setopt/1, sigaction/1, stdin_write/1, stdin_order_after_queue/1,
         stop_child/1, unsetenv/1, version/1, write/1]).
%% task functions of the API
-export([stdin/1, stop/1, pidof/1, parent/1, pipeline/1, execed/1, controlling_process/1,
         stdio/1, sudo/1, call/1]).

%% Failure guard for messages that must arrive; never part of a verdict.
-define(TIMEOUT, 5000).
%% No OS process has this pid: it is far above any pid_max.
-define(NO_SUCH_PID, 16#7ffffffe).

suite() -> [{timetrap, {seconds, 60}}].

all() ->
    [batch, chdir, clearenv, close, cpid, environ, eof, execve, execvp, exit, fork, getcpid,
     getcwd, getegid, getenv, geteuid, getgid, getopt, getpid, getppid, getuid, kill, open,
     pidfd_open, pidfd_send_signal, read, setcpid, setenv, setopt, sigaction, stdin_write,
     stdin_order_after_queue,
     stop_child, unsetenv, version, write,
     stdin, stop, pidof, parent, pipeline, execed, controlling_process, stdio, sudo, call,
     fork_many].

init_per_testcase(_Case, Config) ->
    {ok, Root} = nook:fork(),
    [{root, Root} | Config].

end_per_testcase(_Case, Config) ->
    %% sudo/1 changes how every later port starts: always put it back.
    ok = nook:sudo(""),
    nook:stop(?config(root, Config)).

%% ---- calls.def ----

batch(Config) ->
    T = ?config(root, Config),
    Pid = nook:getpid(T),
    Nowhere = "/nonexistent-nook-dir",
    ?assertEqual({ok, [ok, Pid]}, nook:batch(T, [{chdir, ["/"]}, {getpid, []}])),
    %% up to the first that fails, unless it may fail
    ?assertEqual({error, #{op => {chdir, [Nowhere]}, reason => {error, enoent},
                           remaining => [{getpid, []}]}},
                 nook:batch(T, [{chdir, [Nowhere]}, {getpid, []}])),
    ?assertEqual({ok, [{error, enoent}, Pid]},
                 nook:batch(T, [{nook, chdir, [Nowhere], [{errexit, false}]}, {getpid, []}])),
    ?assertMatch({error, #{op := {chdir, [42]}, reason := {error, {error, badarg}}}},
                 nook:batch(T, [{chdir, [42]}, {getpid, []}])),
    ?assertEqual({ok, []}, nook:batch(T, [])),
    %% an earlier result as an argument: the fd of the open
    File = filename:join(?config(priv_dir, Config), "batch"),
    ?assertMatch({ok, [{ok, _}, {ok, 2}, ok]},
                 nook:batch(T, [{open, [File, [o_wronly, o_creat], 8#600]},
                                {write, [nook_op:result(1), "hi"]}, {close, [nook_op:result(2)]}])),
    ?assertEqual({ok, <<"hi">>}, file:read_file(File)),
    %% no call that runs alone, nor one whose nook function converts its arguments
    ?assertError({badop, {fork, []}}, nook:batch(T, [{fork, []}])),
    ?assertError({badop, {eof, _}}, nook:batch(T, [{eof, [Pid, stdin]}])),
    ?assertError({badop, {getpid, [extra]}}, nook:batch(T, [{getpid, [extra]}])).

chdir(Config) ->
    T = ?config(root, Config),
    ok = nook:chdir(T, "/"),
    ?assertEqual({ok, <<"/">>}, nook:getcwd(T)),
    ok = nook:chdir(T, [<<"/t">>, "mp"]), %% any iodata names a path
    ?assertEqual({error, enoent}, nook:chdir(T, "/nonexistent-nook-dir")),
    ?assertEqual({error, enotdir}, nook:chdir(T, "/dev/null")),
    ?assertError(badarg, nook:chdir(T, 42)),
    ?assertError(badarg, nook:chdir(T, <<"/tmp", 0, "x">>)). %% a NUL cannot be in a path

clearenv(Config) ->
    T = ?config(root, Config),
    ok = nook:setenv(T, "NOOK_TEST", "1", 1),
    ok = nook:clearenv(T),
    ?assertEqual([], nook:environ(T)),
    ?assertError(badarg, nook:call(T, clearenv, [extra])).

close(Config) ->
    T = ?config(root, Config),
    {ok, FD} = nook:open(T, "/dev/null", [o_rdonly]),
    ok = nook:close(T, FD),
    ?assertEqual({error, ebadf}, nook:close(T, FD)),
    ?assertEqual({error, ebadf}, nook:close(T, -1)),
    %% nook's own fds (here a child's stdin pipe) cannot be closed by a call
    {ok, C} = nook:fork(T),
    #{stdin := ChildStdin} = nook:cpid(T, C),
    ?assertEqual({error, ebadf}, nook:close(T, ChildStdin)),
    ?assertEqual(nook:getpid(C), nook:pidof(C)), %% and the child still answers
    ?assertError(badarg, nook:close(T, stdin)).

cpid(Config) ->
    T = ?config(root, Config),
    ?assertEqual([], nook:cpid(T)),
    {ok, C} = nook:fork(T),
    Pid = nook:pidof(C),
    ?assertMatch([#{pid := Pid, exec := false, flowcontrol := -1, signaloneof := 9}],
                 nook:cpid(T)),
    [Map] = nook:cpid(T),
    ?assertEqual([exec, fdctl, flowcontrol, flowcontrol_bytes, pid, signaloneof, stderr, stdin,
                  stdout],
                 lists:sort(maps:keys(Map))),
    ok = nook:execvp(C, ["cat"]),
    ?assertMatch(#{pid := Pid, exec := true}, nook:cpid(T, C)),
    ?assertMatch(#{pid := Pid}, nook:cpid(T, Pid)), %% an OS pid names the child too
    ?assertEqual(error, nook:cpid(T, ?NO_SUCH_PID)),
    ?assertError(badarg, nook:cpid(T, not_a_child)).

environ(Config) ->
    T = ?config(root, Config),
    ok = nook:setenv(T, "NOOK_TEST", "a=b", 1),
    Env = nook:environ(T),
    ?assert(lists:all(fun erlang:is_binary/1, Env)),
    ?assert(lists:member(<<"NOOK_TEST=a=b">>, Env)),
    ok = nook:clearenv(T),
    ?assertEqual([], nook:environ(T)),
    ?assertEqual({raised, error, eacces}, as_stranger(fun() -> nook:environ(T) end)).

eof(Config) ->
    T = ?config(root, Config),
    {ok, Cat} = nook:fork(T),
    ok = nook:execvp(Cat, ["cat"]),
    nook:stdin(Cat, "hello"),
    ok = nook:eof(Cat), %% cat ends once its stdin is closed after "hello"
    ?assertEqual({<<"hello">>, 0}, stdout_until_exit(Cat)),
    {ok, C} = nook:fork(T),
    ok = nook:eof(T, C, stderr),
    ?assertEqual({error, ebadf}, nook:eof(T, C, stderr)), %% already closed
    ok = nook:eof(T, nook:pidof(C)), %% eof/2 with an OS pid closes that child's stdin
    ?assertEqual({error, ebadf}, nook:eof(C, stdin)),
    ok = nook:eof(C, stdout),
    ?assertEqual({error, ebadf}, nook:eof(T)), %% the root's stdin is the protocol channel
    ?assertEqual({error, esrch}, nook:eof(T, ?NO_SUCH_PID)),
    ?assertEqual({error, esrch}, nook:eof(T, Cat, stdin)), %% Cat's task is gone
    ?assertError(badarg, nook:eof(T, C, stdwhat)).

execve(Config) ->
    T = ?config(root, Config),
    {ok, Env} = nook:fork(T),
    ok = nook:execve(Env, ["/usr/bin/env"], ["A=1"]),
    ?assertEqual({<<"A=1\n">>, 0}, stdout_until_exit(Env)),
    {ok, Sh} = nook:fork(T),
    ok = nook:execve(Sh, "/bin/sh", ["renamed", "-c", "echo $0"], []), %% argv[0] is free
    ?assertEqual({<<"renamed\n">>, 0}, stdout_until_exit(Sh)),
    {ok, C} = nook:fork(T),
    ?assertEqual({error, enoent}, nook:execve(C, ["/nonexistent/nook-prog"], [])),
    ?assertError(badarg, nook:execve(C, ["/bin/true"], [1])),
    ?assertError(badarg, nook:execve(C, "/bin/true", ["true"], not_a_list)),
    {ok, _Grandchild} = nook:fork(C),
    %% a process with children cannot become a program: nobody would relay for them
    ?assertEqual({error, eacces}, nook:execve(C, ["/bin/true"], [])),
    ?assertEqual(false, nook:execed(C)).

execvp(Config) ->
    T = ?config(root, Config),
    %% the root's channel is the port itself
    ?assertEqual({error, eperm}, nook:execvp(T, ["true"])),
    {ok, C} = nook:fork(T),
    ?assertEqual({error, enoent}, nook:execvp(C, ["nook-no-such-program"])),
    ?assertEqual(nook:pidof(C), nook:getpid(C)), %% still in call mode, still answering
    {ok, Cat} = nook:fork(T),
    {ok, _} = nook:open(Cat, "/dev/null", [o_rdonly]), %% an fd opened without o_cloexec
    ok = nook:execvp(Cat, ["cat"]),
    nook:stdin(Cat, "ready\n"),
    %% cat echoed a line, so its startup (loader, locale files) is over
    ?assertEqual(<<"ready\n">>, stdout_bytes(Cat, 6)),
    CatFds = filename:join(["/proc", integer_to_list(nook:pidof(Cat)), "fd"]),
    {ok, Fds} = file:list_dir(CatFds),
    ?assertEqual(["0", "1", "2"], lists:sort(Fds)),
    ?assertError(eacces, nook:getpid(Cat)), %% an exec'd task takes no calls
    ok = nook:eof(Cat),
    ?assertEqual({<<>>, 0}, stdout_until_exit(Cat)),
    ok = nook:execvp(C, "sh", ["renamed", "-c", "echo $0"]),
    ?assertEqual({<<"renamed\n">>, 0}, stdout_until_exit(C)).

exit(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ?assertError(badarg, nook:exit(C, 256)),
    ?assertError(badarg, nook:exit(C, -1)),
    ?assertError(badarg, nook:exit(C, normal)),
    ok = nook:exit(C, 7),
    expect({exit_status, C, 7}),
    ?assertEqual(noproc, nook:pidof(C)),
    ?assertEqual([], nook:cpid(T)). %% reaped

fork(Config) ->
    T = ?config(root, Config),
    ?assert(is_process_alive(T)),
    {ok, C} = nook:fork(T),
    ?assertEqual(nook:getpid(T), nook:getppid(C)),
    ?assertEqual([nook:getpid(C)], nook:pipeline(C)),
    %% a raw fork would leave an OS process without a task
    ?assertEqual({error, eagain}, nook:call(T, fork, [])),
    %% anyone may fork a task; the caller owns the child
    {ok, StrangersPid} = as_stranger(fun() -> {ok, S} = nook:fork(T), nook:getpid(S) end),
    ?assert(is_integer(StrangersPid)),
    ok = nook:execvp(C, ["cat"]),
    ?assertError(eacces, nook:fork(C)). %% an exec'd task cannot fork

getcpid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ?assertEqual(-1, nook:getcpid(C, flowcontrol)),
    ?assertEqual(9, nook:getcpid(C, signaloneof)),
    ?assertEqual(0, nook:getcpid(C, exec)),
    ?assertEqual(-1, nook:getcpid(T, C, flowcontrol)),
    ?assertEqual(9, nook:getcpid(T, nook:pidof(C), signaloneof)),
    ?assertEqual(false, nook:getcpid(C, nosuchopt)),
    ?assertEqual(false, nook:getcpid(T, flowcontrol)), %% the root has no parent
    ?assertEqual(false, nook:getcpid(T, ?NO_SUCH_PID, flowcontrol)),
    ?assertError(badarg, nook:getcpid(T, C, "flowcontrol")).

getcwd(Config) ->
    T = ?config(root, Config),
    ok = nook:chdir(T, "/"),
    ?assertEqual({ok, <<"/">>}, nook:getcwd(T)),
    Gone = filename:join(?config(priv_dir, Config), "gone"),
    ok = file:make_dir(Gone),
    ok = nook:chdir(T, Gone),
    ok = file:del_dir(Gone),
    ?assertEqual({error, enoent}, nook:getcwd(T)), %% the cwd was removed
    ?assertError(badarg, nook:call(T, getcwd, ["/"])).

getegid(Config) ->
    T = ?config(root, Config),
    ?assertEqual(id("-g"), nook:getegid(T)),
    ?assertError(badarg, nook:call(T, getegid, [0])).

getenv(Config) ->
    T = ?config(root, Config),
    ok = nook:setenv(T, "NOOK_TEST", "value", 1),
    ?assertEqual(<<"value">>, nook:getenv(T, "NOOK_TEST")),
    ?assertEqual(<<"value">>, nook:getenv(T, <<"NOOK_TEST">>)),
    ?assertEqual(false, nook:getenv(T, "NOOK_UNSET_NAME")),
    ?assertError(badarg, nook:getenv(T, 42)).

geteuid(Config) ->
    T = ?config(root, Config),
    ?assertEqual(id("-u"), nook:geteuid(T)),
    Cat = exec_cat(T),
    ?assertError(eacces, nook:geteuid(Cat)).

getgid(Config) ->
    T = ?config(root, Config),
    ?assertEqual(id("-rg"), nook:getgid(T)),
    ?assertEqual({raised, error, eacces}, as_stranger(fun() -> nook:getgid(T) end)).

getopt(Config) ->
    T = ?config(root, Config),
    MaxChild = nook:getopt(T, maxchild),
    ?assert(is_integer(MaxChild) andalso MaxChild > 0),
    ?assertEqual(16, nook:getopt(T, maxforkdepth)),
    ?assertEqual(1, nook:getopt(T, exit_status)),
    ?assertEqual(1, nook:getopt(T, termsig)),
    ?assertEqual(-1, nook:getopt(T, flowcontrol)),
    ?assertEqual(9, nook:getopt(T, signaloneof)),
    ?assertEqual(false, nook:getopt(T, nosuchopt)),
    ?assertError(badarg, nook:getopt(T, "maxchild")).

getpid(Config) ->
    T = ?config(root, Config),
    ?assertEqual(nook:pidof(T), nook:getpid(T)), %% the root is the port's own process
    {ok, C} = nook:fork(T),
    ?assertEqual(nook:pidof(C), nook:getpid(C)),
    ?assertNotEqual(nook:getpid(T), nook:getpid(C)),
    ?assertEqual({raised, error, eacces}, as_stranger(fun() -> nook:getpid(C) end)).

getppid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, G} = nook:fork(C),
    ?assertEqual(nook:getpid(T), nook:getppid(C)),
    ?assertEqual(nook:getpid(C), nook:getppid(G)),
    ?assertError(badarg, nook:call(T, getppid, [1])).

getuid(Config) ->
    T = ?config(root, Config),
    ?assertEqual(id("-ru"), nook:getuid(T)),
    {ok, C} = nook:fork(T),
    ?assertEqual(id("-ru"), nook:getuid(C)),
    ?assertError(badarg, nook:call(C, getuid, [[]])).

kill(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    Pid = nook:pidof(C),
    ok = nook:kill(T, Pid, 0), %% signal 0: the process exists
    ?assertEqual({error, enotsup}, nook:kill(T, Pid, signosuch)),
    ?assertError(badarg, nook:kill(T, Pid, "sigkill")),
    ?assertError(badarg, nook:kill(T, self(), sigkill)),
    ok = nook:kill(T, Pid, 'SIGKILL'),
    expect({termsig, C, sigkill}),
    ?assertEqual({error, esrch}, nook:kill(T, ?NO_SUCH_PID, sigterm)).

open(Config) ->
    T = ?config(root, Config),
    {ok, FD} = nook:open(T, "/dev/null", [o_rdonly]),
    ?assert(FD > 2),
    {ok, _} = nook:open(T, "/dev/null", 'O_WRONLY'), %% a single flag, any case
    File = filename:join(?config(priv_dir, Config), "created"),
    {ok, _} = nook:open(T, File, [o_wronly, o_creat, o_excl], 8#600),
    {ok, #file_info{mode = Mode}} = file:read_file_info(File),
    ?assertEqual(8#600, Mode band 8#777),
    ?assertEqual({error, eexist}, nook:open(T, File, [o_wronly, o_creat, o_excl], 8#600)),
    ?assertEqual({error, enoent}, nook:open(T, "/nonexistent/nook-file", [o_rdonly])),
    ?assertEqual({error, enotsup}, nook:open(T, "/dev/null", [o_rdonly, o_nosuchflag])),
    ?assertError(badarg, nook:open(T, 42, [o_rdonly])),
    %% a type error wins over an unknown flag
    ?assertError(badarg, nook:open(T, "/dev/null", [o_nosuchflag], -1)).

read(Config) ->
    T = ?config(root, Config),
    Fifo = mkfifo(Config, "read.fifo"),
    {ok, FD} = nook:open(T, Fifo, [o_rdwr]),
    {ok, 5} = nook:write(T, FD, <<"hello">>),
    %% the bytes are in the pipe, so this read cannot block
    ?assertEqual({ok, <<"hello">>}, nook:read(T, FD, 5)),
    {ok, WriteOnly} = nook:open(T, "/dev/null", [o_wronly]),
    ?assertEqual({error, ebadf}, nook:read(T, WriteOnly, 1)),
    ?assertEqual({error, ebadf}, nook:read(T, 9999, 1)),
    %% reading a child's pipe would steal its output
    {ok, C} = nook:fork(T),
    #{stdout := ChildStdout} = nook:cpid(T, C),
    ?assertEqual({error, ebadf}, nook:read(T, ChildStdout, 1)),
    ?assertError(badarg, nook:read(T, FD, -1)),
    ?assertError(badarg, nook:read(T, FD, many)).

setcpid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ?assert(nook:setcpid(C, flowcontrol, 5)),
    ?assertEqual(5, nook:getcpid(C, flowcontrol)),
    ?assert(nook:setcpid(T, C, signaloneof, 15)),
    ?assertEqual(15, nook:getcpid(T, C, signaloneof)),
    ?assert(nook:setcpid(T, nook:cpid(T, C), flowcontrol, -1)), %% a cpid map names the child
    ?assertEqual(-1, nook:getcpid(C, flowcontrol)),
    %% byte credit: set, then grants add to it
    ?assertEqual(-1, nook:getcpid(C, flowcontrol_bytes)),
    ?assert(nook:setcpid(C, flowcontrol_bytes, 100)),
    ?assert(nook:setcpid(C, flowcontrol_grant, 50)),
    ?assertEqual(150, nook:getcpid(C, flowcontrol_bytes)),
    ?assertEqual(false, nook:setcpid(C, flowcontrol_grant, -1)),
    ?assert(nook:setcpid(C, flowcontrol_bytes, -1)),
    ?assertEqual(false, nook:setcpid(C, nosuchopt, 1)),
    ?assertEqual(false, nook:setcpid(C, signaloneof, 0)), %% not a signal
    ?assertEqual(false, nook:setcpid(T, flowcontrol, 1)), %% the root has no parent
    ?assertEqual(false, nook:setcpid(T, ?NO_SUCH_PID, flowcontrol, 1)),
    ?assertError(badarg, nook:setcpid(C, flowcontrol, lots)).

setenv(Config) ->
    T = ?config(root, Config),
    ok = nook:setenv(T, "NOOK_TEST", "1", 1),
    ok = nook:setenv(T, "NOOK_TEST", "2", 0), %% no overwrite: stays 1
    ?assertEqual(<<"1">>, nook:getenv(T, "NOOK_TEST")),
    ok = nook:setenv(T, "NOOK_TEST", "3", 1),
    ?assertEqual(<<"3">>, nook:getenv(T, "NOOK_TEST")),
    ?assertEqual({error, einval}, nook:setenv(T, "A=B", "x", 1)),
    ?assertEqual({error, einval}, nook:setenv(T, "", "x", 1)),
    ?assertError(badarg, nook:setenv(T, "NOOK_TEST", "x", true)).

fork_many(Config) ->
    %% The child table grows as children come (16 slots first) up to maxchild, and slots
    %% freed in the middle are used again.
    T = ?config(root, Config),
    ?assert(nook:setopt(T, maxchild, 40)),
    Kids = [begin {ok, C} = nook:fork(T), C end || _ <- lists:seq(1, 40)],
    ?assertEqual({error, eagain}, nook:fork(T)),
    ?assertEqual(40, length(nook:cpid(T))),
    Pids = [nook:getpid(C) || C <- Kids],
    ?assertEqual(40, length(lists:usort(Pids))),
    {Stopped, Kept} = lists:split(20, Kids),
    [nook:stop(C) || C <- Stopped],
    ?assertEqual(20, length(nook:cpid(T))),
    Again = [begin {ok, C} = nook:fork(T), C end || _ <- lists:seq(1, 20)],
    ?assertEqual({error, eagain}, nook:fork(T)),
    ?assertEqual(lists:sort([nook:getpid(C) || C <- Kept ++ Again]),
                 lists:sort([P || #{pid := P} <- nook:cpid(T)])).

setopt(Config) ->
    T = ?config(root, Config),
    ?assert(nook:setopt(T, flowcontrol, 10)),
    ?assertEqual(10, nook:getopt(T, flowcontrol)),
    ?assertEqual(false, nook:setopt(T, nosuchopt, 1)),
    ?assertEqual(false, nook:setopt(T, exit_status, 2)), %% a boolean option
    ?assertError(badarg, nook:setopt(T, maxchild, many)),
    %% maxchild: one child allowed and present, so no second one
    {ok, C} = nook:fork(T),
    ?assert(nook:setopt(T, maxchild, 1)),
    ?assertEqual({error, eagain}, nook:fork(T)),
    ?assertEqual(false, nook:setopt(T, maxchild, 0)), %% below the children it has
    ?assert(nook:setopt(T, maxchild, 2)),
    %% maxforkdepth: the root is depth 0, its children depth 1 (options copied at fork)
    ?assert(nook:setopt(T, maxforkdepth, 1)),
    {ok, Shallow} = nook:fork(T),
    ?assertEqual({error, eagain}, nook:fork(Shallow)),
    {ok, _} = nook:fork(C). %% forked before the limit: C's copy still says 16

sigaction(Config) ->
    T = ?config(root, Config),
    %% caught from the start, as in prx
    ?assertEqual({ok, sig_info}, nook:sigaction(T, sigusr1, sig_dfl)),
    ?assertEqual({ok, sig_dfl}, nook:sigaction(T, sigusr1, sig_info)),
    ?assertEqual({ok, sig_info}, nook:sigaction(T, sigusr1, [])), %% [] only asks
    ok = nook:kill(T, nook:getpid(T), sigusr1),
    Info = receive {signal, T, sigusr1, I} -> I
           after ?TIMEOUT -> ct:fail(no_signal_event)
           end,
    ?assertEqual(128, byte_size(Info)), %% a siginfo_t
    <<Signo:32/signed-native, _/binary>> = Info,
    ?assertEqual(10, Signo), %% si_signo of SIGUSR1 on x86 and arm Linux
    ?assertEqual({ok, sig_info}, nook:sigaction(T, 'SIGUSR1', sig_ign)),
    ?assertEqual({ok, sig_ign}, nook:sigaction(T, sigusr1, sig_dfl)),
    ?assertEqual({error, einval}, nook:sigaction(T, sigkill, sig_ign)),
    ?assertEqual({error, einval}, nook:sigaction(T, sigstop, sig_info)),
    ?assertEqual({error, enotsup}, nook:sigaction(T, signosuch, sig_ign)),
    ?assertError(badarg, nook:sigaction(T, sigusr1, sig_maybe)).

unsetenv(Config) ->
    T = ?config(root, Config),
    ok = nook:setenv(T, "NOOK_TEST", "1", 1),
    ok = nook:unsetenv(T, "NOOK_TEST"),
    ?assertEqual(false, nook:getenv(T, "NOOK_TEST")),
    ok = nook:unsetenv(T, "NOOK_TEST"), %% unsetting an unset name is fine
    ?assertEqual({error, einval}, nook:unsetenv(T, "A=B")),
    ?assertEqual({error, einval}, nook:unsetenv(T, "")),
    ?assertError(badarg, nook:unsetenv(T, 42)).

version(Config) ->
    T = ?config(root, Config),
    _ = application:load(nook),
    {ok, Vsn} = application:get_key(nook, vsn),
    ?assertEqual(list_to_binary(Vsn), nook:version(T)),
    Cat = exec_cat(T),
    ?assertError(eacces, nook:version(Cat)).

write(Config) ->
    T = ?config(root, Config),
    File = filename:join(?config(priv_dir, Config), "written"),
    {ok, FD} = nook:open(T, File, [o_wronly, o_creat, o_trunc], 8#644),
    ?assertEqual({ok, 5}, nook:write(T, FD, [<<"he">>, "l", [$l, <<"o">>]])),
    ok = nook:close(T, FD),
    ?assertEqual({ok, <<"hello">>}, file:read_file(File)),
    {ok, ReadOnly} = nook:open(T, "/dev/null", [o_rdonly]),
    ?assertEqual({error, ebadf}, nook:write(T, ReadOnly, "x")),
    %% writing into a child's pipe would forge its input
    {ok, C} = nook:fork(T),
    #{stdin := ChildStdin} = nook:cpid(T, C),
    ?assertEqual({error, ebadf}, nook:write(T, ChildStdin, "x")),
    ?assertError(badarg, nook:write(T, FD, not_iodata)),
    ?assertError(badarg, nook:write(T, FD, [256])).

%% ---- task functions ----

stdin(Config) ->
    T = ?config(root, Config),
    {ok, Cat} = nook:fork(T),
    ok = nook:execvp(Cat, ["cat"]),
    nook:stdin(Cat, ["he", <<"llo">>]),
    nook:stdin(Cat, <<" world">>),
    ok = nook:eof(Cat),
    ?assertEqual({<<"hello world">>, 0}, stdout_until_exit(Cat)),
    %% a call-mode child outlives its closed stdin, so the write must be refused
    {ok, C} = nook:fork(T),
    ok = nook:eof(C),
    ok = nook:stdin(C, "late"),
    expect({stdin, C, {error, epipe}}).

pidfd_open(Config) ->
    T = ?config(root, Config),
    Cat = exec_cat(T),
    Pid = nook:pidof(Cat),
    {ok, FD} = nook:pidfd_open(T, Pid, 0),
    ?assertEqual({ok, 1}, nook:fcntl(T, FD, f_getfd)), %% FD_CLOEXEC, as every fd nook makes
    ?assertEqual({error, esrch}, nook:pidfd_open(T, ?NO_SUCH_PID, 0)),
    ?assertEqual({error, einval}, nook:pidfd_open(T, Pid, 1)),
    ?assertError(badarg, nook:pidfd_open(T, Pid, -1)),
    ?assertError(badarg, nook:pidfd_open(T, self(), 0)),
    ok = nook:close(T, FD).

pidfd_send_signal(Config) ->
    T = ?config(root, Config),
    Cat = exec_cat(T),
    {ok, FD} = nook:pidfd_open(T, nook:pidof(Cat), 0),
    ok = nook:pidfd_send_signal(T, FD, 0, 0), %% signal 0: may it be signalled
    ?assertEqual({error, einval}, nook:pidfd_send_signal(T, FD, sigterm, 16#40000000)),
    ?assertEqual({error, enotsup}, nook:pidfd_send_signal(T, FD, signosuch, 0)),
    ?assertError(badarg, nook:pidfd_send_signal(T, FD, sigterm, -1)),
    ok = nook:pidfd_send_signal(T, FD, sigterm, 0),
    expect({termsig, Cat, sigterm}),
    %% reaped, and its descriptor stands for it still: for no other process
    ?assertEqual({error, esrch}, nook:pidfd_send_signal(T, FD, sigterm, 0)),
    {ok, Null} = nook:open(T, "/dev/null", [o_rdonly]),
    ?assertEqual({error, ebadf}, nook:pidfd_send_signal(T, Null, sigterm, 0)),
    ok = nook:close(T, Null),
    ok = nook:close(T, FD).

stdin_write(Config) ->
    T = ?config(root, Config),
    Cat = exec_cat(T),
    ?assertEqual({ok, 5}, nook:stdin_write(T, Cat, ["he", <<"llo">>])),
    ?assertEqual({ok, 1}, nook:stdin_write(T, nook:pidof(Cat), "\n")),
    %% asked of the parent: eof/1 would ask Cat's task, which cat's exit may end first
    ok = nook:eof(T, Cat),
    ?assertEqual({<<"hello\n">>, 0}, stdout_until_exit(Cat)),
    {ok, C} = nook:fork(T),
    ok = nook:eof(C),
    ?assertEqual({error, epipe}, nook:stdin_write(T, C, "late")),
    ?assertEqual({error, esrch}, nook:stdin_write(T, ?NO_SUCH_PID, "x")),
    ?assertError(badarg, nook:stdin_write(T, C, [300])).

stdin_order_after_queue(Config) ->
    %% Bytes queued by stdin_write/3 go first, even when the queue is turned off after them
    %% and raw stdin follows: the raw bytes wait behind them rather than jump (or drop).
    T = ?config(root, Config),
    Cat = exec_cat(T),
    Pid = nook:pidof(Cat),
    ok = nook:kill(T, Pid, sigstop),
    Big = binary:copy(<<"a">>, 256 * 1024), % more than the pipe holds
    Size = byte_size(Big),
    ?assertEqual({ok, Size}, nook:stdin_write(T, Cat, Big)),
    true = nook:setcpid(T, Cat, stdin_queue, 0),
    ok = nook:stdin(Cat, <<"TAIL">>),
    ok = nook:kill(T, Pid, sigcont),
    ok = nook:eof(T, Cat),
    {Out, 0} = stdout_until_exit(Cat),
    ?assertEqual(Size + 4, byte_size(Out)),
    ?assertEqual(<<"TAIL">>, binary:part(Out, Size, 4)).

stop_child(Config) ->
    T = ?config(root, Config),
    Cat = exec_cat(T),
    Pid = nook:pidof(Cat),
    %% a parent can always end its children: no filter refuses stop
    ok = nook:filter(T, [stop, kill]),
    ok = nook:stop(T, Cat),
    expect({termsig, Cat, sigkill}),
    ?assertEqual({error, esrch}, nook:stop(T, Pid)),
    ?assertError(undef, nook:kill(T, Pid, sigkill)).

stop(Config) ->
    T = ?config(root, Config),
    Cat = exec_cat(T),
    Pid = nook:pidof(Cat),
    ok = nook:stop(Cat),
    ?assertNot(is_process_alive(Cat)),
    %% stop/1 returns once the OS process is reaped
    ?assertEqual({error, esrch}, nook:kill(T, Pid, 0)),
    ?assertEqual([], nook:cpid(T)),
    ok = nook:stop(Cat), %% stopping twice is harmless
    PortPid = nook:pidof(T),
    ok = nook:stop(T),
    ?assertNot(is_process_alive(T)),
    ?assertNot(nook_procfs:alive(PortPid)). %% the port program is gone too

pidof(Config) ->
    T = ?config(root, Config),
    %% the root's OS pid is the port program's (priv/nook, or NOOK_PROGNAME's)
    ?assertEqual({ok, filename:basename(nook_port:progname())}, exe_name(nook:pidof(T))),
    {ok, C} = nook:fork(T),
    ?assertEqual(nook:getpid(C), nook:pidof(C)),
    Cat = exec_cat(T),
    ?assert(is_integer(nook:pidof(Cat))), %% answered in exec state too
    ok = nook:stop(C),
    ?assertEqual(noproc, nook:pidof(C)).

parent(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, G} = nook:fork(C),
    ?assertEqual(T, nook:parent(C)),
    ?assertEqual(C, nook:parent(G)),
    ?assertEqual(noproc, nook:parent(T)), %% the root has no parent task
    ok = nook:stop(G),
    ?assertEqual(noproc, nook:parent(G)).

pipeline(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, G} = nook:fork(C),
    ?assertEqual([], nook:pipeline(T)),
    ?assertEqual([nook:getpid(C)], nook:pipeline(C)),
    ?assertEqual([nook:getpid(C), nook:getpid(G)], nook:pipeline(G)),
    ok = nook:stop(G),
    ?assertExit({noproc, _}, nook:pipeline(G)).

execed(Config) ->
    T = ?config(root, Config),
    ?assertNot(nook:execed(T)),
    {ok, C} = nook:fork(T),
    ?assertNot(nook:execed(C)),
    ?assertEqual({error, enoent}, nook:execvp(C, ["nook-no-such-program"])),
    ?assertNot(nook:execed(C)), %% a failed exec leaves the task in call mode
    ok = nook:execvp(C, ["cat"]),
    ?assert(nook:execed(C)),
    ok = nook:stop(C),
    ?assertExit({noproc, _}, nook:execed(C)).

controlling_process(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ?assertEqual({error, badarg}, nook:controlling_process(C, dead_pid())),
    ?assertEqual({raised, error, eacces},
                 as_stranger(fun() -> nook:controlling_process(C, self()) end)),
    Agent = start_agent(),
    ok = nook:controlling_process(C, Agent),
    ?assertError(eacces, nook:getpid(C)), %% the old owner lost the task
    ?assertEqual({ok, nook:pidof(C)}, run_in(Agent, fun() -> nook:getpid(C) end)),
    {ok, ok} = run_in(Agent, fun() -> nook:execvp(C, ["echo", "moved"]) end),
    %% the output follows the task to its new owner
    expect({relayed, {stdout, C, <<"moved\n">>}}),
    expect({relayed, {exit_status, C, 0}}),
    Agent ! stop.

stdio(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ?assertEqual({error, badarg}, nook:stdio(C, dead_pid())),
    ?assertEqual({raised, error, eacces}, as_stranger(fun() -> nook:stdio(C, self()) end)),
    Agent = start_agent(),
    ok = nook:stdio(C, Agent),
    ok = nook:execvp(C, ["echo", "redirected"]), %% the owner still makes the calls
    expect({relayed, {stdout, C, <<"redirected\n">>}}),
    expect({relayed, {exit_status, C, 0}}),
    %% the exit came after all the output, and none of it came here
    ?assertEqual(nothing, receive {stdout, C, _} = M -> M after 0 -> nothing end),
    Agent ! stop.

sudo(_Config) ->
    Links = process_info(self(), links),
    ok = nook:sudo(),
    ?assertEqual({ok, "sudo -n"}, application:get_env(nook, exec)),
    %% env(1) runs its arguments: a prefix that works everywhere
    ok = nook:sudo("/usr/bin/env"),
    {ok, Root} = nook:fork(),
    ?assertEqual(nook:pidof(Root), nook:getpid(Root)), %% env exec'd priv/nook in place
    ok = nook:stop(Root),
    ok = nook:sudo("/nonexistent/nook-sudo"),
    ?assertEqual({error, enoent}, nook:fork()), %% prx's shape: a posix error
    ok = nook:sudo("false"), %% exists, but never starts the port
    ?assertEqual({error, eagain}, nook:fork()),
    ?assertEqual({error, {nook_exit, {exit_status, 1}}}, nook_task:start_root([{exec, "false"}])),
    %% iodata, as prx takes it
    ok = nook:sudo([<<"/usr/bin/">>, "env"]),
    ?assertEqual({ok, "/usr/bin/env"}, application:get_env(nook, exec)),
    %% a failed fork/0 is an error return: it leaves no link that could kill the caller
    ?assertEqual(Links, process_info(self(), links)),
    ok = nook:sudo(""),
    {ok, Direct} = nook:fork(),
    ok = nook:stop(Direct).

call(Config) ->
    T = ?config(root, Config),
    ?assertEqual(nook:getpid(T), nook:call(T, getpid, [])),
    ok = nook:call(T, chdir, ["/"]),
    ?assertEqual({ok, <<"/">>}, nook:call(T, getcwd, [])),
    ?assertError(undef, nook:call(T, nosuchcall, [])),
    ?assertEqual({error, eagain}, nook:call(T, fork, [])),
    ?assertError(badarg, nook:call(T, getpid, [extra])), %% wrong arity
    ?assertError(badarg, nook:call(T, chdir, [self()])), %% a pid is no argument of any call
    ?assertEqual({raised, error, eacces}, as_stranger(fun() -> nook:call(T, getpid, []) end)),
    ?assertEqual(nook:getpid(T), nook:call(T, getpid, [])). %% still serving

%% ---- helpers ----

%% Everything Task wrote to stdout until it exited, and its exit status.
stdout_until_exit(Task) -> stdout_until_exit(Task, <<>>).

stdout_until_exit(Task, Acc) ->
    receive
        {stdout, Task, Bin} -> stdout_until_exit(Task, <<Acc/binary, Bin/binary>>);
        {exit_status, Task, Status} -> {Acc, Status}
    after ?TIMEOUT -> ct:fail({no_exit, Task, Acc})
    end.

%% Exactly N bytes of Task's stdout, however the reads split them.
stdout_bytes(Task, N) -> stdout_bytes(Task, N, <<>>).

stdout_bytes(_Task, N, Acc) when byte_size(Acc) >= N -> Acc;
stdout_bytes(Task, N, Acc) ->
    receive
        {stdout, Task, Bin} -> stdout_bytes(Task, N, <<Acc/binary, Bin/binary>>)
    after ?TIMEOUT -> ct:fail({short_stdout, Task, Acc})
    end.

expect(Msg) ->
    receive Msg -> ok
    after ?TIMEOUT -> ct:fail({not_received, Msg})
    end.

%% A child of Root running cat, which waits on its stdin until the test ends.
exec_cat(Root) ->
    {ok, Cat} = nook:fork(Root),
    ok = nook:execvp(Cat, ["cat"]),
    Cat.

id(Flags) -> list_to_integer(string:trim(os:cmd("id " ++ Flags))).

mkfifo(Config, Name) ->
    Path = filename:join(?config(priv_dir, Config), Name),
    "" = os:cmd("mkfifo '" ++ Path ++ "'"),
    Path.

exe_name(OsPid) ->
    case file:read_link("/proc/" ++ integer_to_list(OsPid) ++ "/exe") of
        {ok, Exe} -> {ok, filename:basename(Exe)};
        Error -> Error
    end.

dead_pid() ->
    {Pid, Ref} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', Ref, process, Pid, _} -> Pid end.

%% A process that runs funs on request and relays every other message to its creator as
%% {relayed, Msg}: a second owner for controlling_process/2, a destination for stdio/2.
start_agent() ->
    Creator = self(),
    spawn_link(fun() -> agent_loop(Creator) end).

agent_loop(Creator) ->
    receive
        {run, Ref, Fun} -> Creator ! {Ref, outcome(Fun)}, agent_loop(Creator);
        stop -> ok;
        Msg -> Creator ! {relayed, Msg}, agent_loop(Creator)
    end.

run_in(Agent, Fun) ->
    Ref = make_ref(),
    Agent ! {run, Ref, Fun},
    receive {Ref, Outcome} -> Outcome
    after ?TIMEOUT -> ct:fail({agent_did_not_answer, Fun})
    end.

%% What Fun returns or raises when run by a process that owns no task.
as_stranger(Fun) ->
    Agent = start_agent(),
    Outcome = run_in(Agent, Fun),
    Agent ! stop,
    Outcome.

outcome(Fun) ->
    try {ok, Fun()}
    catch Class:Reason -> {raised, Class, Reason}
    end.
