%% SPDX-License-Identifier: ISC
%% @doc Pools of ready trees (nook_pool): many takers at once, an owner that dies at once,
%% refills, idle pools ending, the node's bound, a pool that dies, configurations kept
%% apart, and a BEAM killed outright with trees ready.
-module(nook_pool_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
-export([checkout_is_one_request/1, concurrent_100/1, owner_dies_after_checkout/1,
         refills/1, idle_pool_ends/1, bounded_total/1, pool_crash_kills_ready/1,
         configs_never_share/1, config_change/1, owner_rules/1, process_pool/1,
         failure_pauses_preparing/1, kill9_leaves_nothing/1, hold_ready/0]).

-define(GONE_MS, 2000).
-define(GUARD_MS, 10000).

suite() -> [{timetrap, {seconds, 120}}].

all() -> [{group, unprivileged}].

groups() ->
    [{unprivileged, [],
      [checkout_is_one_request, concurrent_100, owner_dies_after_checkout, refills,
       idle_pool_ends, bounded_total, pool_crash_kills_ready, configs_never_share,
       config_change, owner_rules, process_pool, failure_pauses_preparing,
       kill9_leaves_nothing]}].

init_per_group(unprivileged, Config) ->
    nook_test_lib:userns_or_skip(Config).

end_per_group(_Group, _Config) -> ok.

init_per_testcase(Case, Config) ->
    process_flag(trap_exit, true),
    ok = nook_pool:stop_all(),
    Root = nook_test_lib:case_root(Case, Config),
    Env = [{K, application:get_env(nook, K)} || K <- [pool_size, pool_max, pool_idle_ms, limits]],
    [{path, Root}, {env, Env}, {marker, nook_test_lib:marker()} | Config].

end_per_testcase(_Case, Config) ->
    ok = nook_pool:stop_all(),
    [case V of undefined -> application:unset_env(nook, K); {ok, Val} -> application:set_env(nook, K, Val) end
     || {K, V} <- ?config(env, Config)],
    ok.

%% ---- cases ----

checkout_is_one_request(Config) ->
    %% A checked-out tree has its exec task forked and prepared: the start sends one request
    %% to it, the exec.
    Cfg = cfg(Config, []),
    ok = nook:prepare(nook_rootless, Cfg, 1),
    ?assertEqual(1, ready(Cfg)),
    {ok, Tree} = nook_behaviour:start(nook_rootless, Cfg),
    Task = nook_behaviour:exec_task(Tree),
    ?assertNot(nook:execed(Task)),
    %% The ops ran: the task is in the container already (its own root and hostname).
    %% Its output is paused, as from any start (nook_behaviour:start/2): unpaused here.
    true = nook:setcpid(Task, flowcontrol_bytes, -1),
    ok = nook:execve(Task, "/bin/sh", ["/bin/sh", "-c", "hostname; ls /"], ["PATH=/bin:/usr/bin"]),
    {Out, <<>>, {exit_status, 0}} = nook_test_lib:collect(Task, ?GUARD_MS),
    ?assertMatch([<<"nook">> | _], binary:split(Out, <<"\n">>, [global, trim_all])),
    nook_behaviour:stop(Tree).

concurrent_100(Config) ->
    %% 100 takers at once from a pool of 4: every one gets a container, ready or made cold.
    Cfg = cfg(Config, []),
    ok = nook:prepare(nook_rootless, Cfg, 4),
    Self = self(),
    Pids = [spawn_link(fun() -> Self ! {done, self(), nook_stream:run("echo ok", nook_rootless, Cfg)} end)
            || _ <- lists:seq(1, 100)],
    Results = [receive {done, P, R} -> R after 60000 -> timeout end || P <- Pids],
    ?assertEqual([], [R || R <- Results, R =/= {ok, [{stdout, <<"ok\n">>}, {exit_status, 0}]}]).

owner_dies_after_checkout(Config) ->
    %% The taker dies right after it got its tree: the whole tree goes with it.
    Cfg = cfg(Config, []),
    ok = nook:prepare(nook_rootless, Cfg, 1),
    Self = self(),
    {Taker, Ref} = spawn_monitor(fun() ->
                                         {ok, Tree} = nook_behaviour:start(nook_rootless, Cfg),
                                         Self ! {tree, Tree, pids(Tree)},
                                         exit(kill_me)
                                 end),
    {Tree, Pids} = receive {tree, T, P} -> {T, P} after ?GUARD_MS -> ct:fail(no_tree) end,
    %% Its end awaited, not sampled: the message comes a moment before the exit.
    receive {'DOWN', Ref, process, Taker, kill_me} -> ok after ?GUARD_MS -> ct:fail(taker_alive) end,
    ?assertEqual(ok, nook_test_lib:await_gone(Pids, undefined, ?GONE_MS)),
    Sup = maps:get(supervisor, Tree),
    ?assertEqual(ok, nook_test_lib:until(fun() -> not is_process_alive(Sup) end, ?GUARD_MS)).

refills(Config) ->
    Cfg = cfg(Config, []),
    ok = nook:prepare(nook_rootless, Cfg, 2),
    {ok, [{exit_status, 0}]} = nook_stream:run("true", nook_rootless, Cfg),
    {ok, [{exit_status, 0}]} = nook_stream:run("true", nook_rootless, Cfg),
    ?assertEqual(ok, nook_test_lib:until(fun() -> ready(Cfg) =:= 2 end, ?GUARD_MS)).

failure_pauses_preparing(Config) ->
    %% A preparation that fails stops the pool preparing, and the next start that finds
    %% none ready takes it up again: a passing failure does not end pooling.
    Cfg = cfg(Config, []),
    Root = ?config(path, Config),
    ok = nook:prepare(nook_rootless, Cfg, 1),
    ok = file:change_mode(Root, 8#777), % writable by others: every start refuses it
    {ok, [{exit_status, 0}]} = nook_stream:run("true", nook_rootless, Cfg), % the ready one
    ?assertMatch({error, {unsafe_root, _, _}}, nook_stream:run("true", nook_rootless, Cfg)),
    ?assertEqual(ok, nook_test_lib:until(fun() -> preparing(Cfg) =:= 0 end, ?GUARD_MS)),
    ?assertEqual(0, ready(Cfg)),
    ok = file:change_mode(Root, 8#755),
    {ok, [{exit_status, 0}]} = nook_stream:run("true", nook_rootless, Cfg),
    ?assertEqual(ok, nook_test_lib:until(fun() -> ready(Cfg) =:= 1 end, ?GUARD_MS)),
    %% Paused again, then sized 0 by prepare/3: a start that finds none ready prepares none.
    ok = file:change_mode(Root, 8#777),
    {ok, [{exit_status, 0}]} = nook_stream:run("true", nook_rootless, Cfg),
    ?assertMatch({error, {unsafe_root, _, _}}, nook_stream:run("true", nook_rootless, Cfg)),
    ?assertEqual(ok, nook_test_lib:until(fun() -> preparing(Cfg) =:= 0 end, ?GUARD_MS)),
    ok = nook:prepare(nook_rootless, Cfg, 0),
    ok = file:change_mode(Root, 8#755),
    {ok, [{exit_status, 0}]} = nook_stream:run("true", nook_rootless, Cfg),
    ?assertEqual({0, 0}, {preparing(Cfg), ready(Cfg)}).

idle_pool_ends(Config) ->
    application:set_env(nook, pool_idle_ms, 300),
    Cfg = cfg(Config, []),
    ok = nook:prepare(nook_rootless, Cfg, 2),
    Pids = lists:append([pids(T) || T <- ready_trees()]),
    ?assertMatch([_, _ | _], Pids),
    ?assertEqual(ok, nook_test_lib:until(fun() -> nook_pool:pools() =:= [] end, ?GUARD_MS)),
    ?assertEqual(0, nook_pool:ready()),
    ?assertEqual(ok, nook_test_lib:await_gone(Pids, undefined, ?GONE_MS)).

bounded_total(Config) ->
    application:set_env(nook, pool_max, 3),
    A = cfg(Config, [{hostname, "a"}]),
    B = cfg(Config, [{hostname, "b"}]),
    ok = nook:prepare(nook_rootless, A, 2),
    ?assertEqual({error, {pool_max, 3}}, nook:prepare(nook_rootless, B, 2)),
    ?assert(nook_pool:ready() =< 3),
    %% A start past the bound is cold, and works.
    ?assertEqual({ok, [{stdout, <<"b\n">>}, {exit_status, 0}]}, nook_stream:run("hostname", nook_rootless, B)),
    ?assert(nook_pool:ready() =< 3).

pool_crash_kills_ready(Config) ->
    Cfg = cfg(Config, []),
    ok = nook:prepare(nook_rootless, Cfg, 2),
    [{_, Pool}] = ets:tab2list(nook_pools),
    Pids = lists:append([pids(T) || T <- ready_trees()]),
    exit(Pool, kill),
    ?assertEqual(ok, nook_test_lib:await_gone(Pids, undefined, ?GONE_MS)).

configs_never_share(Config) ->
    A = cfg(Config, [{hostname, "a"}]),
    B = cfg(Config, [{hostname, "b"}]),
    ok = nook:prepare(nook_rootless, A, 1),
    ok = nook:prepare(nook_rootless, B, 1),
    ?assertEqual(2, length(nook_pool:pools())),
    ?assertEqual({ok, [{stdout, <<"b\n">>}, {exit_status, 0}]}, nook_stream:run("hostname", nook_rootless, B)),
    ?assertEqual({ok, [{stdout, <<"a\n">>}, {exit_status, 0}]}, nook_stream:run("hostname", nook_rootless, A)),
    %% The order of options does not make another config.
    ok = nook:prepare(nook_rootless, lists:reverse(A), 1),
    ?assertEqual(2, length(nook_pool:pools())).

config_change(Config) ->
    %% Another uid, or other limits in the app env: never a container made for the old one.
    Cfg = cfg(Config, []),
    ok = nook:prepare(nook_rootless, Cfg, 1),
    ?assertEqual({ok, [{stdout, <<"1000\n">>}, {exit_status, 0}]},
                 nook_stream:run("id -u", nook_rootless, [{uid, 1000} | Cfg])),
    application:set_env(nook, limits, #{nofile => 77}),
    ?assertEqual({ok, [{stdout, <<"77\n">>}, {exit_status, 0}]},
                 nook_stream:run("ulimit -n", nook_rootless, Cfg)).

owner_rules(Config) ->
    %% A checked-out tree is the taker's, exactly as one it built: the pool may no longer
    %% call its tasks, the taker may.
    Cfg = cfg(Config, []),
    ok = nook:prepare(nook_rootless, Cfg, 1),
    [{_, Pool}] = ets:tab2list(nook_pools),
    {ok, #{supervisor := Sup} = Tree} = nook_behaviour:start(nook_rootless, Cfg),
    ?assert(is_integer(nook:getpid(Sup))),
    Self = self(),
    {links, Links} = process_info(self(), links),
    ?assert(lists:member(Sup, Links)),
    _ = sys:get_state(Pool),
    spawn(fun() -> Self ! {other, catch nook:getpid(Sup)} end),
    ?assertMatch({other, {'EXIT', {eacces, _}}}, receive {other, _} = M -> M after ?GUARD_MS -> none end),
    nook_behaviour:stop(Tree).

process_pool(Config) ->
    %% A plain process starts from a port started ahead of time: fork done, exec to do.
    Marker = ?config(marker, Config),
    Cfg = [{environ, [Marker, "PATH=/bin:/usr/bin"]}],
    ok = nook:prepare(nook_process, Cfg, 1),
    ?assertEqual(1, ready({nook_process, Cfg})),
    ?assertEqual({ok, [{stdout, <<"hi\n">>}, {exit_status, 0}]}, nook_stream:run("echo hi", nook_process, Cfg)),
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, ?GONE_MS)).

kill9_leaves_nothing(_Config) ->
    %% A BEAM with trees ready, killed outright: every process of theirs dies with it.
    Paths = lists:append([["-pa", filename:dirname(code:which(M))] || M <- [nook, ?MODULE]]),
    {ok, Peer, _Node} = peer:start(#{name => peer:random_name(), args => Paths,
                                     connection => standard_io}),
    OsPid = peer:call(Peer, os, getpid, []),
    Pids = peer:call(Peer, ?MODULE, hold_ready, [], ?GUARD_MS),
    ?assertMatch([_, _ | _], Pids),
    os:cmd("kill -KILL " ++ OsPid),
    catch peer:stop(Peer),
    ?assertEqual(ok, nook_test_lib:await_gone(Pids, undefined, ?GONE_MS)).

%% In a peer: two rootless trees ready; their OS pids.
hold_ready() ->
    ok = nook:prepare(nook_rootless, [], 2),
    lists:append([pids(T) || T <- ready_trees()]).

%% ---- helpers ----

cfg(Config, Extra) -> Extra ++ [{path, ?config(path, Config)}].

%% How many trees the pool of a config has ready.
ready({Behaviour, Cfg}) ->
    {ok, Checked} = nook_behaviour:check_options(Behaviour, Cfg),
    Want = lists:usort(Checked),
    lists:sum([N || {B, C, N} <- nook_pool:pools(), B =:= Behaviour, lists:usort(C) =:= Want]);
ready(Cfg) ->
    ready({nook_rootless, Cfg}).

%% How many trees the pools of a config are preparing.
preparing(Cfg) ->
    {ok, Checked} = nook_behaviour:check_options(nook_rootless, Cfg),
    Want = lists:usort(Checked),
    lists:sum([map_size(Preparing)
               || {_, Pool} <- ets:tab2list(nook_pools),
                  #{behaviour := nook_rootless, config := C, preparing := Preparing} <- [pool_state(Pool)],
                  lists:usort(C) =:= Want]).

%% The trees every pool holds ready.
ready_trees() ->
    [Tree || {_, Pool} <- ets:tab2list(nook_pools),
             #{ready := Ready} <- [pool_state(Pool)],
             {Tree, _} <- Ready].

%% nook_pool's #st{}, field by field: a change of the record fails here, rather than make
%% the generators above match nothing.
pool_state(Pool) ->
    {st, _Key, Behaviour, Config, _Size, Ready, Preparing, _Waiting, _LastUsed, _Idle, _Paused} =
        sys:get_state(Pool),
    #{behaviour => Behaviour, config => Config, ready => Ready, preparing => Preparing}.

%% The OS pids of a tree's supervisor (its port program) and of the task below it, as the
%% host sees them (further down, a container's pids are its own namespace's).
pids(#{supervisor := Sup, tasks := [First | _]}) ->
    [P || T <- [Sup, First], P <- [nook:pidof(T)], is_integer(P)].

