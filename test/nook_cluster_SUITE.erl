%% SPDX-License-Identifier: ISC
%% @doc Streams on other nodes: `{node, Node}' and `{nodes, Group}' with peer nodes this suite
%% starts on this machine. Remote run and stream (stdin, stdout, exit, timeout, close), the
%% bound per node, placement over a group by capacity, and what happens when the caller
%% dies, the link is cut or the remote node stops: the remote tree is gone, and nothing is
%% left on any node.
%%
%% The group `unprivileged' passes for any user (bin/test runs it again as an unprivileged
%% one). Programs are found by a marker in their environment, in the remote node's /proc
%% (the same machine's); no verdict depends on timing.
-module(nook_cluster_SUITE).

%% unprivileged: yes

-behaviour(nook_behaviour).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_suite/1, end_per_suite/1, init_per_group/2,
         end_per_group/2, init_per_testcase/2, end_per_testcase/2]).
-export([leftovers_seen/1, remote_run/1, remote_stream/1, remote_rootless/1, remote_stdin_bounded/1,
         remote_close_kills/1, where_checked/1, placement_by_capacity/1,
         placement_spreads/1, full_node_skipped/1, refusing_node_passed_over/1, all_refuse/1, left_group_gets_no_work/1,
         caller_death_kills_remote/1, disconnect_mid_run/1, peer_stopped_mid_run/1]).

%% the behaviour of refusing_node_passed_over
-export([task/1, init/1, ops/1]).

%% The net tick time of the nodes this suite starts: a silent link is found dead in about
%% this many seconds.
-define(TICK_S, 5).
%% How long a case waits for something that should happen at once; only a failure guard.
-define(GUARD_MS, 10000).
-define(PATH, "PATH=/bin:/usr/bin").

suite() -> [{timetrap, {seconds, 120}}].

all() -> [{group, unprivileged}].

groups() ->
    [{unprivileged, [],
      [leftovers_seen, remote_run, remote_stream, remote_rootless, remote_stdin_bounded, remote_close_kills,
       where_checked, placement_by_capacity, placement_spreads, full_node_skipped, refusing_node_passed_over,
       all_refuse, left_group_gets_no_work, caller_death_kills_remote, disconnect_mid_run,
       peer_stopped_mid_run]}].

init_per_suite(Config) ->
    case distribution() of
        {ok, Started} ->
            {ok, _} = application:ensure_all_started(nook),
            %% No trees kept ready here either (the suites before may have made some).
            Size = application:get_env(nook, pool_size, 2),
            application:set_env(nook, pool_size, 0),
            ok = nook_pool:stop_all(),
            Peers = [start_peer() || _ <- lists:seq(1, 3)],
            [{started_dist, Started}, {peers, Peers}, {pool_size, Size} | Config];
        {error, Reason} ->
            {skip, lists:flatten(io_lib:format("no distribution: ~0p", [Reason]))}
    end.

end_per_suite(Config) ->
    _ = [peer:stop(P) || {P, _} <- proplists:get_value(peers, Config, [])],
    application:set_env(nook, pool_size, proplists:get_value(pool_size, Config, 2)),
    case proplists:get_value(started_dist, Config) of
        true -> net_kernel:stop();
        _ -> ok
    end.

%% Distribution needs epmd; a node started with -sname would have started it. A node this
%% suite makes distributed gets a short tick time (the peers get the same as this node).
distribution() ->
    case node() of
        nonode@nohost ->
            _ = os:cmd(filename:join([code:root_dir(), "bin", "epmd"]) ++ " -daemon"),
            case net_kernel:start([list_to_atom("nook_ct_" ++ os:getpid()), shortnames]) of
                {ok, _} ->
                    _ = net_kernel:set_net_ticktime(?TICK_S, 0),
                    {ok, true};
                {error, _} = Error ->
                    Error
            end;
        _ ->
            {ok, false}
    end.

%% A peer running nook, driven over its stdio so that cutting its distribution link is
%% only that; with the OTP default, global would also cut the other nodes' links to it.
start_peer() ->
    Paths = [filename:dirname(code:which(M)) || M <- [nook, ?MODULE]],
    Args = lists:append([["-pa", P] || P <- Paths])
        ++ ["-kernel", "net_ticktime", integer_to_list(net_kernel:get_net_ticktime()),
            "-kernel", "prevent_overlapping_partitions", "false",
            %% No trees kept ready: the check after each case counts every task and port.
            "-nook", "pool_size", "0"],
    {ok, Peer, Node} = peer:start(#{name => peer:random_name(), connection => standard_io,
                                    args => Args}),
    {ok, _} = erpc:call(Node, application, ensure_all_started, [nook]),
    {Peer, Node}.

init_per_group(_Group, Config) -> Config.

end_per_group(_Group, _Config) -> ok.

init_per_testcase(_Case, Config) ->
    process_flag(trap_exit, true),
    %% What earlier suites left on this node is theirs to answer for.
    [{marker, nook_test_lib:marker()}, {here_before, nook_leftovers()} | Config].

%% Nothing left on any node: no stream, task or port of nook, no place held; a case that
%% leaves something fails.
end_per_testcase(_Case, Config) ->
    Nodes = [node() | peer_nodes(Config)],
    _ = [begin
             ok = erpc:call(N, application, set_env, [nook, max_containers, infinity]),
             _ = [ok = erpc:call(N, nook_cluster, leave, [G]) || G <- [spread, skip, leaving, full]]
         end || N <- peer_nodes(Config)],
    Before = ?config(here_before, Config),
    case [{N, What} || N <- Nodes, What <- [await_clean(N, Before)], What =/= clean] of
        [] -> ok;
        Left -> {fail, {left_on_nodes, Left}}
    end.

peer_nodes(Config) -> [N || {_, N} <- ?config(peers, Config)].

await_clean(Node) -> await_clean(Node, {[], [], 0}).

await_clean(Node, Before) ->
    await(fun() -> leftovers(Node, Before) end, clean, ?GUARD_MS).

%% What of nook's is on Node beyond what was there Before.
leftovers(Node, {Procs0, Ports0, Running0}) ->
    {Procs, Ports, Running} = erpc:call(Node, fun nook_leftovers/0),
    case {Procs -- Procs0, Ports -- Ports0, Running - Running0} of
        {[], [], Held} when Held =< 0 -> clean;
        Left -> Left
    end.

%% Run on each node: nook's processes (streams, tasks, port owners), its ports, and the
%% places its capacity counts.
nook_leftovers() ->
    Procs = [P || P <- processes(), lists:member(initial_module(P), [nook_stream, nook_task, nook_port])],
    Ports = [P || P <- erlang:ports(), {name, Name} <- [erlang:port_info(P, name)],
                  string:find(Name, "priv/nook") =/= nomatch],
    {Procs, Ports, maps:get(running, nook_capacity:figures())}.

initial_module(P) ->
    case proc_lib:initial_call(P) of
        {M, _, _} -> M;
        false -> case erlang:process_info(P, initial_call) of
                     {initial_call, {M, _, _}} -> M;
                     _ -> undefined
                 end
    end.

%% ---- remote run and stream ----

%% The check every case ends with sees a stream left open, its task and port, its place.
leftovers_seen(Config) ->
    [N | _] = peer_nodes(Config),
    {ok, S} = open_sleep_on(N),
    {[_ | _], [_ | _], 1} = leftovers(N, {[], [], 0}),
    ok = nook_stream:close(S),
    ?assertEqual(clean, await_clean(N)).

remote_run(Config) ->
    [N | _] = peer_nodes(Config),
    ?assertEqual({<<"hi\n">>, <<>>, {exit_status, 0}}, run("echo hi", [{node, N}])),
    ?assertEqual({<<"abc">>, <<>>, {exit_status, 0}}, run("cat", [{node, N}, {stdin, "abc"}])),
    ?assertEqual({<<>>, <<"oops\n">>, {exit_status, 3}}, run("echo oops >&2; exit 3", [{node, N}])),
    ?assertEqual({<<"up\n">>, <<>>, {timeout, 200}},
                 run("echo up; exec sleep 1000", [{node, N}, {timeout, 200}, {kill_after, 0}])).

remote_stream(Config) ->
    [_, N | _] = peer_nodes(Config),
    {ok, S} = nook_stream:open("cat; echo done >&2", nook_process, [{node, N}]),
    ?assertEqual(N, node(S)),
    ok = nook_stream:send(S, <<"one">>),
    ?assertEqual(<<"one">>, stdout_until(S, <<"one">>, <<>>)),
    ok = nook_stream:send(S, [<<"tw">>, "o"]),
    ?assertEqual(<<"two">>, stdout_until(S, <<"two">>, <<>>)),
    ok = nook_stream:eof(S),
    ?assertEqual({<<>>, <<"done\n">>, {exit_status, 0}}, nook_test_lib:events(all_events(S, []))),
    ?assertEqual(eof, nook_stream:recv(S, 0)),
    ?assertEqual({error, closed}, nook_stream:send(S, <<"late">>)),
    ok = nook_stream:close(S),
    ?assertEqual(eof, nook_stream:recv(S, 0)).

remote_rootless(Config) ->
    [_, _, N] = peer_nodes(Config),
    case erpc:call(N, fun userns_refused/0) of
        false ->
            {ok, Events} = nook_stream:run("id -u; hostname", nook_rootless, [{node, N}]),
            ?assertEqual({<<"65534\nnook\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Events));
        {true, Errno} ->
            {skip, lists:flatten(io_lib:format("the kernel refuses a user namespace on ~s: ~p",
                                               [N, Errno]))}
    end.

userns_refused() ->
    {ok, Root} = nook:fork(),
    Probe = nook:clone(Root, [clone_newuser, clone_newns, clone_newpid, clone_newuts,
                              clone_newipc, clone_newnet]),
    ok = nook:stop(Root),
    case Probe of
        {ok, _} -> false;
        {error, Errno} -> {true, Errno}
    end.

%% A program that never reads its stdin stops the writes once the pipe (and nook's queue
%% before it) is full: a chunk crosses the link once and is answered when written, or not.
remote_stdin_bounded(Config) ->
    [N | _] = peer_nodes(Config),
    {ok, S} = nook_stream:open("exec sleep 1000", nook_process, [{node, N}]),
    Chunk = binary:copy(<<"x">>, 16 * 1024 * 1024),
    {error, {timeout, Written}} = nook_stream:send(S, Chunk, 1000),
    ?assert(Written > 0),
    ?assert(Written < byte_size(Chunk)),
    ok = nook_stream:close(S, 0).

remote_close_kills(Config) ->
    Marker = ?config(marker, Config),
    [N | _] = peer_nodes(Config),
    {ok, S} = nook_stream:open("exec sleep 1000", nook_process, [{node, N}, {environ, [Marker, ?PATH]}]),
    {ok, [Pid]} = erpc:call(N, nook_test_lib, await_marked, [Marker, ?GUARD_MS]),
    %% It runs under that node's BEAM.
    Beam = list_to_integer(erpc:call(N, os, getpid, [])),
    ?assert(lists:member(Pid, nook_test_lib:descendants(Beam))),
    ok = nook_stream:close(S),
    ?assertEqual(ok, erpc:call(N, nook_test_lib, await_gone, [[], Marker, ?GUARD_MS])).

where_checked(Config) ->
    [N | _] = peer_nodes(Config),
    ?assertEqual({error, {badopt, {node, "x"}}}, nook_stream:run("true", nook_process, [{node, "x"}])),
    ?assertEqual({error, {badopt, {nodes, nook}}},
                 nook_stream:run("true", nook_process, [{node, N}, {nodes, nook}])),
    ?assertEqual({error, {nodedown, 'nobody@nowhere'}},
                 nook_stream:run("true", nook_process, [{node, 'nobody@nowhere'}])),
    ?assertEqual({error, {no_nodes, no_such_group}},
                 nook_stream:run("true", nook_process, [{nodes, no_such_group}])),
    %% The behaviour's own errors come back from the remote node as they are.
    ?assertEqual({error, {badopt, {priority, 99}}},
                 nook_stream:run("true", nook_process, [{node, N}, {priority, 99}])).

%% ---- placement ----

%% Bounds 5, 10 and 15: the first start goes to the node with most room, and 30 starts fill
%% each node to its bound; the 31st finds no room.
placement_by_capacity(Config) ->
    [A, B, C] = Nodes = peer_nodes(Config),
    group(spread, [{A, 5}, {B, 10}, {C, 15}]),
    {ok, First} = open_sleep(spread),
    ?assertEqual(C, node(First)),
    Rest = [begin {ok, S} = open_sleep(spread), S end || _ <- lists:seq(2, 30)],
    Streams = [First | Rest],
    ?assertEqual([{A, 5}, {B, 10}, {C, 15}], placed(Nodes, Streams)),
    ?assertEqual({error, no_capacity}, open_sleep(spread)),
    close_all(Streams).

%% Without bounds, the fewest running first: every node gets its share.
placement_spreads(Config) ->
    Nodes = peer_nodes(Config),
    group(spread, [{N, infinity} || N <- Nodes]),
    Streams = [begin {ok, S} = open_sleep(spread), S end || _ <- lists:seq(1, 30)],
    Placed = placed(Nodes, Streams),
    ct:pal("30 starts over 3 unbounded nodes: ~p", [Placed]),
    ?assertEqual([], [P || {_, Count} = P <- Placed, Count < 1]),
    close_all(Streams).

%% A node at its bound refuses: placement goes elsewhere, also when the table still shows it
%% with room (its refusal passes the start on).
full_node_skipped(Config) ->
    [A, B | _] = peer_nodes(Config),
    group(skip, [{A, infinity}, {B, 100}]),
    ok = erpc:call(A, application, set_env, [nook, max_containers, 0]),
    ?assertEqual({error, {max_containers, 0}}, open_sleep_on(A)),
    Streams = [begin {ok, S} = open_sleep(skip), S end || _ <- lists:seq(1, 5)],
    ?assertEqual([{A, 0}, {B, 5}], placed([A, B], Streams)),
    close_all(Streams).

%% A node where user namespaces are unavailable refuses as one at its bound does. A is the
%% node with most room (B is bounded), so it is asked first.
refusing_node_passed_over(Config) ->
    [A, B | _] = peer_nodes(Config),
    group(skip, [{A, infinity}, {B, 100}]),
    Open = fun(RefuseOn) ->
                   nook_stream:open("exec sleep 1000", ?MODULE,
                                    [{nodes, skip}, {refuse_on, RefuseOn}, {environ, [?PATH]}])
           end,
    {ok, S} = Open([A]),
    ?assertEqual(B, node(S)),
    ?assertEqual({error, no_capacity}, Open([A, B])),
    close_all([S]).

all_refuse(Config) ->
    [A, B | _] = peer_nodes(Config),
    group(full, [{A, 1}, {B, 0}]),
    {ok, S} = open_sleep(full),
    ?assertEqual(A, node(S)),
    ?assertEqual({error, no_capacity}, open_sleep(full)),
    close_all([S]).

left_group_gets_no_work(Config) ->
    [A, B, C] = peer_nodes(Config),
    group(leaving, [{N, infinity} || N <- [A, B, C]]),
    ok = erpc:call(C, nook_cluster, leave, [leaving]),
    Staying = lists:sort([A, B]),
    Staying = await(fun() -> lists:sort([N || {N, _} <- nook_cluster:members(leaving)]) end,
                    Staying, ?GUARD_MS),
    Streams = [begin {ok, S} = open_sleep(leaving), S end || _ <- lists:seq(1, 9)],
    ?assertEqual(0, proplists:get_value(C, placed([A, B, C], Streams))),
    close_all(Streams).

%% ---- failures ----

caller_death_kills_remote(Config) ->
    Marker = ?config(marker, Config),
    [N | _] = peer_nodes(Config),
    Self = self(),
    Caller = spawn(fun() ->
                           {ok, S} = nook_stream:open("exec sleep 1000", nook_process,
                                                      [{node, N}, {environ, [Marker, ?PATH]}]),
                           Self ! {stream, S},
                           receive never -> ok end
                   end),
    S = receive {stream, Stream} -> Stream after ?GUARD_MS -> ct:fail(no_stream) end,
    {ok, [_ | _]} = erpc:call(N, nook_test_lib, await_marked, [Marker, ?GUARD_MS]),
    ?assertEqual(N, node(S)),
    exit(Caller, kill),
    ?assertEqual(ok, erpc:call(N, nook_test_lib, await_gone, [[], Marker, ?GUARD_MS])).

%% The link cut under a run and a stream: both are told, and the node (which stays up) ends
%% them as soon as it notices, well within a tick time.
disconnect_mid_run(Config) ->
    Marker = ?config(marker, Config),
    {Peer, N} = start_peer(),
    try
        Self = self(),
        Runner = spawn_link(fun() ->
                                    Self ! {ran, nook_stream:run("exec sleep 1000", nook_process,
                                                                 [{node, N}, {environ, [Marker, ?PATH]}])}
                            end),
        {ok, S} = nook_stream:open("exec sleep 1000", nook_process, [{node, N}, {environ, [Marker, ?PATH]}]),
        [_, _] = await(fun() -> erpc:call(N, nook_test_lib, marked_pids, [Marker]) end,
                       fun(Pids) -> length(Pids) =:= 2 end, ?GUARD_MS),
        true = erlang:disconnect_node(N),
        ?assertEqual({ran, {error, {nodedown, N}}}, receive {ran, _} = R -> R after ?GUARD_MS -> timeout end),
        ?assertEqual({ok, [{exit, {nodedown, N}}]}, nook_stream:recv(S, ?GUARD_MS)),
        ?assertEqual(eof, nook_stream:recv(S, 0)),
        ?assertEqual({error, {nodedown, N}}, nook_stream:send(S, <<"x">>)),
        ok = nook_stream:close(S),
        ?assertEqual(ok, erpc:call(N, nook_test_lib, await_gone, [[], Marker, ?TICK_S * 1000 + 2000])),
        ?assertEqual(clean, await_clean(N)),
        unlink(Runner)
    after
        peer:stop(Peer)
    end.

%% The remote node stops under a run: the caller is told, and the node's programs died with
%% it (its ports closed, nook killed their trees).
peer_stopped_mid_run(Config) ->
    Marker = ?config(marker, Config),
    {Peer, N} = start_peer(),
    Self = self(),
    _ = spawn_link(fun() ->
                           Self ! {ran, nook_stream:run("exec sleep 1000", nook_process,
                                                        [{node, N}, {environ, [Marker, ?PATH]}])}
                   end),
    try nook_test_lib:await_marked(Marker, ?GUARD_MS) of
        {ok, [_]} -> ok
    after
        peer:stop(Peer)
    end,
    ?assertEqual({ran, {error, {nodedown, N}}}, receive {ran, _} = R -> R after ?GUARD_MS -> timeout end),
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, ?GUARD_MS)).

%% ---- a behaviour: nook_process, but no user namespace on the nodes of `refuse_on' ----

