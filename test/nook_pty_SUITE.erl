%% SPDX-License-Identifier: ISC
%% @doc Terminals: the calls pty/3 and winsize/4 (one case each, success and failure), and
%% nook_stream's `{pty, ...}' under nook_process and nook_rootless (group unprivileged, which
%% bin/test runs again as an unprivileged user) and nook_container (group root): `tty' names
%% a /dev/pts path valid where the program runs, the terminal is its controlling one, its
%% size follows winsize, input typed and eof's ^D reach interactive programs, programs that
%% open terminals of their own work in a container, and TIOCSTI stays refused.
%%
%% Interactive cases wait for the output that must come before typing more; no verdict
%% depends on timing. A terminal shows `\n' as `\r\n' and echoes what is typed.
-module(nook_pty_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
%% group unprivileged
-export([pty_call/1, winsize_call/1, tty_process/1, tty_rootless/1, tty_rootless_ready/1,
         size_follows_resize/1, sigwinch/1, stdin_stdout_after_resize/1, eof_types_ctrl_d/1,
         run_with_stdin/1, python3_interactive/1, bash_interactive/1, script_rootless/1,
         tiocsti_refused/1, deny_policy/1, winsize_without_pty/1, bad_options/1]).
%% group root
-export([tty_container/1, process_as_other_uid/1]).

%% Failure guard for output that must come; never part of a verdict.
-define(GUARD_MS, 10000).
%% No OS process has this pid: it is far above any pid_max.
-define(NO_SUCH_PID, 16#7ffffffe).
-define(PYTHON, "/usr/bin/python3").
-define(NOBODY, 65534).

suite() -> [{timetrap, {seconds, 120}}].

all() ->
    [{group, unprivileged}, {group, root}].

groups() ->
    [{unprivileged, [],
      [pty_call, winsize_call, tty_process, tty_rootless, tty_rootless_ready,
       size_follows_resize, sigwinch, stdin_stdout_after_resize, eof_types_ctrl_d,
       run_with_stdin, python3_interactive, bash_interactive, script_rootless,
       tiocsti_refused, deny_policy, winsize_without_pty, bad_options]},
     {root, [], [tty_container, process_as_other_uid]}].

init_per_group(root, Config) ->
    nook_test_lib:root_or_skip(Config);
init_per_group(unprivileged, Config) ->
    case nook_test_lib:userns_or_skip([]) of
        {skip, Why} -> [{no_userns, Why} | Config];
        _ -> Config
    end.

end_per_group(_Group, _Config) -> ok.

%% Rootless cases say why they cannot run where the kernel refuses a user namespace.
-define(ROOTLESS, [tty_rootless, tty_rootless_ready, python3_interactive, bash_interactive,
                   script_rootless, tiocsti_refused, deny_policy]).

init_per_testcase(Case, Config) ->
    process_flag(trap_exit, true),
    case {lists:member(Case, ?ROOTLESS), ?config(no_userns, Config)} of
        {true, Why} when is_list(Why) ->
            {skip, Why};
        _ ->
            Root = nook_test_lib:case_root(Case, Config),
            [{path, Root} | Config]
    end.

end_per_testcase(_Case, _Config) ->
    ok = nook_pool:stop_all().

%% ---- the calls ----

pty_call(_Config) ->
    {ok, T} = nook:fork(),
    try
        {ok, C} = nook:fork(T),
        {ok, _} = nook:setsid(C),
        {ok, Path} = nook:pty(C),
        ?assertMatch(<<"/dev/pts/", _/binary>>, Path),
        ?assertEqual({error, eexist}, nook:pty(T, C, -1)),
        %% the child makes it its controlling terminal and its 0, 1 and 2, then execs
        {ok, FD} = nook:open(C, Path, [o_rdwr, o_noctty, o_cloexec], 0),
        {ok, _} = nook:ioctl(C, FD, tiocsctty, 0),
        [{ok, N} = nook:dup2(C, FD, N) || N <- [0, 1, 2]],
        ok = nook:close(C, FD),
        ok = nook:execvp(C, ["/bin/sh", "-c", "tty; : </dev/tty && echo ctty"]),
        ?assertEqual({<<Path/binary, "\r\nctty\r\n">>, 0}, stdout_until_exit(C)),
        %% no such child, one that has exec'd, one whose stdout is closed, a bad owner
        ?assertEqual({error, esrch}, nook:pty(T, ?NO_SUCH_PID, -1)),
        Cat = exec_cat(T),
        ?assertEqual({error, ebusy}, nook:pty(T, Cat, -1)),
        {ok, D} = nook:fork(T),
        ok = nook:eof(D, stdout),
        ?assertEqual({error, ebadf}, nook:pty(D)),
        ?assertError(badarg, nook:pty(T, D, -2)),
        ?assertError(badarg, nook:pty(T, D, <<"root">>)),
        %% the root task has no parent to make one
        ?assertEqual({error, esrch}, nook:pty(T))
    after
        nook:stop(T)
    end.

winsize_call(_Config) ->
    {ok, T} = nook:fork(),
    try
        {ok, C} = nook:fork(T),
        {ok, _} = nook:setsid(C),
        {ok, Path} = nook:pty(C),
        ok = nook:winsize(C, 12, 34),
        ok = nook:winsize(T, C, 10, 20), %% the last one counts
        {ok, FD} = nook:open(C, Path, [o_rdwr, o_noctty, o_cloexec], 0),
        [{ok, N} = nook:dup2(C, FD, N) || N <- [0, 1, 2]],
        ok = nook:execvp(C, ["/bin/stty", "size"]),
        ?assertEqual({<<"10 20\r\n">>, 0}, stdout_until_exit(C)),
        {ok, D} = nook:fork(T),
        ?assertEqual({error, enotty}, nook:winsize(D, 10, 20)), %% a pipe, not a terminal
        ?assertEqual({error, esrch}, nook:winsize(T, ?NO_SUCH_PID, 10, 20)),
        ?assertError(badarg, nook:winsize(T, D, 65536, 20)),
        ?assertError(badarg, nook:winsize(T, D, 10, -1))
    after
        nook:stop(T)
    end.

%% ---- nook_stream: what the program sees ----

tty_process(_Config) ->
    {Out, {exit_status, 0}} =
        run("tty; : </dev/tty && echo ctty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all",
            nook_process, [{pty, true}]),
    ?assertMatch({match, _}, re:run(Out, "^/dev/pts/[0-9]+\r\nctty\r\nall\r\n$")).

tty_rootless(Config) ->
    %% The container's own devpts: its first terminal, a device there, its /dev/ptmx a link
    %% into it; the terminal belongs to the container's user.
    Cmd = "tty; test -c $(tty) && echo device; readlink /dev/ptmx; stat -c %u $(tty); "
          ": </dev/tty && echo ctty",
    ?assertEqual({<<"/dev/pts/0\r\ndevice\r\npts/ptmx\r\n65534\r\nctty\r\n">>, {exit_status, 0}},
                 run(Cmd, nook_rootless, [{pty, true} | rootless(Config)])).

tty_rootless_ready(Config) ->
    %% A terminal is a stream option: a tree made ready ahead of time gets one at exec.
    ok = nook:prepare(nook_rootless, rootless(Config), 1),
    ?assertEqual({<<"/dev/pts/0\r\n33 77\r\n">>, {exit_status, 0}},
                 run("tty; stty size", nook_rootless,
                     [{pty, #{rows => 33, cols => 77}} | rootless(Config)])).

size_follows_resize(Config) ->
    [begin
         {ok, S} = nook_stream:open("stty size; read x; stty size", Behaviour,
                                    [{pty, #{rows => 30, cols => 90}} | Opts]),
         expect(S, <<"30 90\r\n">>),
         ok = nook_stream:winsize(S, 50, 120),
         ok = nook_stream:send(S, "go\n"),
         expect(S, <<"50 120\r\n">>),
         ?assertMatch({_, {exit_status, 0}}, rest(S))
     end || {Behaviour, Opts} <- [{nook_process, []}, {nook_rootless, rootless(Config)}]].

sigwinch(_Config) ->
    %% The kernel tells the terminal's foreground process group of the new size.
    {ok, S} = nook_stream:open("trap 'stty size; exit 3' WINCH; echo ready; "
                               "while :; do sleep 0.05; done", nook_process, [{pty, true}]),
    expect(S, <<"ready\r\n">>),
    ok = nook_stream:winsize(S, 33, 99),
    expect(S, <<"33 99\r\n">>),
    ?assertMatch({_, {exit_status, 3}}, rest(S)).

stdin_stdout_after_resize(Config) ->
    {ok, S} = nook_stream:open("read line; echo \"got $line\"; stty size", nook_rootless,
                               [{pty, true} | rootless(Config)]),
    ok = nook_stream:winsize(S, 40, 100),
    ok = nook_stream:send(S, "hello\n"),
    {Out, End} = rest(S),
    %% what was typed is echoed, then the program's answer and the size
    ?assertEqual({<<"hello\r\ngot hello\r\n40 100\r\n">>, {exit_status, 0}}, {Out, End}).

eof_types_ctrl_d(_Config) ->
    %% cat ends at the ^D eof/1 types at the start of a line, not by a hang-up (SIGHUP)
    {ok, S} = nook_stream:open("cat", nook_process, [{pty, true}]),
    ok = nook_stream:send(S, "abc\n"),
    expect(S, <<"abc\r\nabc\r\n">>),
    ok = nook_stream:eof(S),
    ?assertEqual({<<>>, {exit_status, 0}}, rest(S)),
    ?assertEqual({error, closed}, nook_stream:eof(S)).

run_with_stdin(_Config) ->
    %% run/3's stdin is typed, then ^D
    {Out, {exit_status, 0}} = run("cat", nook_process, [{pty, true}, {stdin, "one\ntwo\n"}]),
    %% each line echoed as typed, and as cat writes it
    ?assertEqual([<<"one">>, <<"one">>, <<"two">>, <<"two">>],
                 lists:sort(binary:split(Out, <<"\r\n">>, [global, trim_all]))).

python3_interactive(Config) ->
    case filelib:is_file(?PYTHON) of
        true ->
            {ok, S} = nook_stream:open([?PYTHON, "-i", "-q"], nook_rootless,
                                       [{pty, true} | rootless(Config)]),
            expect(S, <<">>> ">>),
            ok = nook_stream:send(S, "print(6 * 7)\n"),
            expect(S, [<<"42\r\n">>, <<">>> ">>]),
            ok = nook_stream:eof(S),
            ?assertMatch({_, {exit_status, 0}}, rest(S));
        false ->
            {skip, "no " ?PYTHON}
    end.

bash_interactive(Config) ->
    %% Two commands answered, then ^D ends the shell; job control works (bash is the leader of
    %% a session whose controlling terminal this is).
    {ok, S} = nook_stream:open(["bash", "--norc", "-i"], nook_rootless,
                               [{pty, true}, {env, [{"PS1", "nook$ "}]} | rootless(Config)]),
    Prompt = expect(S, <<"nook$ ">>),
    ok = nook_stream:send(S, "echo $((20 + 22))\n"),
    First = expect(S, [<<"42\r\n">>, <<"nook$ ">>]),
    ok = nook_stream:send(S, "echo $((50 + 50))\n"),
    Second = expect(S, [<<"100\r\n">>, <<"nook$ ">>]),
    ok = nook_stream:eof(S),
    {Last, End} = rest(S),
    ?assertEqual({exit_status, 0}, End),
    All = iolist_to_binary([Prompt, First, Second, Last]),
    ?assertEqual(nomatch, binary:match(All, <<"job control">>)),
    ?assertMatch({_, _}, binary:match(Last, <<"exit">>)).

script_rootless(Config) ->
    %% script(1) opens a terminal of its own (/dev/ptmx): with or without one from nook
    Cmd = ["script", "-qc", "true", "/dev/null"],
    ?assertEqual({<<>>, <<>>, {exit_status, 0}}, run3(Cmd, nook_rootless, rootless(Config))),
    ?assertMatch({_, {exit_status, 0}},
                 run(["script", "-qc", "tty", "/dev/null"], nook_rootless,
                     [{pty, true} | rootless(Config)])).

tiocsti_refused(Config) ->
    %% On its own controlling terminal a program could type into its input (the kernel allows
    %% it where dev.tty.legacy_tiocsti is 1, says EIO where 0): the default profile refuses
    %% (EPERM).
    Py = "import fcntl, termios\n"
         "try:\n"
         "    fcntl.ioctl(0, termios.TIOCSTI, b' ')\n"
         "    print('allowed')\n"
         "except OSError as e:\n"
         "    print(e.errno)\n",
    case filelib:is_file(?PYTHON) of
        true ->
            ?assertEqual({<<"1\r\n">>, {exit_status, 0}},
                         run([?PYTHON, "-c", Py], nook_rootless, [{pty, true} | rootless(Config)])),
            {Without, {exit_status, 0}} =
                run([?PYTHON, "-c", Py], nook_rootless,
                    [{pty, true}, {seccomp, none} | rootless(Config)]),
            %% the space typed is echoed: it reached the terminal's input
            ?assert(lists:member(Without, [<<" allowed\r\n">>, <<"5\r\n">>]), Without);
        false ->
            {skip, "no " ?PYTHON}
    end.

deny_policy(Config) ->
    %% A policy refusing everything it does not name starts a program on a terminal with
    %% exec_syscalls/0, pty_rules/0 and what true(1) needs (x86_64 and aarch64 names).
    Program = [brk, arch_prctl, mmap, mprotect, munmap, access, faccessat, faccessat2,
               newfstatat, fstat, statx, pread64, set_tid_address, set_robust_list, rseq,
               prlimit64, getrandom, futex, exit_group, getcwd, getpid, getppid, geteuid,
               getuid, getegid, getgid, uname, rt_sigreturn],
    Allowed = {allow, lists:usort(nook_seccomp:exec_syscalls() ++ Program)},
    Policy = #{default => {errno, eperm}, rules => [Allowed | nook_seccomp:pty_rules()]},
    ?assertEqual({<<>>, {exit_status, 0}},
                 run(["/bin/true"], nook_rootless,
                     [{pty, true}, {seccomp, Policy} | rootless(Config)])),
    %% without them the start fails at the terminal
    ?assertEqual({error, {pty, eperm}},
                 nook_stream:run(["/bin/true"], nook_rootless,
                                 [{pty, true}, {seccomp, #{default => {errno, eperm},
                                                           rules => [Allowed]}}
                                  | rootless(Config)])).

winsize_without_pty(_Config) ->
    {ok, S} = nook_stream:open("cat", nook_process, []),
    ?assertEqual({error, enotty}, nook_stream:winsize(S, 24, 80)),
    ok = nook_stream:eof(S),
    ?assertEqual({<<>>, {exit_status, 0}}, rest(S)),
    ?assertEqual({error, closed}, nook_stream:winsize(S, 24, 80)),
    ?assertError(function_clause, nook_stream:winsize(S, -1, 80)).

bad_options(_Config) ->
    [?assertEqual({error, {badopt, {pty, Bad}}},
                  nook_stream:run("true", nook_process, [{pty, Bad}]))
     || Bad <- [yes, 1, #{rows => 0}, #{cols => 65536}, #{rows => 24, depth => 8},
                #{rows => "24"}]],
    %% a partial size keeps the other default
    ?assertEqual({<<"50 80\r\n">>, {exit_status, 0}},
                 run("stty size", nook_process, [{pty, #{rows => 50}}])),
    ?assertEqual({<<"hi\n">>, {exit_status, 0}}, run("echo hi", nook_process, [{pty, false}])).

%% ---- as root ----

tty_container(Config) ->
    ?assertEqual({<<"/dev/pts/0\r\n65534\r\nctty\r\n">>, {exit_status, 0}},
                 run("tty; stat -c %u $(tty); : </dev/tty && echo ctty", nook_container,
                     [{pty, true} | rootless(Config)])).

process_as_other_uid(_Config) ->
    %% The parent (root) makes the terminal and gives it to the uid the program runs as.
    {Out, {exit_status, 0}} =
        run("tty; id -u; stat -c %u $(tty)", nook_process, [{pty, true}, {uid, ?NOBODY}]),
    ?assertMatch({match, _}, re:run(Out, "^/dev/pts/[0-9]+\r\n65534\r\n65534\r\n$")).

%% ---- helpers ----

rootless(Config) -> [{path, ?config(path, Config)}].

%% A program run to its end on a terminal: {Output, End}. Everything comes as stdout.
run(Cmd, Behaviour, Opts) ->
    {Out, <<>>, End} = run3(Cmd, Behaviour, Opts),
    {Out, End}.

run3(Cmd, Behaviour, Opts) ->
    {ok, Events} = nook_stream:run(Cmd, Behaviour, Opts),
    nook_test_lib:events(Events).

%% Output of stream S until it ends with Want (what is on the screen when a program waits
%% for input), or with the parts of Want in order, anything between them (a line editor's
%% escape sequences): all of it since the last call.
expect(S, Want) -> expect(S, Want, <<>>).

expect(S, Want, Acc) ->
    Parts = lists:flatten([Want]),
    Pattern = lists:join(".*", [re:replace(P, "[][\\\\^$.|?*+(){}]", "\\\\&", [global])
                                || P <- Parts]),
    case re:run(Acc, [Pattern, "\\z"], [dotall]) of
        {match, _} ->
            Acc;
        nomatch ->
            case nook_stream:recv(S, ?GUARD_MS) of
                {ok, Events} ->
                    case [E || {Kind, _} = E <- Events, Kind =/= stdout] of
                        [] -> expect(S, Want, <<Acc/binary, (stdout(Events))/binary>>);
                        Ended ->
                            ct:fail({ended, Ended, <<Acc/binary, (stdout(Events))/binary>>, Want})
                    end;
                Other ->
                    ct:fail({no, Want, Acc, Other})
            end
    end.

%% What S says until it ends: {Output, End}.
rest(S) -> rest(S, <<>>).

rest(S, Acc) ->
    case nook_stream:recv(S, ?GUARD_MS) of
        {ok, Events} ->
            Acc1 = <<Acc/binary, (stdout(Events))/binary>>,
            case [E || {Kind, _} = E <- Events, Kind =/= stdout] of
                [] -> rest(S, Acc1);
                [End] -> ok = nook_stream:close(S), {Acc1, End}
            end;
        Other ->
            ct:fail({no_end, Acc, Other})
    end.

stdout(Events) -> << <<B/binary>> || {stdout, B} <- Events >>.

exec_cat(T) ->
    {ok, Cat} = nook:fork(T),
    ok = nook:execvp(Cat, ["cat"]),
    Cat.

%% A task's stdout until it exits: {Output, Status}.
stdout_until_exit(Task) ->
    {Out, <<>>, {exit_status, N}} = nook_test_lib:collect(Task, ?GUARD_MS),
    {Out, N}.
