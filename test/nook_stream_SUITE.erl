%% SPDX-License-Identifier: ISC
%% @doc nook_stream under nook_process: running to completion, streaming (recv, send, eof,
%% close), how a program ends, the process options (rlimit, priority, uid, no_new_privs), and
%% a behaviour whose ops fail, reported with the failing op.
%%
%% The group `unprivileged' passes for any user (bin/test runs it again as an unprivileged
%% one); the group `root' has what needs root. This module is also the behaviour of the
%% failing-ops case (task/1, init/1, ops/1). Programs are found by a marker in their
%% environment; no verdict depends on timing.
-module(nook_stream_SUITE).

%% unprivileged: yes

-behaviour(nook_behaviour).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
%% group unprivileged
-export([echo/1, argv_list/1, argv_path/1, stdin_through_cat/1, recv_timeout/1, grant_without_round_trip/1, read_ahead_from_exec/1,
         eof_closes_stdin/1,
         recv_pending_at_close/1, eof_after_exit/1, tree_killed_under_recv/1,
         exit_status/1, termsig/1, timeout_kills/1, timeout_ends_output/1, close_kills/1, owner_death_kills/1,
         rlimit/1, priority/1, no_new_privs/1, ops_error/1, output_intact/1,
         stalled_consumer_bounded/1]).
%% group root
-export([uid_as_root/1]).
%% the behaviour of ops_error
-export([task/1, init/1, ops/1]).

%% The contract: gone within a second.
-define(GONE_MS, 1000).
%% How long a case waits for something that should happen at once; only a failure guard.
-define(GUARD_MS, 10000).
-define(PATH, "PATH=/bin:/usr/bin").

suite() -> [{timetrap, {seconds, 60}}].

all() ->
    [{group, unprivileged}, {group, root}].

groups() ->
    [{unprivileged, [],
      [echo, argv_list, argv_path, stdin_through_cat, recv_timeout, grant_without_round_trip, read_ahead_from_exec, eof_closes_stdin,
       eof_after_exit,
       recv_pending_at_close, tree_killed_under_recv,
       exit_status,
       termsig, timeout_kills, timeout_ends_output, close_kills, owner_death_kills, rlimit, priority,
       no_new_privs, ops_error, output_intact, stalled_consumer_bounded]},
     {root, [], [uid_as_root]}].

init_per_group(root, Config) ->
    nook_test_lib:root_or_skip(Config);
init_per_group(_Group, Config) ->
    Config.

end_per_group(_Group, _Config) -> ok.

init_per_testcase(_Case, Config) ->
    process_flag(trap_exit, true),
    [{marker, nook_test_lib:marker()} | Config].

end_per_testcase(_Case, _Config) ->
    ok.

%% ---- running to completion ----