task(Config) ->
    case lists:member(node(), proplists:get_value(refuse_on, Config, [])) of
        true -> {error, {userns_unavailable, {test, node()}}};
        false -> nook_process:task(Config)
    end.

init(Config) -> nook_process:init(Config).

ops(Config) -> nook_process:ops(Config).

%% ---- helpers ----

run(Cmd, Config) ->
    {ok, Events} = nook_stream:run(Cmd, nook_process, [{environ, [?PATH]} | Config]),
    nook_test_lib:events(Events).

open_sleep(Group) ->
    nook_stream:open("exec sleep 1000", nook_process, [{nodes, Group}, {environ, [?PATH]}]).

open_sleep_on(Node) ->
    nook_stream:open("exec sleep 1000", nook_process, [{node, Node}, {environ, [?PATH]}]).

close_all(Streams) ->
    _ = [ok = nook_stream:close(S, 0) || S <- Streams],
    ok.

%% Each node given its bound joins Group; then wait until this node's table shows them all
%% with those bounds, so that placement works from what it should.
group(Group, Bounds) ->
    _ = [begin
             ok = erpc:call(N, application, set_env, [nook, max_containers, Max]),
             ok = erpc:call(N, nook_cluster, join, [Group])
         end || {N, Max} <- Bounds],
    Want = lists:sort([{N, Max, 0} || {N, Max} <- Bounds]),
    Want = await(fun() ->
                         lists:sort([{N, maps:get(max_containers, F), maps:get(running, F)}
                                     || {N, F} <- nook_cluster:members(Group), is_map(F)])
                 end, Want, ?GUARD_MS),
    ok.

