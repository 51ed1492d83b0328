%% SPDX-License-Identifier: ISC
%% @doc What a stalled consumer costs: a fast producer is opened, its consumer takes one
%% read and then stalls for 2 s. The growth over the stall of the BEAM's memory
%% (erlang:memory(total), garbage collected) and of the OS processes under the BEAM (summed
%% RSS: the port program, nook's processes and the producer), nook_stream against a plain
%% port whose owner stalls the same way. Pools are off: a pool's refill after the stream's
%% checkout would be counted as the stall's growth.
-module(bench_stall).

-export([run/1]).

-define(PRODUCERS, [{"yes", "yes"}, {"head1g", "head -c 1G /dev/zero"}]).
%% How long the driver waits for a consumer's step beyond the stall: a guard.
-define(WAIT_MS, 60000).

-spec run(map()) -> [bench:row()].
run(#{repeats := Repeats}) ->
    Stall = bench:env("STALL_MS", 2000),
    Variants = [{Tag ++ "_" ++ How, fun() -> stall(How, Cmd, Stall) end}
                || {Tag, Cmd} <- ?PRODUCERS, How <- ["plain_port", "nook"]],
    bench:pools(off), % on again after the group (bench:run_group/2)
    Runs = bench:fold_interleaved(Repeats, Variants, #{}),
    bench:note("stall: growth over a ~b ms stall after one read, KiB, median of ~b; BEAM: "
               "erlang:memory(total); os: summed RSS of the processes under the BEAM; "
               "nook_stream (default window, pools off) against a plain port", [Stall, Repeats]),
    lists:append(
      [begin
           Median = fun(How, Pick) ->
                            bench:median([element(Pick, R) || R <- maps:get(Tag ++ "_" ++ How, Runs)])
                    end,
           Name = fun(What, How) -> "stall_" ++ Tag ++ "_" ++ What ++ "_" ++ How end,
           [#{name => Name("beam", "plain_port"), value => Median("plain_port", 1), unit => "KiB"},
            #{name => Name("beam", "nook"), value => Median("nook", 1), unit => "KiB",
              baseline => Name("beam", "plain_port")},
            #{name => Name("os", "plain_port"), value => Median("plain_port", 2), unit => "KiB"},
            #{name => Name("os", "nook"), value => Median("nook", 2), unit => "KiB",
              baseline => Name("os", "plain_port")}]
       end || {Tag, _} <- ?PRODUCERS]).

%% One stall: {BEAM growth, OS growth} in KiB. Every wait is bounded: a consumer that
%% crashed or hangs fails the round with a reason instead of holding the bench.
stall(How, Cmd, Ms) ->
    ok = settled(bench:beam_memory(), 50),
    Self = self(),
    {Consumer, Ref} = spawn_monitor(fun() -> consume(How, Cmd, Self, Ms + ?WAIT_MS) end),
    await(Consumer, Ref, read_once),
    {Beam0, Os0} = sample(),
    timer:sleep(Ms),
    {Beam1, Os1} = sample(),
    Consumer ! stop,
    await(Consumer, Ref, stopped),
    %% Gone, and what it held freed, before the next round samples its start.
    receive {'DOWN', Ref, process, Consumer, _} -> ok
    after ?WAIT_MS -> exit(Consumer, kill), erlang:error({consumer, down, timeout})
    end,
    {(Beam1 - Beam0) div 1024, Os1 - Os0}.

await(Consumer, Ref, What) ->
    receive
        {Consumer, What} -> ok;
        {'DOWN', Ref, process, Consumer, Why} -> erlang:error({consumer, What, Why})
    after ?WAIT_MS ->
            exit(Consumer, kill),
            erlang:error({consumer, What, timeout})
    end.

%% The BEAM's memory at rest: what the last round freed is given back (other schedulers'
%% allocators take freed blocks back later), so that it is not counted against this one.
settled(_Last, 0) ->
    ok;
settled(Last, Tries) ->
    timer:sleep(100),
    case bench:beam_memory() of
        Now when abs(Now - Last) < 256 * 1024 -> ok;
        Now -> settled(Now, Tries - 1)
    end.

sample() ->
    Beam = bench:beam_memory(),
    {Rss, _Pss} = bench:os_memory([P || {P, _} <- bench:descendants()]),
    {Beam, Rss}.

consume("plain_port", Cmd, Parent, Hold) ->
    %% Its complaint about the pipe closed at the end is not ours to print.
    Port = open_port({spawn, Cmd ++ " 2>/dev/null"}, [binary, stream, exit_status, in]),
    receive {Port, {data, _}} -> ok after ?WAIT_MS -> erlang:error(no_output) end,
    Parent ! {self(), read_once},
    receive stop -> ok after Hold -> ok end,
    %% The producer's next write fails on the closed pipe: it ends. On a quiet machine it
    %% may have written everything and ended within the stall: the port is closed already.
    _ = (catch port_close(Port)),
    Parent ! {self(), stopped};
consume("nook", Cmd, Parent, Hold) ->
    {ok, S} = nook_stream:open(Cmd, nook_process, []),
    {ok, _} = nook_stream:recv(S, ?WAIT_MS),
    Parent ! {self(), read_once},
    receive stop -> ok after Hold -> ok end,
    nook_stream:close(S),
    Parent ! {self(), stopped}.
