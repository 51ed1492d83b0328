%% SPDX-License-Identifier: ISC
%% @doc Where a start's time goes, step by step, for nook_rootless and nook_process running
%% `true'. Cold (pool_size 0), the steps nook_behaviour:start/2 and nook_stream take, timed
%% one by one: the supervisor task (task/1: the port and its filter), init/1 (fork, or for a
%% container the root checked, clone, id maps, the root opened), the ops, the output paused
%% (flow), exec, the program's run to its exit status, and stop. Warm (a ready pool): the
%% checkout, exec, exit and stop, the pool's refill held off while they run. And the whole
%% of nook_stream:run/3 each way, which adds the stream process to the steps (and, warm,
%% runs beside the refill). One more start of each kind is traced: the requests to
%% the port per step (by call; a batch counts its calls), the file server's and code
%% server's messages, and the minor page faults of the BEAM and of the tree's processes.
%%   bin/bench phases                (as a bench group: figures in ms, the counts as notes)
%%   erl -noshell -pa _build/default/lib/nook/ebin -pa _build/bench \
%%       -eval 'phases:main(21), halt().'     (as the user who makes containers)
-module(phases).

-export([main/1, run/1]).

-define(CMD, ["/bin/sh", "-c", "true"]).
-define(COLD, [options, task, init, ops, flow, exec, exit, stop]).
-define(WARM, [checkout, exec, exit, stop]).
-define(WAIT_MS, 10000).

%% @doc Print N starts' medians (ms) per step and the traced counts.
-spec main(pos_integer()) -> ok.
main(N) ->
    Rows = measure(N),
    [io:format("~s ~.2f ~s~n", [Name, V, U]) || #{name := Name, value := V, unit := U} <- Rows],
    ok.

%% @doc The bench group: STARTS starts of each kind, each way.
-spec run(map()) -> [bench:row()].
run(_Ctx) ->
    measure(bench:env("STARTS", 20)).

measure(N) ->
    ok = nook_rootless:make_root(),
    Rows = lists:append([behaviour(B, N) || B <- [nook_rootless, nook_process]]),
    bench:pools(on),
    Rows.

behaviour(B, N) ->
    Kind = kind(B),
    bench:pools(off),
    _ = [cold(B) || _ <- lists:seq(1, 2)], % code loaded, caches warm
    Cold = [cold(B) || _ <- lists:seq(1, N)],
    RunCold = [bench:elapsed_us(fun() -> bench:run_ok("true", B, []) end) || _ <- lists:seq(1, N)],
    ColdCounts = traced(fun(Mark) -> cold(B, Mark) end),
    bench:pools(on),
    ok = prepare(B),
    Warm = [begin ok = await_ready(B), no_refill(fun() -> warm(B) end) end || _ <- lists:seq(1, N)],
    RunWarm = [begin ok = await_ready(B), bench:elapsed_us(fun() -> bench:run_ok("true", B, []) end) end
               || _ <- lists:seq(1, N)],
    ok = await_ready(B),
    WarmCounts = no_refill(fun() -> traced(fun(Mark) -> warm(B, Mark) end) end),
    _ = bench:quiesce(nook, 30000),
    note_counts(Kind, cold, ColdCounts),
    note_counts(Kind, warm, WarmCounts),
    bench:note("phases: ~s, median of ~b starts per step (ms); cold: pool_size 0, the steps "
               "of nook_behaviour:start/2 and nook_stream; warm: a ready pool (nook:prepare/3), "
               "each start once the pool has refilled; run: nook_stream:run/3 whole", [Kind, N]),
    rows(Kind ++ "_cold", ?COLD, Cold) ++ rows(Kind ++ "_warm", ?WARM, Warm)
        ++ [#{name => "phase_" ++ Kind ++ "_cold_run", value => bench:median(RunCold) / 1000, unit => "ms"},
            #{name => "phase_" ++ Kind ++ "_warm_run", value => bench:median(RunWarm) / 1000, unit => "ms",
              baseline => "phase_" ++ Kind ++ "_cold_run"}].

kind(nook_rootless) -> "rootless";
kind(nook_process) -> "process".

rows(Prefix, Steps, Runs) ->
    Total = "phase_" ++ Prefix ++ "_total",
    [#{name => "phase_" ++ Prefix ++ "_" ++ atom_to_list(S),
       value => bench:median([lists:nth(I, R) || R <- Runs]) / 1000, unit => "ms",
       baseline => Total}
     || {I, S} <- lists:enumerate(Steps)]
        ++ [#{name => Total, value => bench:median([lists:sum(R) || R <- Runs]) / 1000, unit => "ms"}].

%% ---- one start, step by step: microseconds per step ----

cold(B) -> cold(B, fun(_) -> ok end).

cold(B, Mark) ->
    Ta = now_us(),
    {ok, Config} = nook_behaviour:check_options(B, []),
    Mark(options),
    T0 = now_us(),
    {ok, Sup} = B:task(Config),
    Mark(task),
    T1 = now_us(),
    {ok, Tasks, Info} = (B:init(Config))(Sup),
    Mark(init),
    T2 = now_us(),
    Task = lists:last(Tasks),
    {ok, _} = nook_op:run(Task, B:ops(Config, Info)),
    Mark(ops),
    T3 = now_us(),
    true = nook:setcpid(Task, flowcontrol_bytes, 0),
    Mark(flow),
    T4 = now_us(),
    ok = exec(B, Task, Config),
    Mark(exec),
    T5 = now_us(),
    ok = await_exit(Task),
    Mark(exit),
    T6 = now_us(),
    nook_behaviour:stop(#{behaviour => B, config => Config, supervisor => Sup, tasks => Tasks,
                          info => Info}),
    Mark(stop),
    T7 = now_us(),
    [T0 - Ta, T1 - T0, T2 - T1, T3 - T2, T4 - T3, T5 - T4, T6 - T5, T7 - T6].

warm(B) -> warm(B, fun(_) -> ok end).

warm(B, Mark) ->
    T0 = now_us(),
    {ok, #{config := Config} = Tree} = nook_behaviour:start(B, []),
    Mark(checkout),
    T1 = now_us(),
    Task = nook_behaviour:exec_task(Tree),
    ok = exec(B, Task, Config),
    Mark(exec),
    T2 = now_us(),
    ok = await_exit(Task),
    Mark(exit),
    T3 = now_us(),
    nook_behaviour:stop(Tree),
    Mark(stop),
    T4 = now_us(),
    [T1 - T0, T2 - T1, T3 - T2, T4 - T3].

%% As nook_stream execs: the behaviour's environment, or the BEAM's for one without.
exec(B, Task, Config) ->
    Env = case erlang:function_exported(B, environ, 1) of
              true -> B:environ(Config);
              false -> [K ++ "=" ++ V || {K, V} <- os:env()]
          end,
    nook:execve(Task, hd(?CMD), ?CMD, Env).

await_exit(Task) ->
    receive {exit_status, Task, 0} -> ok
    after ?WAIT_MS -> {error, no_exit_status}
    end.

prepare(B) ->
    case bench:within(60000, {prepare, B}, fun() -> nook:prepare(B, [], 2) end) of
        {ok, Result} -> Result;
        Error -> Error
    end.

%% The pool's refill after a checkout held off (the node's budget of ready trees, pool_max,
%% is 0 while Fun runs): a warm start's steps alone, not the next tree's building beside it.
no_refill(Fun) ->
    Max = application:get_env(nook, pool_max),
    ok = application:set_env(nook, pool_max, 0),
    try Fun()
    after
        case Max of
            {ok, M} -> application:set_env(nook, pool_max, M);
            undefined -> application:unset_env(nook, pool_max)
        end,
        %% Refilled for the next start.
        _ = [prepare(B) || {B, _, _} <- nook_pool:pools()]
    end.

%% A warm start finds its tree ready: the pool has refilled since the last one.
await_ready(B) -> await_ready(B, 100).

await_ready(_B, 0) ->
    {error, pool_not_ready};
await_ready(B, Tries) ->
    timer:sleep(20),
    case lists:sum([N || {P, _, N} <- nook_pool:pools(), P =:= B]) of
        0 -> await_ready(B, Tries - 1);
        _ -> ok
    end.

now_us() -> erlang:monotonic_time(microsecond).

%% ---- the traced start ----

%% Fun(Mark) run with every request to a port (nook_codec:call/4), every message to the file
%% and code servers, traced; Mark(Step) closes a step: its counts, and the minor faults of
%% the BEAM and of the processes under it since the last Mark.
traced(Fun) ->
    Tracer = spawn(fun() -> tracer(#{}) end),
    Servers = [P || Name <- [file_server_2, code_server], P <- [whereis(Name)], is_pid(P)],
    _ = [erlang:trace(P, true, ['receive', {tracer, Tracer}]) || P <- Servers],
    1 = erlang:trace_pattern({nook_codec, call, 4}, true, [global]),
    _ = erlang:trace(all, true, [call, {tracer, Tracer}]),
    Faults0 = faults(),
    put(phases_faults, Faults0),
    Mark = fun(Step) ->
                   Ref = erlang:trace_delivered(all),
                   receive {trace_delivered, all, Ref} -> ok after ?WAIT_MS -> ok end,
                   Faults = faults(),
                   Tracer ! {step, Step, fault_delta(get(phases_faults), Faults)},
                   put(phases_faults, Faults),
                   ok
           end,
    try Fun(Mark)
    after
        _ = erlang:trace(all, false, [call]),
        _ = erlang:trace_pattern({nook_codec, call, 4}, false, [global]),
        _ = [catch erlang:trace(P, false, ['receive']) || P <- Servers]
    end,
    Tracer ! {done, self()},
    receive {counts, Tracer, Counts} -> Counts
    after ?WAIT_MS -> #{}
    end.

%% Counts per step, the events that came before a step's mark counted in it.
tracer(Acc) ->
    receive
        {trace, _, call, {nook_codec, call, [_Pipeline, _ReqId, CallId, Args]}} ->
            tracer(add({request, name(CallId, Args)}, 1, Acc));
        {trace, _, 'receive', Msg} ->
            tracer(add(server(Msg), 1, Acc));
        {trace, _, _, _} ->
            tracer(Acc);
        {step, Step, {Beam, Tree}} ->
            Done = maps:get(steps, Acc, []),
            Counts = maps:without([steps], Acc),
            tracer(#{steps => [{Step, Counts#{beam_faults => Beam, tree_faults => Tree}} | Done]});
        {done, From} ->
            From ! {counts, self(), lists:reverse(maps:get(steps, Acc, []))}
    after 60000 ->
            ok
    end.

add(Key, N, Acc) -> maps:update_with(Key, fun(V) -> V + N end, N, Acc).

name(CallId, Args) ->
    Name = hd([C || {C, _} <- nook_calls:all(), nook_calls:id(C) =:= CallId] ++ [CallId]),
    case {Name, Args} of
        {batch, [Calls]} when is_list(Calls) -> {batch, length(Calls)};
        _ -> Name
    end.

server({'$gen_call', _, Request}) when is_tuple(Request) -> {file_server, element(1, Request)};
server({'$gen_call', _, Request}) -> {file_server, Request};
server({code_call, _, Request}) when is_tuple(Request) -> {code_server, element(1, Request)};
server({code_call, _, Request}) -> {code_server, Request};
server(_) -> other_message.

%% Minor faults: the BEAM's, and each process's under it (with its reaped children's). Read
%% with prim_file, so that the file server's count is nook's alone.
faults() ->
    Self = list_to_integer(os:getpid()),
    {ok, Names} = prim_file:list_dir("/proc"),
    Stats = [{P, PP, Min} || Name <- Names, {P, ""} <- [string:to_integer(Name)], is_integer(P),
                             {PP, Min} <- stat(P)],
    Kids = lists:foldl(fun({P, PP, _}, M) -> maps:update_with(PP, fun(L) -> [P | L] end, [P], M) end,
                       #{}, Stats),
    Under = under([Self], Kids, []),
    {Self, own_minflt(Self), maps:from_list([{P, {PP, Min}} || {P, PP, Min} <- Stats, lists:member(P, Under)])}.

under([], _Kids, Acc) -> Acc;
under([P | Rest], Kids, Acc) ->
    K = maps:get(P, Kids, []),
    under(K ++ Rest, Kids, K ++ Acc).

%% A process reaped since the last sample put its count into its parent's: counted once.
fault_delta({_, Beam0, Tree0}, {_, Beam1, Tree1}) ->
    Grown = [V - case maps:find(P, Tree0) of {ok, {_, V0}} -> V0; error -> 0 end
             || {P, {_, V}} <- maps:to_list(Tree1)],
    Reaped = [V0 || {P, {PP, V0}} <- maps:to_list(Tree0), not maps:is_key(P, Tree1),
                    maps:is_key(PP, Tree1)],
    {Beam1 - Beam0, lists:sum(Grown) - lists:sum(Reaped)}.

%% {Parent, own and reaped children's minor faults} of a process.
stat(Pid) ->
    case prim_file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/stat") of
        {ok, Stat} ->
            [_, After] = string:split(Stat, ")", trailing),
            [_State, PPid, _Pgrp, _Session, _Tty, _Tpgid, _Flags, Min, CMin | _] =
                string:lexemes(After, " "),
            [{binary_to_integer(PPid), binary_to_integer(Min) + binary_to_integer(CMin)}];
        _ ->
            []
    end.

own_minflt(Pid) ->
    {ok, Stat} = prim_file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/stat"),
    [_, After] = string:split(Stat, ")", trailing),
    binary_to_integer(lists:nth(8, string:lexemes(After, " "))).

%% One note per start kind: per step, the requests and what the servers were asked.
note_counts(Kind, How, Steps) ->
    [bench:note("phases: ~s ~s ~s: ~s", [Kind, How, Step, describe(Counts)]) || {Step, Counts} <- Steps],
    ok.

describe(Counts) ->
    Requests = [{N, C} || {{request, N}, C} <- maps:to_list(Counts)],
    Calls = lists:sum([case N of {batch, K} -> K * C; _ -> C end || {N, C} <- Requests]),
    Servers = [{S, Op, C} || {{S, Op}, C} <- maps:to_list(Counts), S =/= request],
    io_lib:format("~b requests (~b calls) ~s; ~s; faults BEAM ~b, tree ~b",
                  [lists:sum([C || {_, C} <- Requests]), Calls,
                   [["[", lists:join(" ", [req(N, C) || {N, C} <- lists:sort(Requests)]), "]"]
                    || Requests =/= []],
                   case Servers of
                       [] -> "no server calls";
                       _ -> lists:join(" ", [io_lib:format("~s:~p x~b", [S, Op, C])
                                             || {S, Op, C} <- lists:sort(Servers)])
                   end,
                   maps:get(beam_faults, Counts, 0), maps:get(tree_faults, Counts, 0)]).

req({batch, K}, C) -> io_lib:format("batch/~b x~b", [K, C]);
req(N, C) -> io_lib:format("~p x~b", [N, C]).