%% How many of Streams run on each of Nodes.
placed(Nodes, Streams) ->
    [{N, length([S || S <- Streams, node(S) =:= N])} || N <- Nodes].

stdout_until(_S, Want, Acc) when byte_size(Acc) >= byte_size(Want) ->
    Acc;
stdout_until(S, Want, Acc) ->
    {ok, Events} = nook_stream:recv(S, ?GUARD_MS),
    stdout_until(S, Want, <<Acc/binary, << <<B/binary>> || {stdout, B} <- Events >>/binary>>).

all_events(S, Acc) ->
    case nook_stream:recv(S, ?GUARD_MS) of
        {ok, Events} -> all_events(S, Acc ++ Events);
        eof -> Acc
    end.

%% Fun's value once it is Want (or Want(Value) is true), polled; its last value after Ms.
await(Fun, Want, Ms) ->
    Deadline = erlang:monotonic_time(millisecond) + Ms,
    await_until(Fun, Want, Deadline).

await_until(Fun, Want, Deadline) ->
    Value = Fun(),
    Done = case is_function(Want, 1) of
               true -> Want(Value);
               false -> Value =:= Want
           end,
    case Done orelse erlang:monotonic_time(millisecond) >= Deadline of
        true -> Value;
        false -> timer:sleep(50), await_until(Fun, Want, Deadline)
    end.
