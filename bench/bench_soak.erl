%% SPDX-License-Identifier: ISC
%% @doc Soak: 10,000 rootless runs of `true' one after another, then 10,000 more with 100 in
%% flight at a time; afterwards nothing may be left behind: no OS process under the BEAM, no
%% fd of the BEAM, no mount, no Erlang port or process, and neither the BEAM's RSS (which
%% holds the ports' buffers) nor erlang:memory(total) may have grown by more than 5 %.
%% The state compared with is taken after a warm-up (code loaded, allocators grown); the
%% middle one, after the sequential runs, tells a plateau from a steady climb. Pools are on,
%% as by default; each state is taken with them stopped (their ready trees are not leaks)
%% and once the streams that run/3 answered for have taken their trees down.
-module(bench_soak).

-export([run/1]).

%% erlang:memory/0 kinds, to say where a growth is.
-define(KINDS, [processes_used, system, binary, ets, code, atom_used]).
%% How long the concurrent runs may go without one ending: a guard.
-define(RUN_MS, 120000).

-spec run(map()) -> [bench:row()].
run(_Ctx) ->
    Runs = bench:env("SOAK_RUNS", 10000),
    Conc = bench:env("SOAK_CONCURRENCY", 100),
    Warmup = bench:env("SOAK_WARMUP", 1000),
    ok = nook_rootless:make_root(),
    %% Allocators grow to what 100 streams at a time need, once: that is not a leak.
    {_, []} = sequential(Conc),
    {_, []} = concurrent(Warmup, Conc),
    Before = snapshot(),
    {SeqSecs, SeqFailed} = timed(fun() -> sequential(Runs) end),
    bench:note("soak: ~b sequential rootless runs in ~.1f s, ~b failed",
               [Runs, SeqSecs, length(SeqFailed)]),
    Middle = snapshot(),
    {ConcSecs, ConcFailed} = timed(fun() -> concurrent(Runs, Conc) end),
    bench:note("soak: ~b rootless runs ~b at a time in ~.1f s, ~b failed",
               [Runs, Conc, ConcSecs, length(ConcFailed)]),
    Failed = SeqFailed ++ ConcFailed,
    _ = [bench:note("soak: a failed run: ~0p", [F]) || F <- lists:sublist(lists:usort(Failed), 5)],
    After = snapshot(),
    Growth = fun(K) -> 100 * (maps:get(K, After) - maps:get(K, Before)) / maps:get(K, Before) end,
    Leaked = fun(K) -> maps:get(K, After) - maps:get(K, Before) end,
    bench:note("soak: erlang:memory growth by kind, KiB: ~s",
               [lists:join(", ", [io_lib:format("~s ~b", [K, (maps:get(K, After) - maps:get(K, Before)) div 1024])
                                 || K <- ?KINDS])]),
    Grown = lists:reverse(lists:keysort(2, [{Who, (M - maps:get(Who, maps:get(by_process, Before), 0)) div 1024}
                                            || {Who, M} <- maps:to_list(maps:get(by_process, After))])),
    bench:note("soak: the Erlang processes grown most, KiB: ~0p", [lists:sublist(Grown, 3)]),
    Left = [{P, C} || {P, C} <- bench:descendants(), not lists:member(P, maps:get(pids, Before))],
    _ = [bench:note("soak: left behind: ~0p", [Left]) || Left =/= []],
    [#{name => "soak_sequential_rate", value => Runs / SeqSecs, unit => "runs/s"},
     #{name => "soak_concurrent_rate", value => Runs / ConcSecs, unit => "runs/s",
       baseline => "soak_sequential_rate"},
     #{name => "soak_failed_runs", value => length(Failed), unit => "runs"},
     #{name => "soak_leaked_processes", value => Leaked(processes), unit => "processes"},
     #{name => "soak_leaked_fds", value => Leaked(fds), unit => "fds"},
     #{name => "soak_leaked_mounts", value => Leaked(mounts), unit => "mounts"},
     #{name => "soak_leaked_erlang_ports", value => Leaked(ports), unit => "ports"},
     #{name => "soak_leaked_erlang_processes", value => Leaked(erlang_processes),
       unit => "processes"},
     #{name => "soak_beam_rss_before", value => maps:get(rss, Before), unit => "KiB"},
     #{name => "soak_beam_rss_middle", value => maps:get(rss, Middle), unit => "KiB",
       baseline => "soak_beam_rss_before"},
     #{name => "soak_beam_rss_after", value => maps:get(rss, After), unit => "KiB",
       baseline => "soak_beam_rss_before"},
     #{name => "soak_beam_rss_growth", value => Growth(rss), unit => "%"},
     #{name => "soak_beam_memory_before", value => maps:get(memory, Before) div 1024, unit => "KiB"},
     #{name => "soak_beam_memory_after", value => maps:get(memory, After) div 1024, unit => "KiB",
       baseline => "soak_beam_memory_before"},
     #{name => "soak_beam_memory_growth", value => Growth(memory), unit => "%"}].

timed(Fun) ->
    T0 = erlang:monotonic_time(microsecond),
    {_, Failed} = Fun(),
    {(erlang:monotonic_time(microsecond) - T0) / 1.0e6, Failed}.

one() ->
    case nook_stream:run("true", nook_rootless, []) of
        {ok, [{exit_status, 0}]} -> ok;
        Other -> {failed, Other}
    end.

sequential(N) ->
    Failed = lists:foldl(fun(I, Acc) ->
                                 progress("sequential", I, N),
                                 case one() of
                                     ok -> Acc;
                                     {failed, Why} -> [Why | Acc]
                                 end
                         end, [], lists:seq(1, N)),
    {N, Failed}.

%% N runs, each in its own process, at most Conc at a time.
concurrent(N, Conc) -> concurrent(N, Conc, 0, 0, []).

concurrent(0, _Conc, 0, Done, Failed) ->
    {Done, Failed};
concurrent(Left, Conc, InFlight, Done, Failed) when Left > 0, InFlight < Conc ->
    %% The result comes as the run's exit reason: nothing is left in this process's mailbox
    %% (an -eval process traps exits: linked runs left an 'EXIT' each, 1.2 MB by the end).
    _ = spawn_monitor(fun() -> exit({soak_run, one()}) end),
    concurrent(Left - 1, Conc, InFlight + 1, Done, Failed);
concurrent(Left, Conc, InFlight, Done, Failed) ->
    receive
        {'DOWN', _, process, _, Reason} ->
            progress("concurrent", Done + 1, Left + InFlight + Done),
            Failed1 = case Reason of
                          {soak_run, ok} -> Failed;
                          {soak_run, {failed, Why}} -> [Why | Failed];
                          Crash -> [Crash | Failed]
                      end,
            concurrent(Left, Conc, InFlight - 1, Done + 1, Failed1)
    after ?RUN_MS ->
            erlang:error({soak, {no_run_ended_ms, ?RUN_MS}, InFlight})
    end.

%% The BEAM's RSS as it goes: a steady climb is a leak, a plateau is allocators at rest.
progress(What, I, N) when I rem 1000 =:= 0 ->
    io:format("# soak: ~s ~b/~b, BEAM RSS ~b KiB~n", [What, I, N, rss()]);
progress(_, _, _) ->
    ok.

snapshot() ->
    %% What is left after this is what the runs left.
    _ = bench:quiesce(nook, 30000),
    Procs = bench:descendants(),
    {ok, Fds} = file:list_dir("/proc/self/fd"),
    {ok, Mounts} = file:read_file("/proc/self/mountinfo"),
    %% The least of a few samples: a leak stays, a passing binary or buffer does not.
    Samples = [begin timer:sleep(200), {rss(), bench:beam_memory(), erlang:memory()} end
               || _ <- lists:seq(1, 5)],
    {Memory, _, Kinds} = lists:min([{M, R, K} || {R, M, K} <- Samples]),
    maps:merge(maps:with(?KINDS, maps:from_list(Kinds)),
               #{processes => length(Procs), pids => [P || {P, _} <- Procs], fds => length(Fds),
                 mounts => length(string:lexemes(Mounts, "\n")), ports => length(erlang:ports()),
                 erlang_processes => erlang:system_info(process_count),
                 rss => lists:min([R || {R, _, _} <- Samples]), memory => Memory,
                 by_process => by_process()}).

%% Memory of each Erlang process, by its name or its initial call.
by_process() ->
    maps:from_list([{name(P), M} || P <- erlang:processes(),
                                    {memory, M} <- [erlang:process_info(P, memory)]]).

name(P) ->
    case erlang:process_info(P, registered_name) of
        {registered_name, Name} -> Name;
        _ -> {P, proc_lib:initial_call(P)}
    end.

rss() ->
    {ok, Status} = file:read_file("/proc/self/status"),
    hd([binary_to_integer(V) || Line <- string:lexemes(Status, "\n"),
                                [<<"VmRSS:">>, V, <<"kB">>] <- [string:lexemes(Line, " \t")]]).
