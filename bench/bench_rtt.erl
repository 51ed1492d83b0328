%% SPDX-License-Identifier: ISC
%% @doc Round trip of nook:getpid/1 at depth 0, 1 and 2 against a plain port echo program
%% sent the same number of bytes, measured in the same run; and at depth 1 with each call
%% interleaved with an echo round trip (the harder case: neither finds the scheduler and
%% the caches as its own last call left them). Each figure is the median of Repeats runs,
%% each run itself the median of Calls round trips.
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
                   || {D, T} <- [{0, Root}, {1, D1}, {2, D2}]]]
        ++ [{interleaved, fun() -> interleaved(Port, Payload, D1, Calls) end}],
    Runs0 = bench:fold_interleaved(Repeats, Variants, #{}),
    {Echoes, Getpids} = lists:unzip(maps:get(interleaved, Runs0)),
    Runs = (maps:remove(interleaved, Runs0))#{"port_echo_rtt_interleaved" => Echoes,
                                              "getpid_rtt_depth1_interleaved" => Getpids},
    bench:note("rtt: median of ~b runs of ~b round trips; payload ~b bytes; against the port "
               "echo; _interleaved: an echo, then a getpid at depth 1, in turn",
               [Repeats, Calls, byte_size(Payload)]),
    nook:stop(Root),
    port_close(Port),
    [begin
         Row = #{name => Name, value => bench:median(maps:get(Name, Runs)) / 1000, unit => "us"},
         case Name of
             "port_echo_rtt" -> Row;
             "port_echo_rtt_interleaved" -> Row#{baseline => "port_echo_rtt"};
             "getpid_rtt_depth1_interleaved" -> Row#{baseline => "port_echo_rtt_interleaved"};
             _ -> Row#{baseline => "port_echo_rtt"}
         end
     end || Name <- ["port_echo_rtt", "getpid_rtt_depth0", "getpid_rtt_depth1",
                     "getpid_rtt_depth2", "port_echo_rtt_interleaved",
                     "getpid_rtt_depth1_interleaved"]].

getpid(Task, N) ->
    [begin
         T0 = erlang:monotonic_time(nanosecond),
         _ = nook:getpid(Task),
         erlang:monotonic_time(nanosecond) - T0
     end || _ <- lists:seq(1, N)].

echo(Port, Payload, N) ->
    [echo_once(Port, Payload) || _ <- lists:seq(1, N)].

echo_once(Port, Payload) ->
    T0 = erlang:monotonic_time(nanosecond),
    true = port_command(Port, Payload),
    receive {Port, {data, _}} -> ok
    after 5000 -> erlang:error({echo, timeout})
    end,
    erlang:monotonic_time(nanosecond) - T0.

%% An echo, then a getpid, N times: {median echo, median getpid}.
interleaved(Port, Payload, Task, N) ->
    {Echoes, Getpids} = lists:unzip([{echo_once(Port, Payload), hd(getpid(Task, 1))}
                                     || _ <- lists:seq(1, N)]),
    {bench:median(Echoes), bench:median(Getpids)}.