echo(_Config) ->
    {ok, Events} = nook_stream:run("echo hi"),
    ?assertEqual({<<"hi\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Events)).

argv_list(_Config) ->
    %% An argv list is not split by a shell: "a b" is one argument.
    ?assertEqual({<<"a b\n">>, <<>>, {exit_status, 0}}, run(["/bin/echo", "a b"], [])),
    ?assertEqual({<<"2\n">>, <<>>, {exit_status, 0}},
                 run(["/bin/sh", "-c", "echo $#", "sh", "a b", "c"], [])).

argv_path(Config) ->
    %% A program given by its path runs with no shell before it: the environment is exactly
    %% the one given (dash would add PWD), and its process is the task's.
    Env = [{clearenv, true}, {env, [{"A", "1"}]}],
    ?assertEqual({<<"A=1\n">>, <<>>, {exit_status, 0}}, run(["/usr/bin/env"], Env)),
    %% by name, the shell searches PATH (and sets PWD)
    {Out, <<>>, {exit_status, 0}} = run(["env"], [{env, [{"PATH", "/usr/bin:/bin"}]}]),
    ?assertMatch({match, _}, re:run(Out, "^PWD=", [multiline])),
    %% where the kernel refuses, the shell runs it, and says why as it would for a name
    {<<>>, Missing, {exit_status, 127}} = run(["/no/such/program"], []),
    ?assertMatch({match, _}, re:run(Missing, "/no/such/program: not found")),
    Script = filename:join(?config(priv_dir, Config), "no-shebang"),
    ok = file:write_file(Script, "echo from a script\n"),
    ok = file:change_mode(Script, 8#755),
    ?assertEqual({<<"from a script\n">>, <<>>, {exit_status, 0}}, run([Script], [])),
    ok = file:change_mode(Script, 8#644),
    {<<>>, Denied, {exit_status, 126}} = run([Script], []),
    ?assertMatch({match, _}, re:run(Denied, "Permission denied")).

stdin_through_cat(_Config) ->
    ?assertEqual({<<"hello">>, <<>>, {exit_status, 0}}, run("cat", [{stdin, <<"hello">>}])),
    %% iodata, and more than a pipe holds
    Big = binary:copy(<<"0123456789abcdef">>, 1 bsl 16),
    ?assertEqual({Big, <<>>, {exit_status, 0}}, run("cat", [{stdin, [Big]}])).

output_intact(Config) ->
    %% Enough to fill the program's pipes many times over (they grow, and the root splices
    %% them into the port): every byte arrives, in order, on the stream it was written to.
    File = filename:join(?config(priv_dir, Config), "random"),
    Data = crypto:strong_rand_bytes(24 bsl 20),
    ok = file:write_file(File, Data),
    ?assertEqual({Data, <<>>, {exit_status, 0}}, run(["cat", File], [])),
    ?assertEqual({<<>>, Data, {exit_status, 0}}, run("cat " ++ File ++ " >&2", [])),
    %% Both at once, with a small window: still nothing lost or mixed up.
    {Out, Err, {exit_status, 0}} =
        run("cat " ++ File ++ " & cat " ++ File ++ " >&2; wait", [{window, 65536}]),
    ?assertEqual({byte_size(Data), byte_size(Data)}, {byte_size(Out), byte_size(Err)}),
    ?assert(Out =:= Data andalso Err =:= Data).

stalled_consumer_bounded(_Config) ->
    %% A consumer that does not ask gets nothing read for it; once it asks, at most a window
    %% is read ahead, however fast the program writes.
    Window = 65536,
    {ok, S} = nook_stream:open("yes", nook_process, [{window, Window}]),
    try
        [begin
             timer:sleep(100),
             {ok, Events} = nook_stream:recv(S, ?GUARD_MS),
             Bytes = lists:sum([byte_size(B) || {stdout, B} <- Events]),
             ?assert(Bytes > 0 andalso Bytes =< Window)
         end || _ <- lists:seq(1, 5)]
    after
        nook_stream:close(S)
    end.

exit_status(_Config) ->
    ?assertEqual({ok, [{exit_status, 3}]}, nook_stream:run("exit 3")),
    ?assertEqual({<<>>, <<"oops\n">>, {exit_status, 1}}, run("echo oops >&2; exit 1", [])).

termsig(_Config) ->
    ?assertEqual({ok, [{termsig, sigkill}]}, nook_stream:run("kill -9 $$")),
    ?assertEqual({ok, [{termsig, sigterm}]}, nook_stream:run("kill -TERM $$")).

timeout_kills(Config) ->
    Marker = ?config(marker, Config),
    T0 = erlang:monotonic_time(millisecond),
    ?assertEqual({ok, [{timeout, 300}]},
                 nook_stream:run("sleep 100", nook_process,
                                 [{timeout, 300}, {environ, [Marker, ?PATH]}])),
    %% a timer never fires early
    ?assert(erlang:monotonic_time(millisecond) - T0 >= 300),
    gone(Marker).

timeout_ends_output(Config) ->
    %% A program that talks until it is killed: its output first, {timeout, Ms} last and
    %% nothing after it. Each run races the kill against output on its way; 20 runs make a
    %% wrong order likely to show. (A run killed before it said anything proves nothing, but
    %% is no failure: on a loaded machine the shell may take that long to start.)
    Marker = ?config(marker, Config),
    Cfg = [{timeout, 300}, {environ, [Marker, ?PATH]}],
    Runs = [begin
                {ok, Events} = nook_stream:run("while :; do echo y; done", nook_process, Cfg),
                {Out, <<>>, End} = nook_test_lib:events(Events),
                {End, byte_size(Out)}
            end || _ <- lists:seq(1, 20)],
    ct:log("ends and output sizes: ~p", [Runs]),
    ?assertEqual([{timeout, 300}], lists:usort([End || {End, _} <- Runs])),
    ?assertNotEqual([], [Size || {_, Size} <- Runs, Size > 0]),
    gone(Marker).

%% ---- streaming ----

recv_timeout(Config) ->
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open("read x; echo got:$x", nook_process, [{environ, [Marker, ?PATH]}]),
    %% Nothing to say until it is spoken to: recv gives up, the stream stays.
    ?assertEqual({error, timeout}, nook_stream:recv(S, 200)),
    ?assertEqual({error, timeout}, nook_stream:recv(S, 0)),
    %% a timeout that is none is the caller's error; the stream is untouched
    ?assertError(badarg, nook_stream:recv(S, -1)),
    ?assertError(badarg, nook_stream:recv(S, soon)),
    ?assertError(badarg, nook_stream:send(S, <<"x">>, -5)),
    ?assertEqual(ok, nook_stream:send(S, <<"ping\n">>)),
    ?assertEqual({<<"got:ping\n">>, <<>>, {exit_status, 0}}, drain(S)),
    ?assertEqual(eof, nook_stream:recv(S, ?GUARD_MS)),
    ok = nook_stream:close(S),
    gone(Marker).

grant_without_round_trip(Config) ->
    %% The consumer's credit goes to the parent process without waiting for its answer: with
    %% that process stopped (SIGSTOP), the stream still answers at once.
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open("echo one; exec sleep 1000", nook_process,
                               [{environ, [Marker, ?PATH]}, {window, 8}]),
    ?assertEqual({ok, [{stdout, <<"one\n">>}]}, nook_stream:recv(S, ?GUARD_MS)),
    {ok, [Program]} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
    Parent = integer_to_list(nook_test_lib:ppid(Program)),
    "" = os:cmd("kill -STOP " ++ Parent),
    Self = self(),
    %% Half the window of 8 came in: this recv grants more.
    spawn_link(fun() -> Self ! {recv, nook_stream:recv(S, 200)} end),
    Answer = receive {recv, R} -> R after 5000 -> stream_blocked end,
    "" = os:cmd("kill -CONT " ++ Parent),
    ?assertEqual({error, timeout}, Answer),
    ok = nook_stream:close(S, 0),
    gone(Marker).

read_ahead_from_exec(Config) ->
    %% A window of output is read from the program's start, before the consumer's first
    %% recv: 2 MB, more than a pipe holds, is taken off the pipe, and the shell goes on to
    %% become sleep. Nothing is received here until then.
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open("head -c 2000000 /dev/zero; exec sleep 1000", nook_process,
                               [{environ, [Marker, ?PATH]}, {window, 4000000}]),
    ?assertMatch({ok, [_]}, await_one_marked(Marker, ?GUARD_MS)),
    ok = nook_stream:close(S, 0),
    gone(Marker).

eof_closes_stdin(Config) ->
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open("cat", nook_process, [{environ, [Marker, ?PATH]}]),
    ?assertEqual(ok, nook_stream:send(S, <<"abc">>)),
    ?assertEqual(ok, nook_stream:send(S, [<<"de">>, "f"])),
    ?assertEqual(ok, nook_stream:eof(S)),
    ?assertEqual({<<"abcdef">>, <<>>, {exit_status, 0}}, drain(S)),
    ok = nook_stream:close(S),
    gone(Marker).

eof_after_exit(Config) ->
    %% Once the program has exited there is no stdin to close or write: an error, and the
    %% stream stays to be read to its end.
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open("exit 0", nook_process, [{environ, [Marker, ?PATH]}]),
    ?assertEqual({<<>>, <<>>, {exit_status, 0}}, drain(S)),
    ?assertEqual({error, closed}, nook_stream:eof(S)),
    ?assertEqual({error, closed}, nook_stream:send(S, <<"late">>)),
    ?assert(is_process_alive(S)),
    ?assertEqual(eof, nook_stream:recv(S, 0)),
    ok = nook_stream:close(S),
    gone(Marker).

recv_pending_at_close(Config) ->
    %% A consumer waiting in recv when the stream is closed at once by another process (or
    %% its owner dies) is told eof, like any recv on a stream that has ended; closed
    %% gracefully, it hears how the program took its SIGTERM.
    Marker = ?config(marker, Config),
    Pending = fun(Close) ->
                      {ok, S} = nook_stream:open("sleep 1000", nook_process,
                                                 [{environ, [Marker, ?PATH]}]),
                      Self = self(),
                      Consumer = spawn(fun() -> Self ! {recv, self(), catch nook_stream:recv(S, infinity)} end),
                      ok = await_in_call(Consumer, ?GUARD_MS),
                      ok = Close(S),
                      receive {recv, Consumer, R} -> R after ?GUARD_MS -> no_reply end
              end,
    ?assertEqual(eof, Pending(fun(S) -> nook_stream:close(S, 0) end)),
    gone(Marker),
    ?assertEqual({ok, [{termsig, sigterm}]}, Pending(fun nook_stream:close/1)),
    gone(Marker).

tree_killed_under_recv(Config) ->
    %% The tree ends without an exit to report (its root, priv/nook, is killed from outside):
    %% a consumer waiting in recv is told eof rather than left waiting for ever.
    Marker = ?config(marker, Config),
    %% The program exec'd in the task's own process (an argv list): a job of its own would
    %% outlive a root killed from outside, as nothing of nook is left to kill it.
    {ok, S} = nook_stream:open(["sleep", "1000"], nook_process, [{environ, [Marker, ?PATH]}]),
    %% once sh has exec'd sleep, one marked process, whose parent is priv/nook
    {ok, _} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
    {ok, [Sleep]} = await_one_marked(Marker, ?GUARD_MS),
    Root = nook_test_lib:ppid(Sleep),
    Self = self(),
    Consumer = spawn(fun() -> Self ! {recv, self(), catch nook_stream:recv(S, infinity)} end),
    ok = await_in_call(Consumer, ?GUARD_MS),
    os:cmd("kill -KILL " ++ integer_to_list(Root)),
    ?assertEqual(eof, receive {recv, Consumer, R} -> R after ?GUARD_MS -> no_reply end),
    ?assertEqual(eof, nook_stream:recv(S, 0)),
    ok = nook_stream:close(S),
    %% With its root killed, the program dies of PR_SET_PDEATHSIG and goes to init, which
    %% reaps when it will: dead within the second, zombies allowed only as init's.
    {ok, Zombies} = nook_test_lib:await_dead([], Marker, ?GONE_MS),
    ?assertEqual([], [Z || {_, PPid} = Z <- Zombies, PPid =/= 1]),
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, ?GUARD_MS)).

close_kills(Config) ->
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open("sleep 1000", nook_process, [{environ, [Marker, ?PATH]}]),
    {ok, _} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
    ok = nook_stream:close(S),
    ?assertNot(is_process_alive(S)),
    gone(Marker),
    %% a closed stream is at its end
    ?assertEqual(eof, nook_stream:recv(S, 0)),
    ?assertEqual({error, closed}, nook_stream:send(S, <<"x">>)).

owner_death_kills(Config) ->
    Marker = ?config(marker, Config),
    Self = self(),
    Owner = spawn(fun() ->
                          {ok, S} = nook_stream:open("sleep 1000", nook_process,
                                                     [{environ, [Marker, ?PATH]}]),
                          Self ! {stream, S},
                          receive exit -> ok end
                  end),
    S = receive {stream, Stream} -> Stream after ?GUARD_MS -> ct:fail(no_stream) end,
    {ok, _} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
    Ref = monitor(process, S),
    Owner ! exit,
    receive {'DOWN', Ref, process, S, _} -> ok after ?GUARD_MS -> ct:fail(stream_alive) end,
    gone(Marker).

%% ---- process options ----

rlimit(_Config) ->
    ?assertEqual({<<"64\n">>, <<>>, {exit_status, 0}},
                 run("ulimit -n", [{rlimit, [{rlimit_nofile, 64}]}])),
    ?assertEqual({<<"32 48\n">>, <<>>, {exit_status, 0}},
                 run("echo $(ulimit -Sn) $(ulimit -Hn)",
                     [{rlimit, [{rlimit_nofile, #{cur => 32, max => 48}}]}])),
    %% the default: no core files
    ?assertEqual({<<"0\n">>, <<>>, {exit_status, 0}}, run("ulimit -c", [])).

priority(_Config) ->
    Cmd = case os:find_executable("nice") of
              false -> "cut -d' ' -f19 /proc/self/stat";
              _ -> "nice"
          end,
    ?assertEqual({<<"5\n">>, <<>>, {exit_status, 0}}, run(Cmd, [{priority, 5}])),
    ?assertEqual({<<"0\n">>, <<>>, {exit_status, 0}}, run(Cmd, [])).

no_new_privs(_Config) ->
    Grep = "grep NoNewPrivs /proc/self/status",
    ?assertEqual({<<"NoNewPrivs:\t1\n">>, <<>>, {exit_status, 0}}, run(Grep, [])),
    case beam_no_new_privs() of
        true ->
            {skip, "the BEAM itself runs with no_new_privs: {setuid, true} cannot clear it"};
        false ->
            ?assertEqual({<<"NoNewPrivs:\t0\n">>, <<>>, {exit_status, 0}},
                         run(Grep, [{setuid, true}]))
    end.

uid_as_root(_Config) ->
    ?assertEqual({<<"65534\n65534\n">>, <<>>, {exit_status, 0}},
                 run("id -u; id -g", [{uid, 65534}])),
    %% no supplementary groups are kept
    ?assertEqual({<<"65534\n65533\n65533\n">>, <<>>, {exit_status, 0}},
                 run("id -u; id -g; id -G", [{uid, 65534}, {gid, 65533}])).

%% ---- a behaviour whose ops fail ----

ops_error(_Config) ->
    %% The failing step as people read it; nook_op:run/2 keeps the whole story. (No pool:
    %% its trees would report to us too.)
    Size = application:get_env(nook, pool_size, 2),
    application:set_env(nook, pool_size, 0),
    Result = nook_stream:run("echo never", ?MODULE, [{report_to, self()}]),
    application:set_env(nook, pool_size, Size),
    ?assertEqual({error, {chdir, "/nonexistent", enoent}}, Result),
    %% Every process the behaviour made is gone.
    Pids = reported(),
    ?assertMatch([_, _], Pids),
    ?assertEqual(ok, nook_test_lib:await_gone(Pids, undefined, ?GONE_MS)).

-spec task(nook_behaviour:config()) -> {ok, nook:task()} | {error, term()}.
task(Config) ->
    report(Config, nook_process:task(Config)).

-spec init(nook_behaviour:config()) ->
    fun((nook:task()) -> {ok, [nook:task()], map()} | {error, term()}).
init(Config) ->
    Init = nook_process:init(Config),
    fun(Supervisor) ->
            case Init(Supervisor) of
                {ok, Tasks, Info} ->
                    _ = [report(Config, {ok, T}) || T <- Tasks],
                    {ok, Tasks, Info};
                Error ->
                    Error
            end
    end.

-spec ops(nook_behaviour:config()) -> [nook_op:op()].
ops(_Config) ->
    [{chdir, ["/nonexistent"]}, {getpid, []}].

%% The test learns the OS pids of the behaviour's tasks.
report(Config, {ok, Task} = Ok) ->
    proplists:get_value(report_to, Config) ! {nook_pid, nook:pidof(Task)},
    Ok;
report(_Config, Error) ->
    Error.

reported() ->
    receive {nook_pid, P} -> [P | reported()]
    after 0 -> []
    end.

%% ---- helpers ----

%% Run Cmd under nook_process: {Stdout, Stderr, End}.
run(Cmd, Config) ->
    {ok, Events} = nook_stream:run(Cmd, nook_process, Config),
    nook_test_lib:events(Events).

%% Receive a stream's events up to its end: {Stdout, Stderr, End}.
drain(S) -> drain(S, []).

drain(S, Acc) ->
    case nook_stream:recv(S, ?GUARD_MS) of
        {ok, Events} -> drain(S, Acc ++ Events);
        eof -> nook_test_lib:events(Acc);
        {error, timeout} -> ct:fail({no_end, Acc})
    end.

gone(Marker) ->
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, ?GONE_MS)).

%% Wait until exactly one process is marked and it is no longer the shell.
await_one_marked(Marker, Ms) when Ms > 0 ->
    case nook_test_lib:marked_pids(Marker) of
        [P] = One ->
            case file:read_file("/proc/" ++ integer_to_list(P) ++ "/comm") of
                {ok, <<"sleep\n">>} -> {ok, One};
                _ -> timer:sleep(10), await_one_marked(Marker, Ms - 10)
            end;
        _ ->
            timer:sleep(10), await_one_marked(Marker, Ms - 10)
    end;
await_one_marked(Marker, _Ms) ->
    {error, nook_test_lib:marked_pids(Marker)}.

%% Wait until Pid is blocked in a gen_server call.
await_in_call(Pid, Ms) when Ms > 0 ->
    case erlang:process_info(Pid, [status, current_function]) of
        [{status, waiting}, {current_function, {gen, do_call, 4}}] -> ok;
        undefined -> {error, gone};
        _ -> timer:sleep(10), await_in_call(Pid, Ms - 10)
    end;
await_in_call(_Pid, _Ms) ->
    {error, not_in_call}.

beam_no_new_privs() ->
    {ok, Status} = file:read_file("/proc/self/status"),
    binary:match(Status, <<"NoNewPrivs:\t1">>) =/= nomatch.
