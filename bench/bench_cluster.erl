%% SPDX-License-Identifier: ISC
%% @doc Rootless containers on other nodes: three peer nodes on this machine against this
%% node alone. Per start (`true', run to its end, one at a time): on this node against on a
%% peer named with `{node, Node}'. Throughput (CLUSTER_RUNS runs of `true', CLUSTER_CALLERS
%% at a time): all on this node against placed over the three peers with `{nodes, Group}'.
%% The peers share this machine's CPUs, so the ratios are the cost of distribution and
%% placement, not a gain from more hardware.
-module(bench_cluster).

-export([run/1]).

-define(GROUP, bench_cluster).
-define(PEERS, 3).

-spec run(map()) -> [bench:row()].
run(#{repeats := Repeats}) ->
    Starts = bench:env("STARTS", 20),
    Runs = bench:env("CLUSTER_RUNS", 200),
    Callers = bench:env("CLUSTER_CALLERS", 8),
    Root = nook_rootless:default_root(),
    ok = nook_rootless:make_root(Root),
    ok = distribution(),
    {ok, _} = application:ensure_all_started(nook),
    Peers = [start_peer() || _ <- lists:seq(1, ?PEERS)],
    try
        [First | _] = Nodes = [N || {_, N} <- Peers],
        ok = await_group(Nodes, 10000),
        Config = [{path, Root}],
        Local = fun() -> bench:run_ok("true", nook_rootless, Config) end,
        Remote = fun() -> bench:run_ok("true", nook_rootless, [{node, First} | Config]) end,
        Placed = fun() -> bench:run_ok("true", nook_rootless, [{nodes, ?GROUP} | Config]) end,
        %% One of each first: code loaded on every node, caches warm.
        _ = [F() || F <- [Local, Remote, Placed]],
        Timed = fun(F) -> fun() -> bench:median(bench:repeat(Starts, fun() -> bench:elapsed_us(F) end)) end end,
        Rate = fun(F) -> fun() -> bench:rate(F, Runs, Callers) end end,
        Results = bench:fold_interleaved(Repeats, [{start_local, Timed(Local)},
                                                   {start_remote, Timed(Remote)},
                                                   {rate_local, Rate(Local)},
                                                   {rate_peers, Rate(Placed)}], #{}),
        bench:note("cluster: ~b peer nodes on this machine (~b CPUs); per start the median of ~b "
                   "runs of ~b rootless `true', here against {node, Peer}; throughput the median "
                   "of ~b rounds of ~b runs, ~b callers at a time, here against {nodes, Group}",
                   [?PEERS, erlang:system_info(logical_processors_available), Repeats, Starts,
                    Repeats, Runs, Callers]),
        Median = fun(K) -> bench:median(maps:get(K, Results)) end,
        [#{name => "cluster_start_local", value => Median(start_local) / 1000, unit => "ms"},
         #{name => "cluster_start_remote", value => Median(start_remote) / 1000, unit => "ms",
           baseline => "cluster_start_local"},
         #{name => "cluster_rate_one_node", value => Median(rate_local), unit => "containers/s"},
         #{name => "cluster_rate_three_peers", value => Median(rate_peers), unit => "containers/s",
           baseline => "cluster_rate_one_node"}]
    after
        _ = [peer:stop(P) || {P, _} <- Peers]
    end.

distribution() ->
    case node() of
        nonode@nohost ->
            _ = os:cmd(filename:join([code:root_dir(), "bin", "epmd"]) ++ " -daemon"),
            {ok, _} = net_kernel:start([list_to_atom("nook_bench_" ++ os:getpid()), shortnames]),
            ok;
        _ ->
            ok
    end.

start_peer() ->
    Ebin = filename:dirname(code:which(nook)),
    {ok, Peer, Node} = peer:start(#{name => peer:random_name(), connection => standard_io,
                                    args => ["-pa", Ebin]}),
    {ok, _} = erpc:call(Node, application, ensure_all_started, [nook]),
    ok = erpc:call(Node, nook_cluster, join, [?GROUP]),
    {Peer, Node}.

%% Until this node's table has every peer of the group.
await_group(Nodes, Ms) when Ms =< 0 ->
    erlang:error({peers_not_in_group, Nodes, nook_cluster:members(?GROUP)});
await_group(Nodes, Ms) ->
    Known = [N || {N, F} <- nook_cluster:members(?GROUP), is_map(F)],
    case lists:sort(Known) =:= lists:sort(Nodes) of
        true -> ok;
        false -> timer:sleep(100), await_group(Nodes, Ms - 100)
    end.
