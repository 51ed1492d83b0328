%% SPDX-License-Identifier: ISC
%% @doc Round trip of nook:getpid/1 at depth 0, 1 and 2 against a plain port echo program
%% sent the same number of bytes, measured in the same run. Each figure is the median of
%% Repeats runs, each run itself the median of Calls round trips.
-module(bench_rtt).

-export([run/1]).

-spec run(map()) -> [bench:row()].
run(#{dir := Dir, repeats := Repeats}) ->
    Calls = bench:env("CALLS", 10000),
    {ok, Root} = nook:fork(),
    {ok, D1} = nook:fork(Root),
    {ok, D2} = nook:fork(D1),
    %% Same payload size as getpid's request at depth 1 (a forward header plus the call).
    Payload = iolist_to_binary(nook_codec:call([nook:pidof(D1)], 1, nook_calls:id(getpid), [])),
    Port = open_port({spawn_executable, filename:join(Dir, "echo")}, [{packet, 4}, binary]),
    Variants = [{"port_echo_rtt", fun() -> bench:median(echo(Port, Payload, Calls)) end}
                | [{"getpid_rtt_depth" ++ integer_to_list(D),
                    fun() -> bench:median(getpid(T, Calls)) end}
                   || {D, T} <- [{0, Root}, {1, D1}, {2, D2}]]],
    Runs = bench:fold_interleaved(Repeats, Variants, #{}),
    bench:note("rtt: median of ~b runs of ~b round trips; payload ~b bytes; against the port echo",
               [Repeats, Calls, byte_size(Payload)]),
    nook:stop(Root),
    port_close(Port),
    [begin
         Row = #{name => Name, value => bench:median(maps:get(Name, Runs)) / 1000, unit => "us"},
         case Name of
             "port_echo_rtt" -> Row;
             _ -> Row#{baseline => "port_echo_rtt"}
         end
     end || {Name, _} <- Variants].

getpid(Task, N) ->
    [begin
         T0 = erlang:monotonic_time(nanosecond),
         _ = nook:getpid(Task),
         erlang:monotonic_time(nanosecond) - T0
     end || _ <- lists:seq(1, N)].

echo(Port, Payload, N) ->
    [begin
         T0 = erlang:monotonic_time(nanosecond),
         true = port_command(Port, Payload),
         receive {Port, {data, _}} -> ok end,
         erlang:monotonic_time(nanosecond) - T0
     end || _ <- lists:seq(1, N)].
