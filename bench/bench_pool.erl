%% SPDX-License-Identifier: ISC
%% @doc Warm starts, pools on (nook_pool). Latency: `true' started with a ready pool (made
%% with nook:prepare/3 first), the starts 20 ms apart as a service answering requests would
%% make them, against bwrap and the floor (rootless) and open_port (process), spaced alike.
%% Throughput: runs back to back, no spacing, so that the pool drains: rootless containers
%% per second against bwrap's and against nook's cold path (pool_size 0). Memory: what a pool
%% of 8 ready rootless containers holds (summed RSS and PSS of their processes, and the
%% BEAM's growth).
-module(bench_pool).

-export([run/1]).

-define(TRUE, ["/bin/sh", "-c", "true"]).
-define(READY, 8).
%% How long nook:prepare/3 may take, and the runs of a throughput round: guards only.
-define(PREPARE_MS, 60000).

-spec run(map()) -> [bench:row()].
run(#{repeats := Repeats} = Ctx) ->
    Base = bench_start:baseline(Ctx),
    {Latency, Hits} = latency(Base, Repeats),
    Rates = throughput(Base, Repeats),
    Memory = memory(Repeats),
    bench:pools(on),
    Latency ++ Rates ++ Memory ++ Hits.

%% ---- latency with a ready pool ----

latency(#{floor := Floor, bwrap := Bwrap} = Base, Repeats) ->
    Starts = bench:env("STARTS", 20),
    Gap = bench:env("POOL_GAP_MS", 20),
    bench:pools(on),
    ok = prepare(nook_rootless, 2),
    ok = prepare(nook_process, 2),
    Variants =
        [{"pool_process_true_open_port", none, fun() -> bench_start:port_run("/bin/true", []) end},
         {"pool_process_true_nook", nook_process, fun() -> bench:run_ok(["/bin/true"], nook_process, []) end},
         {"pool_rootless_true_floor", none,
          fun() -> bench_start:port_run(Floor, bench_start:floor_args(Base) ++ ?TRUE) end},
         {"pool_rootless_true_bwrap", none,
          fun() -> bench_start:port_run(Bwrap, bench_start:bwrap_args(Base) ++ ?TRUE) end},
         {"pool_rootless_true_nook", nook_rootless, fun() -> bench:run_ok("true", nook_rootless, []) end}],
    _ = [F() || {_, _, F} <- Variants],
    Timed = [{Name, fun() -> spaced(Starts, Gap, Pool, F) end} || {Name, Pool, F} <- Variants],
    Runs = bench:fold_interleaved(Repeats, Timed, #{}),
    bench:note("pool: starts ~b ms apart with a ready pool (nook:prepare/3, 2 per config), "
               "median of ~b runs of ~b starts, interleaved; nook_process against open_port, both "
               "running /bin/true, nook_rootless against bwrap and the floor spaced alike, all "
               "running /bin/sh -c true", [Gap, Repeats, Starts]),
    Ms = fun(Name) -> bench:median([M || {M, _} <- maps:get(Name, Runs)]) / 1000 end,
    %% How many of nook's starts found a tree ready: a start that found none was cold.
    Hits = fun(Name) -> lists:sum([H || {_, H} <- maps:get(Name, Runs)]) end,
    Total = Repeats * Starts,
    {[#{name => "pool_process_true_open_port", value => Ms("pool_process_true_open_port"), unit => "ms"},
      #{name => "pool_process_true_nook", value => Ms("pool_process_true_nook"), unit => "ms",
        baseline => "pool_process_true_open_port"},
      #{name => "pool_rootless_true_floor", value => Ms("pool_rootless_true_floor"), unit => "ms"},
      #{name => "pool_rootless_true_bwrap", value => Ms("pool_rootless_true_bwrap"), unit => "ms",
        baseline => "pool_rootless_true_floor"},
      #{name => "pool_rootless_true_nook", value => Ms("pool_rootless_true_nook"), unit => "ms",
        baseline => "pool_rootless_true_bwrap"},
      #{name => "pool_rootless_true_nook_vs_floor", value => Ms("pool_rootless_true_nook"),
        unit => "ms", baseline => "pool_rootless_true_floor"}],
     [#{name => "pool_" ++ K ++ "_true_ready_hits", value => 100 * Hits("pool_" ++ K ++ "_true_nook") / Total,
        unit => "% of starts"} || K <- ["process", "rootless"]]}.

%% N starts, Gap ms between the end of one and the next: {median microseconds, how many
%% found a ready tree in Behaviour's pool as they began (none for a baseline)}.
spaced(N, Gap, Behaviour, Fun) ->
    Samples = [begin
                   timer:sleep(Gap),
                   Warm = Behaviour =/= none andalso ready(Behaviour) > 0,
                   {bench:elapsed_us(Fun), Warm}
               end || _ <- lists:seq(1, N)],
    {bench:median([Us || {Us, _} <- Samples]), length([W || {_, true} = W <- Samples])}.

%% Trees ready in the pools of Behaviour (the default config: one pool).
ready(Behaviour) ->
    lists:sum([N || {B, _, N} <- nook_pool:pools(), B =:= Behaviour]).

prepare(Behaviour, N) ->
    case bench:within(?PREPARE_MS, {prepare, Behaviour, N},
                      fun() -> nook:prepare(Behaviour, [], N) end) of
        {ok, Result} -> Result;
        {error, _} = Error -> Error
    end.

%% ---- back-to-back throughput ----

throughput(#{bwrap := Bwrap} = Base, Repeats) ->
    Runs = bench:env("RATE_RUNS", 100),
    Callers = bench:env("RATE_CALLERS", erlang:system_info(logical_processors_available)),
    Nook = fun() -> bench:run_ok("true", nook_rootless, []) end,
    Variants =
        [{bwrap, fun() -> bench:rate(fun() -> bench_start:port_run(Bwrap, bench_start:bwrap_args(Base) ++ ?TRUE) end,
                               Runs, Callers) end},
         {cold, fun() -> bench:pools(off), bench:rate(Nook, Runs, Callers) end},
         {pool, fun() ->
                        %% Each round starts as a service would: its pool ready (the default
                        %% size, 2), then drained.
                        bench:pools(on),
                        ok = prepare(nook_rootless, 2),
                        bench:rate(Nook, Runs, Callers)
                end}],
    Results = bench:fold_interleaved(Repeats, Variants, #{}),
    bench:pools(on),
    bench:note("pool: back to back, ~b runs of rootless true ~b at a time, median of ~b; "
               "nook with its pool (ready at the start of the round, then drained) against "
               "bwrap and against nook cold (pool_size 0)", [Runs, Callers, Repeats]),
    Rate = fun(K) -> bench:median(maps:get(K, Results)) end,
    [#{name => "pool_rate_rootless_bwrap", value => Rate(bwrap), unit => "containers/s"},
     #{name => "pool_rate_rootless_nook_cold", value => Rate(cold), unit => "containers/s",
       baseline => "pool_rate_rootless_bwrap"},
     #{name => "pool_rate_rootless_nook", value => Rate(pool), unit => "containers/s",
       baseline => "pool_rate_rootless_bwrap"},
     #{name => "pool_rate_rootless_nook_vs_cold", value => Rate(pool), unit => "containers/s",
       baseline => "pool_rate_rootless_nook_cold"}].

%% ---- the memory of ready containers ----

memory(Repeats) ->
    Samples = [ready_memory() || _ <- lists:seq(1, Repeats)],
    bench:pools(on),
    bench:note("pool: ~b ready rootless containers (nook:prepare/3), median of ~b: summed RSS "
               "and PSS of their processes, the BEAM's growth (erlang:memory(total))",
               [?READY, Repeats]),
    Median = fun(K) -> bench:median([maps:get(K, S) || S <- Samples]) end,
    [#{name => "pool_ready8_rss", value => Median(rss), unit => "KiB"},
     #{name => "pool_ready8_pss", value => Median(pss), unit => "KiB"},
     #{name => "pool_ready8_processes", value => Median(processes), unit => "processes"},
     #{name => "pool_ready8_beam", value => Median(beam), unit => "KiB"}].

ready_memory() ->
    bench:pools(on),
    %% From no ready tree and no stream: only what is not nook's is left under the BEAM.
    ok = bench:quiesce(nook, 30000),
    Pids0 = [P || {P, _} <- bench:descendants()],
    Beam0 = bench:beam_memory(),
    ok = prepare(nook_rootless, ?READY),
    Beam1 = bench:beam_memory(),
    Pids = [P || {P, _} <- bench:descendants(), not lists:member(P, Pids0)],
    {Rss, Pss} = bench:os_memory(Pids),
    ok = bench:quiesce(length(Pids0), 30000),
    #{rss => Rss, pss => Pss, processes => length(Pids), beam => (Beam1 - Beam0) div 1024}.
