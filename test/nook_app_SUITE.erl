%% SPDX-License-Identifier: ISC
%% @doc The nook application: started on demand, its supervision tree (streams under
%% nook_stream_sup, labelled), streams linked to a caller's tree (start_link/3), and its
%% settings (`root', `seccomp'). Group unprivileged: bin/test runs it again as an
%% unprivileged user.
-module(nook_app_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
-export([capacity_survives_restart/1, started_on_demand/1, streams_under_supervisor/1, failed_start_leaves_nothing/1,
         starts_side_by_side/1, start_link_linked/1, start_link_failure/1,
         app_stop_ends_streams/1, root_setting/1, seccomp_setting/1, port_program_missing/1]).

%% the behaviour of starts_side_by_side
-export([task/1, init/1, ops/1]).

-define(GUARD_MS, 10000).

suite() -> [{timetrap, {seconds, 60}}].

all() -> [{group, unprivileged}].

groups() ->
    [{unprivileged, [],
      [started_on_demand, streams_under_supervisor, failed_start_leaves_nothing,
       starts_side_by_side, start_link_linked, start_link_failure, app_stop_ends_streams,
       root_setting, seccomp_setting, port_program_missing, capacity_survives_restart]}].

init_per_group(_Group, Config) ->
    nook_test_lib:userns_or_skip(Config).

end_per_group(_Group, _Config) -> ok.

init_per_testcase(Case, Config) ->
    process_flag(trap_exit, true),
    Root = filename:join([?config(priv_dir, Config), atom_to_list(Case), "root"]),
    ok = filelib:ensure_dir(Root),
    [{path, Root} | Config].

end_per_testcase(_Case, _Config) ->
    application:unset_env(nook, default_root),
    application:unset_env(nook, seccomp),
    ok.

started_on_demand(_Config) ->
    ok = application:stop(nook),
    ?assertEqual(undefined, whereis(nook_sup)),
    {ok, [{stdout, <<"hi\n">>}, {exit_status, 0}]} = nook_stream:run("echo hi"),
    ?assert(lists:keymember(nook, 1, application:which_applications())),
    ?assert(is_pid(whereis(nook_stream_sup))).

streams_under_supervisor(Config) ->
    %% (Streams of earlier cases may still be taking their trees down: run/3 answers first.)
    ok = nook_test_lib:until(fun() -> supervisor:which_children(nook_stream_sup) =:= [] end, ?GUARD_MS),
    {ok, S} = nook_stream:open("sleep 100", nook_rootless, rootless(Config)),
    ?assertMatch([{_, S, worker, [nook_stream]}], supervisor:which_children(nook_stream_sup)),
    {dictionary, Dict} = process_info(S, dictionary),
    ?assertEqual({nook_stream, nook_rootless, <<"sleep 100">>},
                 proplists:get_value('$process_label', Dict)),
    ?assertEqual([nook_stream_sup, nook_sup], lists:sublist(proplists:get_value('$ancestors', Dict), 2)),
    ok = nook_stream:close(S),
    ?assertEqual([], supervisor:which_children(nook_stream_sup)).

port_program_missing(_Config) ->
    %% priv/nook not built: prx's answer from nook:fork/0, and from a start, what to do.
    Name = os:getenv("NOOK_PROGNAME"),
    Size = application:get_env(nook, pool_size, 2),
    application:set_env(nook, pool_size, 0),
    os:putenv("NOOK_PROGNAME", "nook-not-built"),
    try
        ?assertEqual({error, enoent}, nook:fork()),
        ?assertMatch({error, {no_port_program, _, "build it: make" ++ _}},
                     nook_stream:run("true", nook_process, []))
    after
        case Name of false -> os:unsetenv("NOOK_PROGNAME"); _ -> os:putenv("NOOK_PROGNAME", Name) end,
        application:set_env(nook, pool_size, Size)
    end.

failed_start_leaves_nothing(_Config) ->
    %% (No pool: it would make processes of its own for the config.)
    Size = application:get_env(nook, pool_size, 2),
    application:set_env(nook, pool_size, 0),
    ok = nook_pool:stop_all(),
    %% Streams of earlier cases may still be taking their trees down.
    ok = nook_test_lib:until(fun() -> supervisor:which_children(nook_stream_sup) =:= [] end, ?GUARD_MS),
    Before = processes(),
    ?assertEqual({error, {cd, "/nonexistent", enoent}},
                 nook_stream:open("true", nook_process, [{cd, "/nonexistent"}])),
    ?assertEqual([], supervisor:which_children(nook_stream_sup)),
    %% no stream process, no task, no port owner left behind
    ?assertEqual([], [P || P <- processes() -- Before, is_nook(P)]),
    application:set_env(nook, pool_size, Size).


starts_side_by_side(Config) ->
    %% The supervisor does not build the trees itself: while one start waits in its
    %% behaviour, another one finishes.
    Self = self(),
    _ = spawn_link(fun() -> Self ! {slow, nook_stream:run("true", ?MODULE, [{blocked_to, Self}])} end),
    Blocked = receive {blocked, B} -> B after ?GUARD_MS -> error(never_blocked) end,
    ?assertMatch({ok, [{stdout, <<"quick\n">>}, {exit_status, 0}]},
                 nook_stream:run("echo quick", nook_rootless, rootless(Config))),
    Blocked ! go,
    receive {slow, Slow1} -> ?assertMatch({ok, [{exit_status, 0}]}, Slow1)
    after ?GUARD_MS -> error(slow_start_never_ended)
    end.

start_link_linked(Config) ->
    Self = self(),
    Owner = spawn(fun() ->
                          {ok, S} = nook_stream:start_link("sleep 100", nook_rootless,
                                                           rootless(Config)),
                          Self ! {stream, S},
                          receive stop -> exit(shutdown) end
                  end),
    S = receive {stream, S0} -> S0 after ?GUARD_MS -> error(no_stream) end,
    %% linked to its owner, not under nook_stream_sup
    ?assertEqual([], supervisor:which_children(nook_stream_sup)),
    {links, Links} = process_info(S, links),
    ?assert(lists:member(Owner, Links)),
    Ref = monitor(process, S),
    Owner ! stop,
    receive {'DOWN', Ref, process, S, Reason} -> ?assertEqual(shutdown, Reason)
    after ?GUARD_MS -> error(stream_outlived_owner)
    end.

start_link_failure(_Config) ->
    ?assertEqual({error, {cd, "/nonexistent", enoent}},
                 nook_stream:start_link("true", nook_process, [{cd, "/nonexistent"}])),
    %% the process that tried ended normally: its caller is not taken down
    receive {'EXIT', _, Reason} -> ?assertEqual(normal, Reason)
    after ?GUARD_MS -> error(no_exit)
    end.

app_stop_ends_streams(_Config) ->
    Marker = nook_test_lib:marker(),
    [Name, Value] = string:split(Marker, "="),
    {ok, S} = nook_stream:open(["sleep", "100"], nook_process, [{env, [{Name, Value}]}]),
    {ok, Pids} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
    Ref = monitor(process, S),
    ok = application:stop(nook),
    receive {'DOWN', Ref, process, S, _} -> ok after ?GUARD_MS -> error(stream_left) end,
    ok = nook_test_lib:await_gone(Pids, Marker, ?GUARD_MS),
    {ok, _} = application:ensure_all_started(nook).

root_setting(Config) ->
    Root = ?config(path, Config),
    ok = application:set_env(nook, default_root, Root),
    ?assertEqual(Root, nook_rootless:default_root()),
    ?assertEqual({ok, [{stdout, <<"/\n">>}, {exit_status, 0}]},
                 nook_stream:run("pwd", nook_rootless, [])),
    %% the start made the root's skeleton there
    ?assert(filelib:is_dir(filename:join(Root, "proc"))).

seccomp_setting(Config) ->
    Status = "grep ^Seccomp: /proc/self/status",
    ?assertEqual(<<"Seccomp:\t2\n">>, stdout(Status, rootless(Config))),
    ok = application:set_env(nook, seccomp, none),
    ?assertEqual(<<"Seccomp:\t0\n">>, stdout(Status, rootless(Config))),
    %% a start that asks still gets it
    ?assertEqual(<<"Seccomp:\t2\n">>, stdout(Status, [{seccomp, default} | rootless(Config)])),
    %% a policy in the setting replaces the profile
    ok = application:set_env(nook, seccomp, #{default => allow,
                                              rules => [{{errno, eperm}, [uname]}]}),
    ?assertEqual(<<"refused\n">>, stdout("uname >/dev/null 2>&1 || echo refused", rootless(Config))).

%% ---- a behaviour whose start waits for the test's word ----

task(Config) ->
    proplists:get_value(blocked_to, Config) ! {blocked, self()},
    receive go -> nook_process:task(Config) end.

init(Config) -> nook_process:init(Config).

ops(Config) -> nook_process:ops(Config).

%% ---- helpers ----

rootless(Config) -> [{path, ?config(path, Config)}].

stdout(Cmd, Opts) ->
    {ok, Events} = nook_stream:run(Cmd, nook_rootless, Opts),
    {Out, _, {exit_status, _}} = nook_test_lib:events(Events),
    Out.

is_nook(Pid) ->
    case process_info(Pid, [dictionary, initial_call]) of
        undefined -> false;
        [{dictionary, Dict}, {initial_call, Call}] ->
            Initial = proplists:get_value('$initial_call', Dict, Call),
            lists:member(element(1, Initial), [nook_stream, nook_task, nook_port])
    end.

capacity_survives_restart(_Config) ->
    %% The places streams hold outlive a restart of the server that counts them.
    ok = nook_app:ensure_started(), % (loading the application would reset its env)
    ok = application:set_env(nook, max_containers, 1),
    try
        {ok, S} = nook_stream:open("exec sleep 100", nook_process, []),
        Old = whereis(nook_capacity),
        exit(Old, kill),
        ok = nook_test_lib:until(fun() -> not lists:member(whereis(nook_capacity), [undefined, Old]) end,
                                 5000),
        ?assertEqual({error, {max_containers, 1}}, nook_stream:run("true", nook_process, [])),
        ok = nook_stream:close(S),
        ok = nook_test_lib:until(fun() -> nook_stream:run("true", nook_process, []) =/= {error, {max_containers, 1}} end,
                                 5000)
    after
        application:unset_env(nook, max_containers)
    end.
